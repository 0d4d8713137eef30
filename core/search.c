/*
 * search.c — `congkhai search [-o DIR] [--json] [--limit N] QUERY...`: the
 * index of a built site (DIR/index.sqlite), queried as the browser does:
 * the query is folded and split like the text (index.c), words are ANDed,
 * the last word is a prefix, an exact procedure code comes first, and
 * pages not in force come after those in force. Query text never reaches
 * SQL as syntax: every term is quoted for FTS5 and bound as a parameter.
 */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "congkhai.h"
#include "index.h"
#include "search.h"

static const char help[] =
	"usage: congkhai search [-o DIR] [--json] [--limit N] QUERY...\n"
	"\n"
	"Search the index of a built site (DIR/index.sqlite; default site/). Words\n"
	"are matched without tone marks or case (\"dang ky khai sinh\" finds \"Đăng ký\n"
	"khai sinh\"), all of them must match, the last one as a prefix. A procedure\n"
	"code puts that procedure first.\n"
	"  -o, --output DIR  the built site (default: site)\n"
	"      --json        a JSON array: code, title, url, kind, state, snippet, score\n"
	"      --limit N     at most N results (default 20)\n";

static void
collect(const char *t, size_t n, void *arg)
{
	struct search_terms *q = arg;
	q->v = xrealloc(q->v, (q->n + 1) * sizeof *q->v);
	q->v[q->n++] = xstrndup(t, n);
}

void
search_parse(const char *query, size_t len, struct search_terms *q)
{
	char *nfc = text_nfc(query, len);
	char *folded = text_fold(nfc ? nfc : "");
	free(nfc);
	index_terms(folded, collect, q);
	free(folded);
}

void
search_terms_free(struct search_terms *q)
{
	for (size_t i = 0; i < q->n; i++)
		free(q->v[i]);
	free(q->v);
	q->v = NULL;
	q->n = 0;
}

/* The FTS5 query: "t1" "t2" ... "tn"* — quoted, so nothing is an operator. */
char *
search_fts_query(const struct search_terms *q)
{
	struct buf b = {0};
	for (size_t i = 0; i < q->n; i++) {
		buf_printf(&b, "%s\"", i ? " " : "");
		for (const char *c = q->v[i]; *c; c++) {
			if (*c == '"')
				buf_putc(&b, '"');
			buf_putc(&b, *c);
		}
		buf_puts(&b, i + 1 == q->n ? "\"*" : "\"");
	}
	return buf_steal(&b);
}

static int
matches(const char *word, const struct search_terms *q)
{
	for (size_t i = 0; i < q->n; i++) {
		size_t n = strlen(q->v[i]);
		if (i + 1 == q->n ? strncmp(word, q->v[i], n) == 0 : strcmp(word, q->v[i]) == 0)
			return 1;
	}
	return 0;
}

struct split { char **words; size_t n; };

static void
add_word(const char *t, size_t n, void *arg)
{
	struct split *s = arg;
	s->words = xrealloc(s->words, (s->n + 1) * sizeof *s->words);
	s->words[s->n++] = xstrndup(t, n);
}

/* A window of the original text around the first word that matches,
 * the matching words marked «like this». */
char *
search_snippet(const char *text, const struct search_terms *q)
{
	struct buf b = {0};
	const char *p = text ? text : "";
	/* words of the original text, with where they start and end */
	size_t cap = 0, n = 0, first = (size_t)-1;
	const char **start = NULL, **end = NULL;
	int *hit = NULL;
	while (*p) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *s = p;
		while (*p && *p != ' ' && *p != '\n' && *p != '\t')
			p++;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			start = xrealloc(start, cap * sizeof *start);
			end = xrealloc(end, cap * sizeof *end);
			hit = xrealloc(hit, cap * sizeof *hit);
		}
		char *w = xstrndup(s, (size_t)(p - s)), *f = text_fold(w);
		struct split sp = {0};
		index_terms(f, add_word, &sp);
		int h = 0;
		for (size_t i = 0; i < sp.n; i++) {
			h |= matches(sp.words[i], q);
			free(sp.words[i]);
		}
		free(sp.words);
		free(w);
		free(f);
		start[n] = s;
		end[n] = p;
		hit[n] = h;
		if (h && first == (size_t)-1)
			first = n;
		n++;
	}
	size_t from = first == (size_t)-1 || first < 8 ? 0 : first - 8, to = from + 24 < n ? from + 24 : n;
	if (from > 0)
		buf_puts(&b, "… ");
	for (size_t i = from; i < to; i++) {
		if (i > from)
			buf_putc(&b, ' ');
		if (hit[i])
			buf_puts(&b, "«");
		buf_add(&b, start[i], (size_t)(end[i] - start[i]));
		if (hit[i])
			buf_puts(&b, "»");
	}
	if (to < n)
		buf_puts(&b, " …");
	free(start);
	free(end);
	free(hit);
	return buf_steal(&b);
}

static int
is_code(const char *s)
{
	regex_t re;
	regcomp(&re, "^[0-9]\\.[0-9]{6}$", REG_EXTENDED | REG_NOSUB);
	int ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static const char sql[] =
	"SELECT p.code, p.title, p.url, p.kind, p.state, p.text,"
	" -bm25(fts, " "10.0, 10.0, 4.0, 4.0, 1.0" ") AS score"
	" FROM fts JOIN pages p ON p.id = fts.rowid WHERE fts MATCH ?1"
	" ORDER BY (p.code IS NOT NULL AND p.code = ?2) DESC, (p.state <> 'in-force') ASC,"
	"  p.id IN (SELECT rowid FROM fts WHERE fts MATCH ?4) DESC, (p.kind = 'procedure') DESC,"
	"  score DESC, p.id LIMIT ?3";

/* All the query's words in the title (the last as a prefix). */
static char *
title_phrase(const struct search_terms *q)
{
	char *all = search_fts_query(q), *r = xasprintf("title : (%s)", all);
	free(all);
	return r;
}

static void
json_field(struct buf *b, const char *k, const char *v, int comma)
{
	struct val s = { .type = v ? V_STR : V_NULL, .str = (char *)v };
	buf_printf(b, "%s\"%s\":", comma ? "," : "", k);
	val_json(b, &s);
}

int
cmd_search(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' }, { "json", no_argument, NULL, 'J' },
		{ "limit", required_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *dir = "site";
	int json = 0, limit = 20, c;
	optind = 0;            /* 0, not 1: GNU getopt then forgets a previous scan's state */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", longs, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(help, stdout); return EXIT_OK;
		case 'o': dir = optarg; break;
		case 'J': json = 1; break;
		case 'l':
			limit = atoi(optarg);
			if (limit < 1 || limit > 10000) {
				fprintf(stderr, "congkhai search: %s\n", tr("--limit takes a number from 1 to 10000"));
				return EXIT_USAGE;
			}
			break;
		default: fputs(help, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(help, stderr);
		return EXIT_USAGE;
	}
	struct buf query = {0};
	for (int i = optind; i < argc; i++)
		buf_printf(&query, "%s%s", i > optind ? " " : "", argv[i]);
	struct search_terms q = {0};
	search_parse(query.s, query.len, &q);
	buf_free(&query);
	char *path = xasprintf("%s/index.sqlite", dir);
	sqlite3 *db = NULL;
	int rc = EXIT_OK;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "congkhai search: %s: %s\n", path, tr("no index; build the site first"));
		rc = EXIT_CONTENT;
	}
	struct buf out = {0};
	size_t count = 0;
	if (rc == EXIT_OK && q.n > 0) {
		char *match = search_fts_query(&q), *phrase = title_phrase(&q);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "congkhai search: %s: %s\n", path, sqlite3_errmsg(db));
			rc = EXIT_CONTENT;
		} else {
			sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, q.n == 1 && is_code(q.v[0]) ? q.v[0] : "", -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 3, limit);
			sqlite3_bind_text(st, 4, phrase, -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *code = (const char *)sqlite3_column_text(st, 0);
				const char *title = (const char *)sqlite3_column_text(st, 1);
				const char *url = (const char *)sqlite3_column_text(st, 2);
				const char *kind = (const char *)sqlite3_column_text(st, 3);
				const char *state = (const char *)sqlite3_column_text(st, 4);
				char *snip = search_snippet((const char *)sqlite3_column_text(st, 5), &q);
				double score = sqlite3_column_double(st, 6);
				if (json) {
					buf_puts(&out, count ? ",\n" : "[\n");
					buf_putc(&out, '{');
					int comma = 0;
					if (code) {
						json_field(&out, "code", code, 0);
						comma = 1;
					}
					json_field(&out, "title", title, comma);
					json_field(&out, "url", url, 1);
					json_field(&out, "kind", kind, 1);
					json_field(&out, "state", state, 1);
					json_field(&out, "snippet", snip, 1);
					buf_printf(&out, ",\"score\":%.4f}", score);
				} else {
					buf_printf(&out, "%zu. %s%s%s", count + 1, code ? code : "", code ? " " : "", title);
					if (state && strcmp(state, "in-force") != 0)
						buf_printf(&out, " [%s]", tr(state));
					buf_printf(&out, "\n   %s\n   %s\n", url, snip);
				}
				free(snip);
				count++;
			}
			sqlite3_finalize(st);
		}
		free(match);
		free(phrase);
	}
	if (rc == EXIT_OK && json)
		fputs(count ? buf_cstr(&out) : "[]", stdout), fputs(count ? "\n]\n" : "\n", stdout);
	else if (rc == EXIT_OK && count)
		fputs(buf_cstr(&out), stdout);
	else if (rc == EXIT_OK)
		fprintf(stderr, "%s\n", tr("no results"));
	buf_free(&out);
	search_terms_free(&q);
	free(path);
	sqlite3_close(db);
	return rc;
}
