/*
 * search.c — `congkhai search [-o DIR] [--json] [--limit N] QUERY...`: the
 * index of a built site (DIR/index.sqlite), queried as the browser does:
 * the query is folded and split like the text (index.c), words are ANDed,
 * the last word is a prefix, an exact procedure code comes first, and
 * pages not in force come after those in force. Query text never reaches
 * SQL as syntax: every term is quoted for FTS5 and bound as a parameter.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "congkhai.h"
#include "index.h"
#include "search.h"
#include "rank.h"

static const char help[] =
	"usage: congkhai search [-o DIR] [--json] [--limit N] QUERY...\n"
	"\n"
	"Search the index of a built site (DIR/index.sqlite; default site/) and rank\n"
	"as the browser does. Words are matched without tone marks or case, i and y\n"
	"alike (\"dang ki khai sinh\" finds \"Đăng ký khai sinh\"), with or without\n"
	"spaces (\"khaisinh\", \"hokinhdoanh\"); all must match, the last one also as\n"
	"a prefix. A procedure code puts that procedure first.\n"
	"  -o, --output DIR  the built site (default: site)\n"
	"      --json        a JSON array: code, title, url, kind, state, snippet, score\n"
	"      --limit N     at most N results (default 20)\n";

/* The index's meta row key (malloc'd), or NULL. */
static char *
meta_value(sqlite3 *db, const char *key)
{
	sqlite3_stmt *m = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &m, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(m, 1, key, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(m) == SQLITE_ROW &&
	    sqlite3_column_text(m, 0))
		v = xstrdup((const char *)sqlite3_column_text(m, 0));
	sqlite3_finalize(m);
	return v;
}

static void
collect(const char *t, size_t n, void *arg)
{
	struct search_terms *q = arg;
	q->v = xrealloc(q->v, (q->n + 1) * sizeof *q->v);
	q->v[q->n] = xstrndup(t, n);
	rank_norm(q->v[q->n++]);
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

/* Which of the query's words (bit i: word i) the text's word is: the
 * last as a prefix too when it has RANK_PREFIX_MIN letters or more. */
static unsigned
matches(const char *word, const struct search_terms *q)
{
	unsigned m = 0;
	for (size_t i = 0; i < q->n && i < 32; i++) {
		size_t n = strlen(q->v[i]);
		if (strcmp(word, q->v[i]) == 0 ||
		    (i + 1 == q->n && n >= RANK_PREFIX_MIN && strncmp(word, q->v[i], n) == 0))
			m |= 1u << i;
	}
	return m;
}

struct split { char **words; size_t n; };

static void
add_word(const char *t, size_t n, void *arg)
{
	struct split *s = arg;
	s->words = xrealloc(s->words, (s->n + 1) * sizeof *s->words);
	s->words[s->n] = xstrndup(t, n);
	rank_norm(s->words[s->n++]);
}

/* The best-matching passage of the text: the window of SNIPPET_WORDS
 * words holding the most of the query's distinct words, then the most
 * pairs of them side by side as in the query, then the most hits, the
 * earliest on ties; the matching words marked «like this». */
#define SNIPPET_WORDS 24
char *
search_snippet(const char *text, const struct search_terms *q)
{
	struct buf b = {0};
	const char *p = text ? text : "";
	/* words of the original text, with where they start and end */
	size_t cap = 0, n = 0;
	const char **start = NULL, **end = NULL;
	unsigned *hit = NULL;
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
		unsigned h = 0;
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
		n++;
	}
	size_t from = 0;
	long best = 0;
	for (size_t w = 0; w < n; w++) {
		if (!hit[w])
			continue;                  /* a best window starts at a hit */
		unsigned all = 0;
		long pairs = 0, hits = 0;
		for (size_t i = w; i < n && i < w + SNIPPET_WORDS; i++) {
			all |= hit[i];
			hits += hit[i] != 0;
			if (i > w && (hit[i] & (hit[i - 1] << 1)))
				pairs++;
		}
		long score = (long)__builtin_popcount(all) * 10000 + pairs * 100 + hits;
		if (score > best) {
			best = score;
			from = w;
		}
	}
	from = from < 4 ? 0 : from - 4;          /* a little context before */
	size_t to = from + SNIPPET_WORDS < n ? from + SNIPPET_WORDS : n;
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

/* The rank_source of an index.sqlite: keys and their chunks (rank.h). */
struct sqlsrc { sqlite3 *db; sqlite3_stmt *get, *at, *near, *grp; };

static char *
src_postings(void *arg, const char *key, int kind)
{
	struct sqlsrc *q = arg;
	char *r = NULL;
	sqlite3_reset(q->get);
	sqlite3_bind_text(q->get, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(q->get, 2, kind);
	if (sqlite3_step(q->get) == SQLITE_ROW)
		r = xstrdup((const char *)sqlite3_column_text(q->get, 0));
	sqlite3_reset(q->get);
	return r;
}

/* The chunk key sorts into: that of the last key not after it. */
static unsigned
src_chunk(void *arg, const char *key)
{
	struct sqlsrc *q = arg;
	unsigned chunk = 0;
	sqlite3_reset(q->at);
	sqlite3_bind_text(q->at, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(q->at) == SQLITE_ROW)
		chunk = (unsigned)sqlite3_column_int64(q->at, 0);
	sqlite3_reset(q->at);
	return chunk;
}

/* The files of the groups that hold word, ascending. */
static size_t
src_groups(void *arg, const char *word, unsigned **files)
{
	struct sqlsrc *q = arg;
	size_t n = 0;
	*files = NULL;
	sqlite3_reset(q->grp);
	sqlite3_bind_text(q->grp, 1, word, -1, SQLITE_STATIC);
	while (sqlite3_step(q->grp) == SQLITE_ROW) {
		*files = xrealloc(*files, (n + 1) * sizeof **files);
		(*files)[n++] = (unsigned)sqlite3_column_int64(q->grp, 0);
	}
	sqlite3_reset(q->grp);
	return n;
}

/* Completions of prefix: in the chunk where prefix sorts, as the browser
 * sees them in the one file it fetches. */
static size_t
src_complete(void *arg, const char *prefix, int kind, char **keys)
{
	struct sqlsrc *q = arg;
	size_t n = 0;
	sqlite3_reset(q->near);
	sqlite3_bind_int64(q->near, 1, src_chunk(arg, prefix));
	sqlite3_bind_int(q->near, 2, kind);
	sqlite3_bind_text(q->near, 3, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(q->near, 4, RANK_COMPLETE);
	while (n < RANK_COMPLETE && sqlite3_step(q->near) == SQLITE_ROW)
		keys[n++] = xstrdup((const char *)sqlite3_column_text(q->near, 0));
	sqlite3_reset(q->near);
	return n;
}

static const char get_sql[] = "SELECT postings FROM keys WHERE key = ?1 AND kind = ?2";
static const char at_sql[] = "SELECT chunk FROM keys WHERE key <= ?1 ORDER BY key DESC, kind DESC LIMIT 1";
static const char near_sql[] =
	"SELECT key FROM keys WHERE chunk = ?1 AND kind = ?2 AND key > ?3 AND substr(key, 1, length(?3)) = ?3"
	" ORDER BY df DESC, key LIMIT ?4";
static const char grp_sql[] = "SELECT file FROM groups WHERE word = ?1 ORDER BY file";
static const char page_sql[] = "SELECT code, title, url, kind, state, text FROM pages WHERE id = ?1";

/* The score shown: the tiers of rank_query's order as thousands (an exact
 * code, the title class, in force), then below 1000 what orders hits in
 * the same tiers: in a title class the title's shortness (documents are
 * numbered by title length), else the words' BM25F score; so that the
 * number orders the results. */
static double
shown_score(const struct rank_hit *h, unsigned ndocs)
{
	double s = h->title ? 999.99 * (1 - (double)h->doc / ndocs) : (double)h->score / (RANK_W_EXACT * RANK_SCALE);
	return (h->code == 0 ? 100000 : 0) + h->title * 10000 + (h->late ? 0 : 1000) + (s < 999.99 ? s : 999.99);
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
	struct sqlsrc ss = { db, NULL, NULL, NULL, NULL };
	sqlite3_stmt *pg = NULL;
	sqlite3_int64 ndocs = -1;
	unsigned *lens = NULL;
	long nlens = -1;
	if (rc == EXIT_OK) {
		char *v = meta_value(db, "documents");
		if (v)
			ndocs = strtoll(v, NULL, 10);
		free(v);
		if ((v = meta_value(db, "lengths")) != NULL)
			nlens = rank_parse_lens(v, &lens);
		free(v);
		char *vocab = meta_value(db, "syllables"), **split;   /* words typed without spaces */
		size_t nsplit = rank_split(vocab, q.v, q.n, &split);
		free(vocab);
		search_terms_free(&q);
		q.v = split;
		q.n = nsplit;
		if (ndocs < 0 || ndocs > 100000000 || nlens < 0 ||
		    sqlite3_prepare_v2(db, get_sql, -1, &ss.get, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, at_sql, -1, &ss.at, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, near_sql, -1, &ss.near, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, grp_sql, -1, &ss.grp, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, page_sql, -1, &pg, NULL) != SQLITE_OK) {
			fprintf(stderr, "congkhai search: %s: %s\n", path,
			    tr("not an index of this version of congkhai; build the site again"));
			rc = EXIT_CONTENT;
		}
	}
	if (rc == EXIT_OK && q.n > 0) {
		struct rank_source src = { &ss, (unsigned)ndocs, src_postings, src_complete, src_chunk, src_groups,
			lens, (size_t)nlens };
		struct rank_hit *hits;
		size_t nh = rank_query(&src, q.v, q.n, &hits);
		for (size_t i = 0; i < nh && count < (size_t)limit; i++) {
			sqlite3_reset(pg);
			sqlite3_bind_int64(pg, 1, (sqlite3_int64)hits[i].doc + 1);
			if (sqlite3_step(pg) != SQLITE_ROW)
				continue;
			const char *code = (const char *)sqlite3_column_text(pg, 0);
			const char *title = (const char *)sqlite3_column_text(pg, 1);
			const char *url = (const char *)sqlite3_column_text(pg, 2);
			const char *kind = (const char *)sqlite3_column_text(pg, 3);
			const char *state = (const char *)sqlite3_column_text(pg, 4);
			char *snip = search_snippet((const char *)sqlite3_column_text(pg, 5), &q);
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
				buf_printf(&out, ",\"score\":%.4f}", shown_score(&hits[i], (unsigned)ndocs));
			} else {
				buf_printf(&out, "%zu. %s%s%s", count + 1, code ? code : "", code ? " " : "", title);
				if (state && strcmp(state, "in-force") != 0)
					buf_printf(&out, " [%s]", tr(state));
				buf_printf(&out, "\n   %s\n   %s\n", url, snip);
			}
			free(snip);
			count++;
		}
		free(hits);
	}
	sqlite3_finalize(ss.get);
	sqlite3_finalize(ss.at);
	sqlite3_finalize(ss.near);
	sqlite3_finalize(ss.grp);
	sqlite3_finalize(pg);
	if (rc == EXIT_OK && json)
		fputs(count ? buf_cstr(&out) : "[]", stdout), fputs(count ? "\n]\n" : "\n", stdout);
	else if (rc == EXIT_OK && count)
		fputs(buf_cstr(&out), stdout);
	else if (rc == EXIT_OK)
		fprintf(stderr, "%s\n", tr("no results"));
	buf_free(&out);
	search_terms_free(&q);
	free(path);
	free(lens);
	sqlite3_close(db);
	return rc;
}
