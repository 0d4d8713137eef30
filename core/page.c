/*
 * page.c — a page's lifetime. A struct page owns every string and tree it
 * points to; page_free releases them (not the struct itself, which lives
 * in the site's array).
 */
#include <stdlib.h>
#include "congkhai.h"

const char *const page_kind_names[] = { "procedure", "article", "page" };

void
page_free(struct page *p)
{
	free(p->path);
	free(p->display);
	free(p->url);
	free(p->slug);
	val_free(p->meta);
	free(p->body);
	free(p->intro_html);
	free(p->html);
	free(p->text);
	for (size_t i = 0; i < p->nsections; i++) {
		struct section *s = &p->sections[i];
		free(s->title);
		free(s->id);
		free(s->html);
		free(s->text);
		for (size_t k = 0; k < s->nitems; k++)
			free(s->items[k]);
		free(s->items);
	}
	free(p->sections);
	for (size_t i = 0; i < p->nlinks; i++)
		free(p->links[i]);
	free(p->links);
	free(p->link_lines);
	val_free(p->history);
}
