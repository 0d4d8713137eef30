/*
 * site.c — a site: its settings (site.yaml), its pages and its data, loaded
 * from a source and checked. Owns the struct site and everything in it.
 *
 * Loading reports every problem it finds (diagnostics in s->diag) rather
 * than stopping at the first, so `congkhai check` lists them all in one run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "congkhai.h"
#include "pool.h"
#include "vocab.h"

static const char *const site_keys[] = {
	"title", "organization", "base_url", "language", "contact", "plugins", "history",
	"unsafe_html", "description", "logo", "levels", "content_language", NULL };

/* The content directory when none is given (SPEC §2): content/ if it
 * exists, else the current directory. */
static int
has_site_yaml(const char *dir)
{
	char *p = xasprintf("%s/site.yaml", dir);
	struct stat st;
	int yes = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return yes;
}

const char *
site_default_dir(char *buf, size_t n)
{
	/* upward, as git does: DIR/site.yaml, or DIR/content/site.yaml */
	char rel[PATH_MAX] = ".";
	for (int up = 0; up < 64; up++) {
		char *content = strcmp(rel, ".") ? xasprintf("%s/content", rel) : xstrdup("content");
		int here = has_site_yaml(rel), below = !here && has_site_yaml(content);
		if (here || below)
			snprintf(buf, n, "%s", here ? rel : content);
		free(content);
		if (here || below)
			return buf;
		char *real = realpath(rel, NULL);
		int top = !real || strcmp(real, "/") == 0;
		free(real);
		if (top || strlen(rel) + 4 >= sizeof rel)
			break;
		if (strcmp(rel, ".") == 0)
			snprintf(rel, sizeof rel, "..");
		else
			strcat(rel, "/..");
	}
	struct stat st;
	snprintf(buf, n, "%s", stat("content", &st) == 0 && S_ISDIR(st.st_mode) ? "content" : ".");
	return buf;
}

const char *
site_default_output(const char *content, char *buf, size_t n)
{
	char *real = realpath(content, NULL);
	const char *base = real ? strrchr(real, '/') : NULL;
	int named = base && strcmp(base + 1, "content") == 0;     /* the usual layout */
	size_t len = strlen(content);
	if (!named && strcmp(content, ".") == 0)
		snprintf(buf, n, "site");
	else if (!named)
		snprintf(buf, n, "%s/site", content);
	else if (strcmp(content, ".") == 0)
		snprintf(buf, n, "../site");                      /* cd content; congkhai build */
	else if (len >= 7 && strcmp(content + len - 7, "content") == 0 &&
	    (len == 7 || content[len - 8] == '/'))
		snprintf(buf, n, "%.*ssite", (int)(len - 7), content);   /* content → site */
	else
		snprintf(buf, n, "%s/../site", content);
	free(real);
	return buf;
}

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
	free(s->levels);
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
	free(s->out_spare);
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

void
site_asof_day(const struct site *s, char day[11])
{
	struct tm tm;
	gmtime_r(&s->asof, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
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

/* Whether a path is plain: '/'-separated unreserved characters and '%'. */
static int
plain_path(const char *p)
{
	return p[0] == '/' && p[1] != '/' && !strstr(p, "..") &&
	    strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%") == strlen(p);
}

/* base_url (SPEC §8): http(s)://host[:port] and a plain path, or a plain
 * path alone; never "//host" (another site), quotes or spaces. */
static int
base_url_valid(const char *url)
{
	const char *h = !strncmp(url, "https://", 8) ? url + 8 : !strncmp(url, "http://", 7) ? url + 7 : NULL;
	if (!h)
		return plain_path(url);
	size_t host = strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.");
	if (host == 0 || h[0] == '.' || h[0] == '-')
		return 0;
	const char *p = h + host;
	if (*p == ':') {
		size_t port = strspn(p + 1, "0123456789");
		if (port == 0 || port > 5)
			return 0;
		p += 1 + port;
	}
	return *p == '\0' || plain_path(p);
}

/* s->levels from site.yaml's levels (a list of names, SPEC §3), else the
 * vocabulary's default; the list is normalised in the config, so plugins
 * see it as site.config.levels. */
static void
site_levels(struct site *s, const char *disp)
{
	struct val *v = val_get(s->config, "levels");
	int ok = v && v->type == V_LIST && v->n > 0;
	for (size_t i = 0; ok && i < v->n; i++)
		ok = v->kids[i].type == V_STR && *v->kids[i].str;
	if (v && !ok)
		diag_error(&s->diag, disp, v->line, v->col, "'%s' must be %s", "levels",
		    tr("a list of level names, e.g. [tỉnh, xã]"));
	if (!v) {
		v = val_append(s->config);
		v->key = xstrdup("levels");
		v->type = V_LIST;
		for (const char *const *l = vocab_levels; *l; l++) {
			struct val *it = val_append(v);
			it->type = V_STR;
			it->str = xstrdup(*l);
		}
		ok = 1;
	}
	free(s->levels);
	s->levels = xcalloc((ok ? v->n : 0) + 4, sizeof *s->levels);
	for (size_t i = 0; ok && i < v->n; i++)
		s->levels[i] = v->kids[i].str;
	for (size_t i = 0; !ok && vocab_levels[i]; i++)
		s->levels[i] = vocab_levels[i];
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
	if (url && !base_url_valid(url)) {
		struct val *v = val_get(c, "base_url");
		diag_error(&s->diag, base_override ? "--base-url" : disp, v && !base_override ? v->line : 0,
		    v && !base_override ? v->col : 0,
		    "'base_url' must be an http:// or https:// address with a host, or a path such as /sub/");
		url = NULL;
	}
	set_base(s, url ? url : "/");
	val_set_str(c, "base_url", s->base_url);
	if (!val_get(c, "title"))
		val_set_str(c, "title", "Cổng công khai thủ tục hành chính");
	site_levels(s, disp);
	struct val *u = val_get(c, "unsafe_html");
	s->unsafe_html = u && u->type == V_BOOL && u->num;
	struct val *h = val_get(c, "history");
	struct val *sa = h ? val_get(h, "show_authors") : NULL;
	s->show_authors = sa && sa->type == V_BOOL && sa->num;
	free(disp);
	return 0;
}

const char *
site_language_of(const char *dir)
{
	struct source *src = source_open_fs(dir);
	char *data;
	size_t len;
	const char *lang = NULL;
	if (src && source_read(src, "site.yaml", &data, &len) == 0) {
		struct diag quiet = { .quiet = 1 };
		struct buf sink = {0};
		quiet.capture = &sink;     /* site.yaml's own problems are check's to report */
		struct val *c = yaml_parse(data, len, 0, "site.yaml", &quiet);
		const char *l = c && c->type == V_MAP ? val_str(c, "language") : NULL;
		lang = l && strcmp(l, "en") == 0 ? "en" : "vi";
		val_free(c);
		buf_free(&sink);
		free(data);
		i18n_set_language(lang);
	}
	source_close(src);
	return lang;
}

static const struct { const char *dir; enum page_kind kind; } kinds[] = {
	{ "procedures", PAGE_PROCEDURE }, { "news", PAGE_ARTICLE }, { "pages", PAGE_PAGE } };

/*
 * Loading pages runs in three steps: files are read in path order; each is
 * parsed and rendered (the costly part) by s->jobs threads, every page
 * with its own diagnostics buffer; then, in path order again, the buffers
 * are printed and each page is validated. Output is the same for any -j.
 */
struct job {
	struct source_file *file;
	enum page_kind kind;
	char *data;
	size_t len;
	struct page page;
	int parsed;
	struct diag diag;
	struct buf msgs;
	struct buf json;
	struct buf log;
};

struct jobs { struct site *site; struct job *v; };

static void
parse_job(struct site *s, struct job *j)
{
	j->diag.capture = &j->msgs;
	j->diag.json = s->diag.json ? &j->json : NULL;
	j->diag.log = s->diag.log ? &j->log : NULL;
	j->diag.quiet = s->diag.quiet;
	j->page.kind = j->kind;
	j->page.display = source_display(s->src, j->file->path);
	j->page.path = xstrdup(j->file->path);
	if (page_parse(&j->page, j->data, j->len, &j->diag) == 0) {
		int wide = markdown_table_limit(j->page.body);
		if (wide)
			diag_warn(&j->diag, j->page.display, j->page.body_line + wide - 1, 1,
			    "tables in this file are shown as text: they would have more than %d cells "
			    "in a row or %d in all", MARKDOWN_MAX_CELLS, MARKDOWN_MAX_TABLE_CELLS);
		j->page.slug = page_slug(j->file->path);
		markdown_page(&j->page, s->base_path, s->unsafe_html);
		free(j->page.body);             /* rendered: its HTML and text stand for it */
		j->page.body = NULL;
		j->parsed = 1;
	}
	free(j->data);
	j->data = NULL;
}

static void
parse_one(size_t i, void *arg)
{
	struct jobs *js = arg;
	if (js->v[i].data)
		parse_job(js->site, &js->v[i]);
}

static void
run_jobs(struct site *s, struct job *jobs, size_t n)
{
	struct jobs js = { s, jobs };
	markdown_init();
	pool_run(s->jobs, n, parse_one, &js);
}

/* Read a file into a job; report files that are too large or unreadable. */
static void
read_job(struct site *s, struct job *j)
{
	if (j->file->size > MAX_FILE_SIZE) {
		char *disp = source_display(s->src, j->file->path);
		diag_error(&s->diag, disp, 0, 0, "file is larger than 8 MiB (%zu bytes); refused", j->file->size);
		free(disp);
	} else if (source_read(s->src, j->file->path, &j->data, &j->len) != 0) {
		char *disp = source_display(s->src, j->file->path);
		diag_error(&s->diag, disp, 0, 0, "cannot read: %s", j->file->path);
		free(disp);
		j->data = NULL;
	}
}

/* Print a job's messages, validate its page and keep it (or drop it). */
static void
finish_job(struct site *s, struct job *j)
{
	if (j->msgs.len)
		fputs(buf_cstr(&j->msgs), stderr);
	buf_free(&j->msgs);
	if (j->json.len)
		buf_add(s->diag.json, j->json.s, j->json.len);
	buf_free(&j->json);
	if (j->log.len)
		buf_add(s->diag.log, j->log.s, j->log.len);
	buf_free(&j->log);
	s->diag.errors += j->diag.errors;
	s->diag.warnings += j->diag.warnings;
	struct page p = j->page;
	if (j->parsed) {
		if (!*p.slug)
			diag_error(&s->diag, p.display, 0, 0, "file name gives an empty slug");
		validate_page(s, &p);
		p.url = page_url(p.kind, p.slug, val_str(p.meta, "code"));
	}
	/* a page with errors is kept (site-wide checks still see it); one that
	 * could not be parsed, or a draft, is dropped */
	if (!j->parsed || !p.meta || (p.draft && !s->drafts)) {
		s->unparsed += !j->parsed || !p.meta;
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
site_load_config(struct site *s, const char *base_override)
{
	if (!s->src)
		s->src = source_open_fs(s->content_dir);
	return load_config(s, base_override);
}

/* Markdown in a top-level folder the build does not read (a misplaced
 * "thu-tuc/" or "procedure/"): said, not silently ignored. */
static void
warn_stray_markdown(struct site *s)
{
	static const char *const read[] = {
		"procedures", "news", "pages", "data", "static", "plugins", "templates", NULL };
	DIR *d = opendir(s->content_dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		int known = e->d_name[0] == '.';
		for (const char *const *r = read; *r && !known; r++)
			known = strcmp(*r, e->d_name) == 0;
		struct source_file *f;
		size_t n;
		if (known || source_list(s->src, e->d_name, &f, &n, &s->diag) != 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (is_markdown(f[i].path)) {
				char *disp = source_display(s->src, f[i].path);
				diag_warn(&s->diag, disp, 0, 0, "%s",
				    tr("Markdown files outside procedures/, news/ and pages/ are not built"));
				free(disp);
			}
		source_files_free(f, n);
	}
	if (d)
		closedir(d);
}

int
site_load_with(struct site *s, const char *base_override)
{
	if (site_load_config(s, base_override) != 0)
		return -1;
	struct source_file *files[3];
	size_t nfiles[3], njobs = 0;
	for (size_t k = 0; k < 3; k++) {
		files[k] = NULL;
		nfiles[k] = 0;
		source_list(s->src, kinds[k].dir, &files[k], &nfiles[k], &s->diag);
		njobs += nfiles[k];
	}
	struct job *jobs = xcalloc(njobs, sizeof *jobs);
	size_t n = 0;
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < nfiles[k]; i++)
			if (is_markdown(files[k][i].path)) {
				jobs[n] = (struct job){ .file = &files[k][i], .kind = kinds[k].kind };
				read_job(s, &jobs[n++]);
			}
	run_jobs(s, jobs, n);
	for (size_t i = 0; i < n; i++)
		finish_job(s, &jobs[i]);
	free(jobs);
	for (size_t k = 0; k < 3; k++)
		source_files_free(files[k], nfiles[k]);
	if (s->npages)
		qsort(s->pages, s->npages, sizeof *s->pages, page_cmp);
	data_load(s);
	validate_site(s);
	warn_stray_markdown(s);
	return s->diag.errors ? -1 : 0;
}

int
site_load(struct site *s)
{
	return site_load_with(s, NULL);
}
