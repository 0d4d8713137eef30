/*
 * validate.c — the content rules of SPEC §3 and §4, checked and normalised.
 *
 * validate_page checks one page's front matter (known keys with "did you
 * mean", types, allowed values, real dates, code format, required
 * sections) and normalises it for plugins (lists are lists, enumerations
 * take their canonical spelling, status is always present). validate_site
 * checks what needs every page: unique codes and URLs, reserved paths,
 * replacements; validate_links checks internal links once history has
 * added deleted procedures. Every problem is reported; nothing stops early.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <nettle/sha2.h>
#include "congkhai.h"
#include "vocab.h"

/* K_TEXT_OR_LIST stays as written (fee); K_LIST accepts the same and is
 * normalised to a list, so plugins always see an array. */
enum ktype { K_TEXT, K_LIST, K_TEXT_OR_LIST, K_DATE, K_BOOL, K_INT, K_ANY };

struct keyspec {
	const char *key;
	enum ktype type;
	int required;
	const char *const *allowed;     /* canonical values, or NULL */
};

/* level's allowed values are site.yaml's levels (s->levels); the
 * vocabulary's list stands for them here. */
static const struct keyspec procedure_keys[] = {
	{ "code", K_TEXT, 1, NULL }, { "title", K_TEXT, 1, NULL }, { "field", K_TEXT, 1, NULL },
	{ "level", K_LIST, 1, vocab_levels }, { "agency", K_LIST, 1, NULL },
	{ "processing_time", K_TEXT, 1, NULL }, { "fee", K_TEXT_OR_LIST, 1, NULL },
	{ "online", K_TEXT, 1, vocab_online }, { "channels", K_ANY, 0, NULL },
	{ "portal_url", K_TEXT, 0, NULL }, { "decision", K_ANY, 0, NULL },
	{ "decision_file", K_TEXT, 0, NULL }, { "effective", K_DATE, 0, NULL },
	{ "status", K_TEXT, 0, vocab_status }, { "replaces", K_LIST, 0, NULL },
	{ "repealed", K_ANY, 0, NULL }, { "reception", K_LIST, 0, NULL },
	{ "cases", K_ANY, 0, NULL }, { "sources", K_ANY, 0, NULL },
	{ "aliases", K_LIST, 0, NULL }, { "tags", K_LIST, 0, NULL },
	{ "draft", K_BOOL, 0, NULL }, { NULL, 0, 0, NULL } };

static const struct keyspec decision_keys[] = {
	{ "number", K_TEXT, 1, NULL }, { "date", K_DATE, 0, NULL }, { "file", K_TEXT, 0, NULL },
	{ "sha256", K_TEXT, 0, NULL }, { "url", K_TEXT, 0, NULL }, { "kind", K_TEXT, 0, vocab_decision_kinds },
	{ NULL, 0, 0, NULL } };

static const struct keyspec repealed_keys[] = {
	{ "date", K_DATE, 1, NULL }, { "decision", K_TEXT, 0, NULL }, { NULL, 0, 0, NULL } };

static const struct keyspec case_keys[] = {
	{ "code", K_TEXT, 0, NULL }, { "title", K_TEXT, 1, NULL }, { "time", K_TEXT, 0, NULL },
	{ "fee", K_TEXT, 0, NULL }, { NULL, 0, 0, NULL } };

static const struct keyspec source_keys[] = {
	{ "title", K_TEXT, 1, NULL }, { "url", K_TEXT, 0, NULL }, { "sha256", K_TEXT, 0, NULL },
	{ "date", K_DATE, 0, NULL }, { NULL, 0, 0, NULL } };

static const struct keyspec article_keys[] = {
	{ "title", K_TEXT, 1, NULL }, { "date", K_DATE, 1, NULL }, { "kind", K_TEXT, 0, vocab_article_kinds },
	{ "summary", K_TEXT, 0, NULL }, { "image", K_TEXT, 0, NULL },
	{ "tags", K_LIST, 0, NULL }, { "number", K_TEXT, 0, NULL },
	{ "issuer", K_TEXT, 0, NULL }, { "signer", K_TEXT, 0, NULL },
	{ "recipients", K_LIST, 0, NULL }, { "aliases", K_LIST, 0, NULL },
	{ "draft", K_BOOL, 0, NULL }, { NULL, 0, 0, NULL } };

static const struct keyspec page_keys[] = {
	{ "title", K_TEXT, 1, NULL }, { "menu", K_INT, 0, NULL }, { "summary", K_TEXT, 0, NULL },
	{ "aliases", K_LIST, 0, NULL }, { "draft", K_BOOL, 0, NULL },
	{ NULL, 0, 0, NULL } };

static const struct keyspec channel_keys[] = {
	{ "method", K_TEXT, 1, vocab_methods }, { "time", K_TEXT, 0, NULL }, { "fee", K_TEXT, 0, NULL },
	{ "note", K_TEXT, 0, NULL }, { NULL, 0, 0, NULL } };

/* Paths the portal uses itself; no standing page or alias may take them. */
static const char *const reserved[] = {
	"thu-tuc", "linh-vuc", "cap", "co-quan", "tin-tuc", "thay-doi", "tim-kiem",
	"assets", "feed.xml", "sitemap.xml", "robots.txt", "404.html", "index.sqlite",
	"index.html", NULL };

static const char *const required_sections[][2] = {
	{ "trinh-tu-thuc-hien", "Trình tự thực hiện" },
	{ "thanh-phan-ho-so", "Thành phần hồ sơ" },
	{ "can-cu-phap-ly", "Căn cứ pháp lý" } };

/* ------------------------------------------------------------ helpers */

static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), *row = xcalloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best) best = row[j] + 1;
			if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

/* Keep cand in *best when it is nearer to word than *best so far. */
static void
nearer(const char *word, const char *cand, const char **best, size_t *bd)
{
	size_t d = distance(word, cand);
	if (d < *bd) {
		*bd = d;
		*best = cand;
	}
}

/* Within typo distance: 1 edit per 4 bytes of the word, plus one, at most
 * 3 ("rendr" → render, but not "helper" → render). */
static const char *
if_close(const char *word, const char *best, size_t bd)
{
	size_t lim = strlen(word) / 4 + 1;
	return bd <= (lim > 3 ? 3 : lim) ? best : NULL;
}

const char *
did_you_mean(const char *word, const char *const *names)
{
	const char *best = NULL;
	size_t bd = (size_t)-1;
	for (; *names; names++)
		nearer(word, *names, &best, &bd);
	return if_close(word, best, bd);
}

static const char *
key_did_you_mean(const char *key, const struct keyspec *ks)
{
	const char *best = NULL;
	size_t bd = (size_t)-1;
	for (; ks->key; ks++)
		nearer(key, ks->key, &best, &bd);
	return if_close(key, best, bd);
}

int
date_valid(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	*y = atoi(s), *m = atoi(s + 5), *d = atoi(s + 8);
	if (*m < 1 || *m > 12 || *d < 1 || *y < 1900)
		return 0;
	int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *d <= mdays[*m - 1] + (*m == 2 && leap);
}

static char *
allowed_list(const char *const *allowed)
{
	struct buf b = {0};
	for (const char *const *a = allowed; *a; a++)
		buf_printf(&b, "%s'%s'", a == allowed ? "" : ", ", *a);
	return buf_steal(&b);
}

/* Canonical spelling of v among allowed (compared folded; "cấp xã" = "xã"). */
static const char *
canonical(const char *v, const char *const *allowed)
{
	char *f = text_fold(v), *p = f;
	if (strncmp(p, "cap ", 4) == 0)
		p += 4;
	const char *hit = NULL;
	for (const char *const *a = allowed; *a && !hit; a++) {
		char *fa = text_fold(*a);
		if (strcmp(fa, p) == 0)
			hit = *a;
		free(fa);
	}
	free(f);
	return hit;
}

/* Make v a V_STR from a scalar; 0 if it is not a scalar. */
static int
as_text(struct val *v)
{
	if (v->type == V_STR)
		return 1;
	if ((v->type == V_INT || v->type == V_BOOL) && v->str) {
		v->type = V_STR;
		return 1;
	}
	return 0;
}

/* Turn a scalar into a one-item list, keeping position and key. */
static void
to_list(struct val *v)
{
	if (v->type == V_LIST)
		return;
	struct val item = *v;
	item.key = NULL;
	v->kids = xcalloc(1, sizeof *v->kids);
	v->kids[0] = item;
	v->n = 1;
	v->str = NULL;
	v->type = V_LIST;
}

/* Note that p's fact what (a key or a section id) is not yet verified:
 * meta.unverified lists them for plugins and the index; check warns, and
 * check --strict refuses (SPEC §3). */
static void
unverified(struct site *s, struct page *p, const char *what, int line, int col)
{
	struct val *u = val_get(p->meta, "unverified");
	if (!u) {
		u = val_append(p->meta);
		u->key = xstrdup("unverified");
		u->type = V_LIST;
	}
	struct val *it = val_append(u);
	it->type = V_STR;
	it->str = xstrdup(what);
	(s->strict ? diag_error : diag_warn)(&s->diag, p->display, line, col,
	    "'%s' is not yet verified (%s)", what, VOCAB_UNVERIFIED);
}

static int
check_value(struct site *s, struct page *p, struct val *v, const struct keyspec *k)
{
	const char *path = p->display;
	int top = v >= p->meta->kids && v < p->meta->kids + p->meta->n;
	if (k->required && top && p->kind == PAGE_PROCEDURE && v->type == V_STR && vocab_unverified(v->str)) {
		free(v->str);
		v->str = xstrdup(VOCAB_UNVERIFIED);
		if (k->type == K_LIST)
			to_list(v);
		return -1;             /* the caller records it, once v is in place */
	}
	switch (k->type) {
	case K_TEXT:
		if (!as_text(v)) {
			diag_error(&s->diag, path, v->line, v->col, "'%s' must be %s, not %s",
			    k->key, tr("text"), tr(val_type_name(v->type)));
			return 0;
		}
		break;
	case K_DATE: {
		int y, m, d;
		if (!as_text(v) || !date_valid(v->str, &y, &m, &d)) {
			diag_error(&s->diag, path, v->line, v->col,
			    "'%s' is not a real date (YYYY-MM-DD): '%s'", k->key, v->str ? v->str : "");
			return 0;
		}
		break;
	}
	case K_BOOL:
		if (v->type != V_BOOL) {
			diag_error(&s->diag, path, v->line, v->col, "'%s' must be %s, not %s",
			    k->key, tr("true or false"), tr(val_type_name(v->type)));
			return 0;
		}
		break;
	case K_INT:
		if (v->type != V_INT) {
			diag_error(&s->diag, path, v->line, v->col, "'%s' must be %s, not %s",
			    k->key, tr("a whole number"), tr(val_type_name(v->type)));
			return 0;
		}
		break;
	case K_TEXT_OR_LIST:
	case K_LIST:
		if (v->type == V_LIST) {
			for (size_t i = 0; i < v->n; i++)
				if (!as_text(&v->kids[i])) {
					diag_error(&s->diag, path, v->kids[i].line, v->kids[i].col,
					    "'%s' must be %s, not %s", k->key, tr("text or a list of text"),
					    tr(val_type_name(v->kids[i].type)));
					return 0;
				}
		} else if (!as_text(v)) {
			diag_error(&s->diag, path, v->line, v->col, "'%s' must be %s, not %s",
			    k->key, tr("text or a list of text"), tr(val_type_name(v->type)));
			return 0;
		}
		break;
	case K_ANY:
		break;
	}
	const char *const *allowed = k->allowed == vocab_levels && s->levels ? s->levels : k->allowed;
	if (allowed) {
		struct val *items = v->type == V_LIST ? v->kids : v;
		size_t n = v->type == V_LIST ? v->n : 1;
		for (size_t i = 0; i < n; i++) {
			const char *c = items[i].type == V_STR ? canonical(items[i].str, allowed) : NULL;
			if (!c) {
				char *al = allowed_list(allowed);
				diag_error(&s->diag, path, items[i].line, items[i].col,
				    "'%s' must be one of %s, not '%s'", k->key, al,
				    items[i].str ? items[i].str : tr(val_type_name(items[i].type)));
				free(al);
				return 0;
			}
			free(items[i].str);
			items[i].str = xstrdup(c);
			items[i].type = V_STR;
		}
	}
	if (k->type != K_BOOL && k->type != K_INT && v->type == V_STR && !*v->str && k->required) {
		diag_error(&s->diag, path, v->line, v->col, "'%s' must not be empty", k->key);
		return 0;
	}
	if (k->type == K_LIST)
		to_list(v);
	return 1;
}

/* Check every key of map against ks; report unknown and missing ones. */
static void
check_keys(struct site *s, struct page *p, struct val *map, const struct keyspec *ks,
    int line, int col)
{
	struct later { const char *key; int line, col; } later[32];
	size_t nu = 0;
	for (size_t i = 0; i < map->n; i++) {
		struct val *v = &map->kids[i];
		const struct keyspec *k = ks;
		while (k->key && strcmp(k->key, v->key) != 0)
			k++;
		if (!k->key) {
			if (strncmp(v->key, "x-", 2) == 0 || strncmp(v->key, "x_", 2) == 0)
				continue;     /* extension keys for site plugins */
			const char *m = key_did_you_mean(v->key, ks);
			if (m)
				diag_error(&s->diag, p->display, v->key_line, v->key_col,
				    "unknown key '%s'; did you mean '%s'?", v->key, m);
			else
				diag_error(&s->diag, p->display, v->key_line, v->key_col,
				    "unknown key '%s'", v->key);
			continue;
		}
		if (v->type == V_NULL && !k->required)
			continue;
		if (check_value(s, p, v, k) < 0 && nu < sizeof later / sizeof *later)
			later[nu++] = (struct later){ k->key, v->line, v->col };
	}
	for (size_t i = 0; i < nu; i++)         /* after the loop: this adds to the map */
		unverified(s, p, later[i].key, later[i].line, later[i].col);
	for (const struct keyspec *k = ks; k->key; k++) {
		struct val *v = val_get(map, k->key);
		if (k->required && (!v || v->type == V_NULL))
			diag_error(&s->diag, p->display, v ? v->line : line, v ? v->col : col,
			    "missing required key '%s'", k->key);
	}
}

int
code_valid(const char *c)
{
	if (strlen(c) != 8 || !isdigit((unsigned char)c[0]) || c[1] != '.')
		return 0;
	for (int i = 2; i < 8; i++)
		if (!isdigit((unsigned char)c[i]))
			return 0;
	return 1;
}

static char *
sha256_file(struct site *s, const char *rel)
{
	char *data;
	size_t len;
	if (source_read(s->src, rel, &data, &len) != 0)
		return NULL;
	struct sha256_ctx ctx;
	uint8_t dig[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof dig, dig);
	free(data);
	char *hex = xmalloc(2 * SHA256_DIGEST_SIZE + 1);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	return hex;
}

/* An unknown section of p whose heading looks like the required one id:
 * the same first two words, or a few letters apart. */
static const struct section *
near_section(const struct page *p, const char *id)
{
	size_t two = strcspn(id, "-");
	two += id[two] ? 1 + strcspn(id + two + 1, "-") : 0;
	for (size_t i = 0; i < p->nsections; i++) {
		const struct section *sec = &p->sections[i];
		const char *one[] = { id, NULL };
		if (!sec->known && ((strncmp(sec->id, id, two) == 0 && (sec->id[two] == '-' || !sec->id[two])) ||
		    did_you_mean(sec->id, one)))
			return sec;
	}
	return NULL;
}

/* The file that key of map names under static/: its SHA-256 and its URL
 * set as map's keys sha and url (SPEC §3: the page shows the hash). */
static void
static_file(struct site *s, struct page *p, struct val *map, const char *key, const char *sha, const char *url)
{
	const char *df = val_str(map, key);
	const char *rel = strncmp(df, "static/", 7) == 0 ? df + 7 : df + (df[0] == '/');
	char *path = xasprintf("static/%s", rel);
	char *hex = strstr(rel, "..") ? NULL : sha256_file(s, path);
	if (!hex) {
		struct val *v = val_get(map, key);
		diag_error(&s->diag, p->display, v->line, v->col, "file '%s' not found under static/", df);
	} else {
		const char *given = val_str(map, sha);
		if (given && strcmp(given, hex) != 0) {
			struct val *v = val_get(map, sha);
			diag_error(&s->diag, p->display, v->line, v->col,
			    "'%s' does not match the file: its SHA-256 is %s", sha, hex);
		}
		val_set_str(map, sha, hex);
		if (!val_str(map, url)) {
			char *u = xasprintf("/%s", rel);
			val_set_str(map, url, u);
			free(u);
		}
	}
	free(hex);
	free(path);
}

/* A key that is a list of maps, each checked against ks; 0 if it is not. */
static int
check_map_list(struct site *s, struct page *p, struct val *v, const struct keyspec *ks, const char *what)
{
	if (v->type != V_LIST) {
		diag_error(&s->diag, p->display, v->line, v->col, "'%s' must be %s, not %s",
		    what, tr("a list"), tr(val_type_name(v->type)));
		return 0;
	}
	for (size_t i = 0; i < v->n; i++) {
		struct val *c = &v->kids[i];
		if (c->type != V_MAP)
			diag_error(&s->diag, p->display, c->line, c->col, "each item of '%s' must be a mapping with '%s'",
			    what, ks->key);
		else
			check_keys(s, p, c, ks, c->line, c->col);
	}
	return 1;
}

/* The record keys of a procedure (SPEC §3): decisions, repeal, sub-cases,
 * sources; and required sections written as not yet verified. */
static void
check_records(struct site *s, struct page *p)
{
	struct val *m = p->meta, *v;
	if ((v = val_get(m, "decision")) && v->type != V_NULL && !as_text(v) &&
	    check_map_list(s, p, v, decision_keys, "decision"))
		for (size_t i = 0; i < v->n; i++)
			if (v->kids[i].type == V_MAP && val_str(&v->kids[i], "file"))
				static_file(s, p, &v->kids[i], "file", "sha256", "url");
	if ((v = val_get(m, "repealed")) && v->type != V_NULL) {
		if (v->type != V_MAP)
			diag_error(&s->diag, p->display, v->line, v->col, "'%s' must be %s, not %s",
			    "repealed", tr("a mapping with date and decision"), tr(val_type_name(v->type)));
		else
			check_keys(s, p, v, repealed_keys, v->line, v->col);
		const char *st = val_str(m, "status");
		if (!st || strcmp(st, "bãi bỏ") != 0)
			diag_error(&s->diag, p->display, v->line, v->col, "'repealed' needs 'status: bãi bỏ'");
	}
	if ((v = val_get(m, "cases")) && v->type != V_NULL)
		check_map_list(s, p, v, case_keys, "cases");
	if ((v = val_get(m, "sources")) && v->type != V_NULL) {
		if (v->type == V_MAP)           /* per fact: key → list */
			for (size_t i = 0; i < v->n; i++) {
				const struct keyspec *k = procedure_keys;
				while (k->key && strcmp(k->key, v->kids[i].key) != 0)
					k++;
				if (!k->key)
					diag_error(&s->diag, p->display, v->kids[i].key_line, v->kids[i].key_col,
					    "'sources' names '%s', which is not a procedure key", v->kids[i].key);
				check_map_list(s, p, &v->kids[i], source_keys, "sources");
			}
		else
			check_map_list(s, p, v, source_keys, "sources");
	}
	char *body = page_body(p);
	for (size_t r = 0; r < sizeof required_sections / sizeof *required_sections; r++)
		for (size_t i = 0; i < p->nsections; i++)
			if (strcmp(p->sections[i].id, required_sections[r][0]) == 0 &&
			    vocab_unverified(page_part(body, p->sections[i].text)))
				unverified(s, p, required_sections[r][0], p->sections[i].line, 1);
	free(body);
}

static void
check_procedure(struct site *s, struct page *p)
{
	struct val *m = p->meta;
	const char *code = val_str(m, "code");
	struct val *cv = val_get(m, "code");
	if (code && *code && !code_valid(code))
		diag_error(&s->diag, p->display, cv->line, cv->col,
		    "procedure code must look like 1.001193, not '%s'", code);
	if (!val_get(m, "status"))
		val_set_str(m, "status", "hiệu lực");
	struct val *rep = val_get(m, "replaces");
	for (size_t i = 0; rep && rep->type == V_LIST && i < rep->n; i++)
		if (rep->kids[i].type == V_STR && !code_valid(rep->kids[i].str))
			diag_error(&s->diag, p->display, rep->kids[i].line, rep->kids[i].col,
			    "procedure code must look like 1.001193, not '%s'", rep->kids[i].str);
	struct val *ch = val_get(m, "channels");
	if (ch && ch->type != V_NULL) {
		if (ch->type != V_LIST)
			diag_error(&s->diag, p->display, ch->line, ch->col, "'%s' must be %s, not %s",
			    "channels", tr("a list"), tr(val_type_name(ch->type)));
		for (size_t i = 0; ch->type == V_LIST && i < ch->n; i++) {
			struct val *c = &ch->kids[i];
			if (c->type != V_MAP) {
				diag_error(&s->diag, p->display, c->line, c->col,
				    "each channel must be a mapping with 'method'");
				continue;
			}
			check_keys(s, p, c, channel_keys, c->line, c->col);
		}
	}
	const char *url = val_str(m, "portal_url");
	if (url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		struct val *u = val_get(m, "portal_url");
		diag_error(&s->diag, p->display, u->line, u->col, "'%s' must be %s, not %s",
		    "portal_url", tr("an http:// or https:// address"), url);
	}
	if (val_str(m, "decision_file"))
		static_file(s, p, m, "decision_file", "decision_sha256", "decision_url");
	check_records(s, p);
	for (size_t r = 0; r < sizeof required_sections / sizeof *required_sections; r++) {
		size_t i = 0;
		while (i < p->nsections && strcmp(p->sections[i].id, required_sections[r][0]) != 0)
			i++;
		if (i < p->nsections)
			continue;
		const struct section *near = near_section(p, required_sections[r][0]);
		if (near)              /* a misspelt heading: point at it, not at a missing one */
			diag_error(&s->diag, p->display, near->line, 1,
			    "'## %s' is not a known section; did you mean '## %s'?", near->title,
			    required_sections[r][1]);
		else
			diag_error(&s->diag, p->display, p->body_line, 1, "missing required section '## %s'",
			    required_sections[r][1]);
	}
}

static void
check_aliases(struct site *s, struct page *p)
{
	struct val *a = val_get(p->meta, "aliases");
	for (size_t i = 0; a && a->type == V_LIST && i < a->n; i++) {
		struct val *v = &a->kids[i];
		if (v->type != V_STR)
			continue;
		if (v->str[0] != '/' || v->str[1] == '/' || strstr(v->str, "..") || !output_safe_relpath(v->str + 1))
			diag_error(&s->diag, p->display, v->line, v->col,
			    "alias '%s' must be a path starting with '/'", v->str);
	}
}

void
validate_page(struct site *s, struct page *p)
{
	const struct keyspec *ks = p->kind == PAGE_PROCEDURE ? procedure_keys :
	    p->kind == PAGE_ARTICLE ? article_keys : page_keys;
	check_keys(s, p, p->meta, ks, 1, 1);
	struct val *d = val_get(p->meta, "draft");
	p->draft = d && d->type == V_BOOL && d->num;
	if (p->kind == PAGE_PROCEDURE)
		check_procedure(s, p);
	if (p->kind == PAGE_ARTICLE) {
		if (!val_get(p->meta, "kind"))
			val_set_str(p->meta, "kind", "tin-tuc");
	}
	check_aliases(s, p);
}

/* ------------------------------------------------------- the whole site */

static int
is_reserved(const char *seg)
{
	for (const char *const *r = reserved; *r; r++)
		if (strcmp(*r, seg) == 0)
			return 1;
	return 0;
}

/* First path segment of a site URL ("/thu-tuc/x/" → "thu-tuc"). */
static char *
first_segment(const char *url)
{
	const char *a = url + (url[0] == '/');
	return xstrndup(a, strcspn(a, "/"));
}

/* The URL an alias is served at, as the redirects plugin writes it:
 * "/a" and "/a/index.html" are "/a/"; "/x.html" stays a file. */
static char *
alias_url(const char *alias)
{
	size_t n = strlen(alias);
	if (n >= 10 && strcmp(alias + n - 10, "index.html") == 0 && alias[n - 11] == '/')
		return xstrndup(alias, n - 10);
	if ((n > 5 && strcmp(alias + n - 5, ".html") == 0) || (n > 4 && strcmp(alias + n - 4, ".htm") == 0) ||
	    alias[n - 1] == '/')
		return xstrdup(alias);
	return xasprintf("%s/", alias);
}

/* Whether an alias's URL is free of the portal's own pages: not the home
 * page, not under a reserved name, except old URLs under /thu-tuc/ whose
 * next segment is not a code (the portal's /thu-tuc/CODE/ pages) and under
 * /tin-tuc/ outside its /tin-tuc/trang/ pages. Exact clashes with pages
 * and articles are the URL claims' business. */
static int
alias_free(const char *url)
{
	if (strcmp(url, "/") == 0)
		return 0;
	char *seg = first_segment(url);
	int ok = !is_reserved(seg);
	if (!ok && (strcmp(seg, "thu-tuc") == 0 || strcmp(seg, "tin-tuc") == 0)) {
		char *next = first_segment(url + strlen(seg) + 1);
		ok = *next && (strcmp(seg, "thu-tuc") == 0 ? !code_valid(next) : strcmp(next, "trang") != 0);
		free(next);
	}
	free(seg);
	return ok;
}

struct claim { const char *url; struct page *page; int line, col; };

static int
claim_cmp(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;
	int c = strcmp(x->url, y->url);
	return c ? c : strcmp(x->page->path, y->page->path);
}

/* Offices (data/co-quan.yaml, SPEC §3): a list of maps, or a map from
 * name to map; the map form is made the list form here (each entry named
 * by its key unless it has a name), so plugins see one shape. */
static void
offices_as_list(struct val *o)
{
	if (!o || o->type != V_MAP)
		return;
	o->type = V_LIST;
	for (size_t i = 0; i < o->n; i++) {
		struct val *e = &o->kids[i];
		if (e->type == V_MAP && !val_get(e, "name"))
			val_set_str(e, "name", e->key);
		free(e->key);
		e->key = NULL;
	}
}

/* Each office's folded names (current and former) into names, the
 * display ones into shown, both NULL-terminated (malloc'd arrays of
 * malloc'd strings). */
static size_t
office_names(struct site *s, char ***names, char ***shown)
{
	struct val *o = val_get(s->data, "co-quan");
	size_t n = 0, cap = 0;
	*names = *shown = NULL;
	offices_as_list(o);
	for (size_t i = 0; o && o->type == V_LIST && i < o->n; i++) {
		struct val *e = &o->kids[i], *fm = e->type == V_MAP ? val_get(e, "former_names") : NULL;
		const char *name = e->type == V_MAP ? val_str(e, "name") : NULL;
		if (!name) {
			diag_error(&s->diag, "data/co-quan.yaml", e->line, e->col, "each office needs a 'name'");
			continue;
		}
		for (size_t k = 0; k <= (fm && fm->type == V_LIST ? fm->n : 0); k++) {
			const char *nm = k ? (fm->kids[k - 1].type == V_STR ? fm->kids[k - 1].str : NULL) : name;
			if (!nm)
				continue;
			if (n + 2 > cap) {
				cap = cap ? 2 * cap : 16;
				*names = xrealloc(*names, cap * sizeof **names);
				*shown = xrealloc(*shown, cap * sizeof **shown);
			}
			(*names)[n] = text_fold(nm);
			(*shown)[n++] = xstrdup(nm);
		}
	}
	if (n) {
		(*names)[n] = (*shown)[n] = NULL;
	}
	return n;
}

/* reception must name offices that data/co-quan.yaml describes; agency
 * names close to a described one (but not it) get a "did you mean". */
static void
check_offices(struct site *s)
{
	char **names, **shown;
	size_t n = office_names(s, &names, &shown);
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = &s->pages[i];
		if (p->kind != PAGE_PROCEDURE)
			continue;
		for (int r = 0; r < 2; r++) {
			struct val *l = val_get(p->meta, r ? "reception" : "agency");
			for (size_t k = 0; l && l->type == V_LIST && k < l->n; k++) {
				struct val *v = &l->kids[k];
				if (v->type != V_STR || vocab_unverified(v->str))
					continue;
				char *f = text_fold(v->str);
				size_t j = 0;
				while (j < n && strcmp(names[j], f) != 0)
					j++;
				const char *near = j < n || !n ? NULL : did_you_mean(f, (const char *const *)names);
				const char *mean = NULL;
				for (size_t x = 0; near && x < n; x++)
					if (names[x] == near)
						mean = shown[x];
				if (j == n && r && !n)
					diag_error(&s->diag, p->display, v->line, v->col,
					    "'reception' names '%s', but no data/co-quan.yaml describes offices", v->str);
				else if (j == n && r)
					diag_error(&s->diag, p->display, v->line, v->col, mean ?
					    "office '%s' is not in data/co-quan.yaml; did you mean '%s'?" :
					    "office '%s' is not in data/co-quan.yaml", v->str, mean);
				else if (j == n && mean)
					diag_warn(&s->diag, p->display, v->line, v->col,
					    "agency '%s' is not in data/co-quan.yaml; did you mean '%s'?", v->str, mean);
				free(f);
			}
		}
	}
	for (size_t j = 0; j < n; j++) {
		free(names[j]);
		free(shown[j]);
	}
	free(names);
	free(shown);
}

void
validate_site(struct site *s)
{
	check_offices(s);
	/* unique codes: sorted once; of two files, the later path is reported */
	struct claim *codes = xcalloc(s->npages + 1, sizeof *codes);
	size_t nc = 0;
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = &s->pages[i];
		const char *code = p->kind == PAGE_PROCEDURE ? val_str(p->meta, "code") : NULL;
		if (code && *code)
			codes[nc++] = (struct claim){ code, p, 0, 0 };
	}
	qsort(codes, nc, sizeof *codes, claim_cmp);
	for (size_t i = 1; i < nc; i++)
		if (strcmp(codes[i].url, codes[i - 1].url) == 0) {
			/* both files: either may be the one just edited */
			struct val *v = val_get(codes[i].page->meta, "code");
			struct val *w = val_get(codes[i - 1].page->meta, "code");
			diag_error(&s->diag, codes[i - 1].page->display, w->line, w->col,
			    "procedure code %s is also used by %s", codes[i].url, codes[i].page->display);
			diag_error(&s->diag, codes[i].page->display, v->line, v->col,
			    "procedure code %s is also used by %s", codes[i].url, codes[i - 1].page->display);
		}
	free(codes);
	/* URLs and aliases: unique, not reserved */
	size_t n = 0, cap = s->npages * 2 + 8, nalias = 0, nalias_max = 0;
	struct claim *cl = xcalloc(cap, sizeof *cl);
	for (size_t i = 0; i < s->npages; i++) {
		struct val *a = val_get(s->pages[i].meta, "aliases");
		nalias_max += a && a->type == V_LIST ? a->n : 0;
	}
	char **aliases = xcalloc(nalias_max + 1, sizeof *aliases);
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = &s->pages[i];
		if (n == cap)
			cl = xrealloc(cl, (cap *= 2) * sizeof *cl);
		cl[n++] = (struct claim){ p->url, p, 1, 1 };
		if (p->kind == PAGE_PAGE) {
			char *seg = first_segment(p->url);
			if (is_reserved(seg))
				diag_error(&s->diag, p->display, 1, 1, "URL %s is reserved by the portal", p->url);
			free(seg);
		}
		if (p->kind == PAGE_ARTICLE && strcmp(p->url, "/tin-tuc/trang/") == 0)
			diag_error(&s->diag, p->display, 1, 1, "URL %s is reserved by the portal", p->url);
		struct val *a = val_get(p->meta, "aliases");
		for (size_t k = 0; a && a->type == V_LIST && k < a->n; k++) {
			struct val *v = &a->kids[k];
			if (v->type != V_STR || v->str[0] != '/')
				continue;
			char *u = alias_url(v->str);
			if (!alias_free(u))
				diag_error(&s->diag, p->display, v->line, v->col,
				    "alias %s would replace a page of the portal", v->str);
			if (n == cap)
				cl = xrealloc(cl, (cap *= 2) * sizeof *cl);
			cl[n++] = (struct claim){ u, p, v->line, v->col };
			aliases[nalias++] = u;
		}
	}
	qsort(cl, n, sizeof *cl, claim_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(cl[i].url, cl[i - 1].url) == 0 &&
		    !(cl[i].line == 1 && cl[i - 1].line == 1 && cl[i].page->kind == PAGE_PROCEDURE &&
		      cl[i - 1].page->kind == PAGE_PROCEDURE))      /* same code: reported above */
			diag_error(&s->diag, cl[i].page->display, cl[i].line, cl[i].col,
			    "URL %s is also produced by %s", cl[i].url, cl[i - 1].page->display);
	free(cl);
	for (size_t i = 0; i < nalias; i++)
		free(aliases[i]);
	free(aliases);
	/* replaced codes should be procedures of this site (or deleted ones) */
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = &s->pages[i];
		struct val *r = p->kind == PAGE_PROCEDURE ? val_get(p->meta, "replaces") : NULL;
		for (size_t k = 0; r && r->type == V_LIST && k < r->n; k++)
			if (r->kids[k].type == V_STR && !site_find_code(s, r->kids[k].str) &&
			    code_valid(r->kids[k].str))
				diag_warn(&s->diag, p->display, r->kids[k].line, r->kids[k].col,
				    "'%s' names %s, which is not a procedure of this site", "replaces",
				    r->kids[k].str);
	}
}

/* ------------------------------------------------------------- links */

static void
add_url(char ***v, size_t *n, size_t *cap, char *u)
{
	if (*n == *cap)
		*v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 256) * sizeof **v);
	(*v)[(*n)++] = u;
}

/* Every URL the core knows the portal will have. */
static char **
known_urls(struct site *s, size_t *count)
{
	static const char *const fixed[] = {
		"/", "/thu-tuc/", "/linh-vuc/", "/cap/", "/cap/tinh/", "/cap/huyen/", "/cap/xa/",
		"/co-quan/", "/tin-tuc/", "/thay-doi/", "/tim-kiem/", "/feed.xml",
		"/thay-doi/feed.xml", "/sitemap.xml", "/robots.txt", "/404.html", NULL };
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (const char *const *f = fixed; *f; f++)
		add_url(&v, &n, &cap, xstrdup(*f));
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = &s->pages[i];
		add_url(&v, &n, &cap, xstrdup(p->url));
		struct val *a = val_get(p->meta, "aliases");
		for (size_t k = 0; a && a->type == V_LIST && k < a->n; k++)
			if (a->kids[k].type == V_STR)
				add_url(&v, &n, &cap, xstrdup(a->kids[k].str));
		if (p->kind != PAGE_PROCEDURE)
			continue;
		const char *f = val_str(p->meta, "field");
		if (f) {
			char *sl = text_slug(f);
			add_url(&v, &n, &cap, xasprintf("/linh-vuc/%s/", sl));
			free(sl);
		}
		struct val *ag = val_get(p->meta, "agency");
		for (size_t k = 0; ag && ag->type == V_LIST && k < ag->n; k++) {
			char *sl = text_slug(ag->kids[k].str ? ag->kids[k].str : "");
			add_url(&v, &n, &cap, xasprintf("/co-quan/%s/", sl));
			free(sl);
		}
	}
	for (size_t i = 0; s->deleted && i < s->deleted->n; i++) {
		const char *u = val_str(&s->deleted->kids[i], "url");
		if (u)
			add_url(&v, &n, &cap, xstrdup(u));
	}
	struct source_file *files;
	size_t nf;
	/* static/ is listed here for check and build alike: its problems (a
	 * link leaving the tree) are reported once, here */
	if (source_list(s->src, "static", &files, &nf, &s->diag) == 0) {
		for (size_t i = 0; i < nf; i++)
			add_url(&v, &n, &cap, xasprintf("/%s", files[i].path + strlen("static/")));
		source_files_free(files, nf);
	}
	qsort(v, n, sizeof *v, strp_cmp);
	*count = n;
	return v;
}

static int
known(char **urls, size_t n, const char *u)
{
	return bsearch(&u, urls, n, sizeof *urls, strp_cmp) != NULL;
}

/* The folders whose files plugins read (templates, site plugins): listed
 * only so that a symbolic link leaving the tree is reported. */
static void
check_read_folders(struct site *s)
{
	static const char *const dirs[] = { "templates", "plugins" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		struct source_file *files;
		size_t nf;
		if (source_list(s->src, dirs[i], &files, &nf, &s->diag) == 0)
			source_files_free(files, nf);
	}
}

void
validate_links(struct site *s)
{
	size_t n;
	check_read_folders(s);
	char **urls = known_urls(s, &n);
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = &s->pages[i];
		for (size_t k = 0; k < p->nlinks; k++) {
			char *u = xstrndup(p->links[k], strcspn(p->links[k], "?#"));
			char *slash = xasprintf("%s/", u);
			int ok = known(urls, n, u) || known(urls, n, slash) ||
			    (strncmp(u, "/tin-tuc/trang/", 15) == 0);
			/* a file that did not parse may be the target: no knock-on errors */
			if (!ok && !s->unparsed)
				diag_error(&s->diag, p->display, p->link_lines[k], 1,
				    "broken internal link '%s'", p->links[k]);
			free(u);
			free(slash);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(urls[i]);
	free(urls);
}
