/*
 * page.c — a page's identity and lifetime: its slug and URL (derived from
 * its file name and code), and page_free. A struct page owns every string
 * and tree it points to; page_free releases them (not the struct itself,
 * which lives in the site's array).
 */
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "vocab.h"

const char *const page_kind_names[] = { "procedure", "article", "page" };

/* The slug of a content file: its name without ".md", folded (SPEC §4). */
char *
page_slug(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	char *stem = xstrndup(base, n > 3 && strcmp(base + n - 3, ".md") == 0 ? n - 3 : n);
	char *slug = text_slug(stem);
	free(stem);
	return slug;
}

/* A page's site-relative URL, from the scheme in vocab.c: procedures by
 * code, articles under /tin-tuc/, standing pages at the root. */
char *
page_url(enum page_kind kind, const char *slug, const char *code)
{
	switch (kind) {
	case PAGE_PROCEDURE: return vocab_url("procedure", code && *code ? code : slug, NULL);
	case PAGE_ARTICLE:   return vocab_url("article", slug, NULL);
	default:             return vocab_url("page", slug, NULL);
	}
}

void
page_free(struct page *p)
{
	free(p->path);
	free(p->display);
	free(p->url);
	free(p->slug);
	val_free(p->meta);
	free(p->body);
	free(p->rendered);
	for (size_t i = 0; i < p->nsections; i++) {
		struct section *s = &p->sections[i];
		free(s->title);
		free(s->id);
		free(s->items);
		free(s->groups);
	}
	free(p->sections);
	for (size_t i = 0; i < p->nlinks; i++)
		free(p->links[i]);
	free(p->links);
	free(p->link_lines);
	val_free(p->history);
}
