/*
 * site.c — a site: its settings (site.yaml), its pages and its data, loaded
 * from a source and checked. Owns the struct site and everything in it.
 *
 * Loading reports every problem it finds (diagnostics in s->diag) rather
 * than stopping at the first, so `congkhai check` lists them all in one run.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "congkhai.h"

static const char *const site_keys[] = {
	"title", "organization", "base_url", "language", "contact", "plugins", "history",
	"unsafe_html", "description", "logo", NULL };

struct site *
site_new(const char *content_dir)
{
	struct site *s = xcalloc(1, sizeof *s);
	s->content_dir = xstrdup(content_dir);
	s->content_real = realpath(content_dir, NULL);
	if (!s->content_real)
		s->content_real = xstrdup(content_dir);
	s->jobs = 1;
	return s;
}

void
site_free(struct site *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->npages; i++)
		page_free(&s->pages[i]);
	free(s->pages);
	val_free(s->config);
	val_free(s->data);
	val_free(s->deleted);
	val_free(s->history_info);
	source_close(s->src);
	free(s->base_url);
	free(s->base_path);
	free(s->content_dir);
	free(s->content_real);
	free(s->out_dir);
	free(s->out_tmp);
	free(s);
}

struct page *
site_find_code(struct site *s, const char *code)
{
	for (size_t i = 0; i < s->npages; i++) {
		const char *c = s->pages[i].kind == PAGE_PROCEDURE ? val_str(s->pages[i].meta, "code") : NULL;
		if (c && strcmp(c, code) == 0)
			return &s->pages[i];
	}
	return NULL;
}

/* "https://x.gov.vn/sub" → base_url "https://x.gov.vn/sub/", base_path "/sub/" */
static void
set_base(struct site *s, const char *url)
{
	free(s->base_url);
	free(s->base_path);
	size_t n = strlen(url);
	s->base_url = xasprintf("%s%s", url, n && url[n - 1] == '/' ? "" : "/");
	const char *p = strstr(s->base_url, "://");
	p = p ? strchr(p + 3, '/') : s->base_url;
	s->base_path = xstrdup(p && *p == '/' ? p : "/");
}

static int
load_config(struct site *s, const char *base_override)
{
	char *data;
	size_t len;
	char *disp = source_display(s->src, "site.yaml");
	if (source_read(s->src, "site.yaml", &data, &len) != 0) {
		diag_error(&s->diag, disp, 0, 0, "site.yaml not found in %s", s->content_dir);
		free(disp);
		return -1;
	}
	struct val *c = NULL;
	long bad = utf8_invalid_at(data, len);
	if (bad >= 0)
		diag_error(&s->diag, disp, 0, 0, "invalid UTF-8 at byte offset %ld", bad);
	else {
		char *nfc = text_nfc(data, len);
		c = yaml_parse(nfc, strlen(nfc), 0, disp, &s->diag);
		free(nfc);
	}
	free(data);
	if (c && c->type == V_NULL) {
		val_free(c);
		c = val_new(V_MAP);
	}
	if (c && c->type != V_MAP) {
		diag_error(&s->diag, disp, c->line, c->col,
		    "front matter must be a mapping of keys to values, not %s", val_type_name(c->type));
		val_free(c);
		c = NULL;
	}
	if (!c) {
		free(disp);
		return -1;
	}
	s->config = c;
	const char *lang = val_str(c, "language");
	if (lang && strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0) {
		struct val *v = val_get(c, "language");
		diag_error(&s->diag, disp, v->line, v->col, "'%s' must be one of %s, not '%s'",
		    "language", "'vi', 'en'", lang);
		lang = NULL;
	}
	if (!lang)
		lang = val_set_str(c, "language", "vi")->str;
	s->language = lang;
	i18n_set_language(lang);
	for (size_t i = 0; i < c->n; i++) {
		const char *const *k = site_keys;
		while (*k && strcmp(*k, c->kids[i].key) != 0)
			k++;
		if (!*k)
			diag_error(&s->diag, disp, c->kids[i].key_line, c->kids[i].key_col,
			    "unknown key '%s'", c->kids[i].key);
	}
	const char *url = base_override ? base_override : val_str(c, "base_url");
	if (url && strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0 && url[0] != '/') {
		struct val *v = val_get(c, "base_url");
		diag_error(&s->diag, base_override ? "--base-url" : disp, v && !base_override ? v->line : 0,
		    v && !base_override ? v->col : 0, "'base_url' must start with http:// or https://");
		url = NULL;
	}
	set_base(s, url ? url : "/");
	val_set_str(c, "base_url", s->base_url);
	if (!val_get(c, "title"))
		val_set_str(c, "title", "Cổng công khai thủ tục hành chính");
	struct val *u = val_get(c, "unsafe_html");
	s->unsafe_html = u && u->type == V_BOOL && u->num;
	struct val *h = val_get(c, "history");
	struct val *sa = h ? val_get(h, "show_authors") : NULL;
	s->show_authors = sa && sa->type == V_BOOL && sa->num;
	free(disp);
	return 0;
}

static const struct { const char *dir; enum page_kind kind; } kinds[] = {
	{ "procedures", PAGE_PROCEDURE }, { "news", PAGE_ARTICLE }, { "pages", PAGE_PAGE } };

static char *
slug_of_file(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *stem = xstrndup(base, strlen(base) - 3);      /* drop ".md" */
	char *slug = text_slug(stem);
	free(stem);
	return slug;
}

static void
set_url(struct page *p)
{
	const char *code = val_str(p->meta, "code");
	switch (p->kind) {
	case PAGE_PROCEDURE:
		p->url = xasprintf("/thu-tuc/%s/", code ? code : p->slug);
		break;
	case PAGE_ARTICLE:
		p->url = xasprintf("/tin-tuc/%s/", p->slug);
		break;
	case PAGE_PAGE:
		p->url = xasprintf("/%s/", p->slug);
		break;
	}
}

/* Load one file into a new page at the end of s->pages; drop it on error. */
static void
load_page(struct site *s, const struct source_file *f, enum page_kind kind)
{
	char *disp = source_display(s->src, f->path);
	if (f->size > MAX_FILE_SIZE) {
		diag_error(&s->diag, disp, 0, 0, "file is larger than 8 MiB (%zu bytes); refused", f->size);
		free(disp);
		return;
	}
	char *data;
	size_t len;
	if (source_read(s->src, f->path, &data, &len) != 0) {
		diag_error(&s->diag, disp, 0, 0, "cannot read: %s", f->path);
		free(disp);
		return;
	}
	struct page p = { .kind = kind, .display = disp, .path = xstrdup(f->path) };
	if (page_parse(&p, data, len, &s->diag) == 0) {
		p.slug = slug_of_file(f->path);
		if (!*p.slug)
			diag_error(&s->diag, disp, 0, 0, "file name gives an empty slug");
		markdown_page(&p, s->base_path, s->unsafe_html);
		validate_page(s, &p);
		set_url(&p);
	}
	free(data);
	/* a page with errors is kept (site-wide checks still see it); one that
	 * could not be parsed, or a draft, is dropped */
	if (!p.meta || (p.draft && !s->drafts)) {
		page_free(&p);
		return;
	}
	s->pages = xrealloc(s->pages, (s->npages + 1) * sizeof *s->pages);
	s->pages[s->npages++] = p;
}

static int
page_cmp(const void *a, const void *b)
{
	return strcmp(((const struct page *)a)->path, ((const struct page *)b)->path);
}

static int
is_markdown(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && strcmp(path + n - 3, ".md") == 0;
}

int
site_load_with(struct site *s, const char *base_override)
{
	if (!s->src)
		s->src = source_open_fs(s->content_dir);
	if (load_config(s, base_override) != 0)
		return -1;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		struct source_file *f;
		size_t n;
		if (source_list(s->src, kinds[k].dir, &f, &n, &s->diag) != 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (is_markdown(f[i].path))
				load_page(s, &f[i], kinds[k].kind);
		source_files_free(f, n);
	}
	if (s->npages)
		qsort(s->pages, s->npages, sizeof *s->pages, page_cmp);
	data_load(s);
	validate_site(s);
	return s->diag.errors ? -1 : 0;
}

int
site_load(struct site *s)
{
	return site_load_with(s, NULL);
}
