/*
 * fuzz_query.c — search queries: the query parser of search.c (search.h:
 * terms, the FTS5 query, the snippet) on arbitrary bytes, its FTS5 query
 * run against an in-memory table made like index.sqlite's (a query that
 * SQLite refuses as syntax is a bug: query text must never be syntax);
 * then `congkhai search` on the same words against the index of a small
 * site built once at start; and folding, slug and collation of the bytes
 * when they are UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sqlite3.h>
#include "congkhai.h"
#include "index.h"
#include "search.h"
#include "fuzz.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

static char out[600];
static sqlite3 *db;
static sqlite3_stmt *match_st;

/* An FTS5 table as index.c makes it, with one row. */
static void
open_fts(void)
{
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE fts USING fts5(code, title, field, agency, body,"
	    " content = '', detail = column, tokenize = \"unicode61 remove_diacritics 0 tokenchars '.'\");"
	    "INSERT INTO fts(rowid, code, title, field, agency, body) VALUES (1, '1.001193',"
	    " 'dang ky khai sinh', 'ho tich', 'ubnd xa', 'to khai giay chung sinh');",
	    NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM fts WHERE fts MATCH ?1", -1, &match_st, NULL) != SQLITE_OK) {
		fprintf(stderr, "fuzz_query: %s\n", sqlite3_errmsg(db));
		abort();
	}
}

/* Run one MATCH expression; SQLite must take it. */
static void
must_match(const char *expr, const char *query, size_t size)
{
	sqlite3_bind_text(match_st, 1, expr, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(match_st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "fuzz_query: FTS5 refused %s (%s) for the query '%.*s'\n", expr,
		    sqlite3_errmsg(db), (int)size, query);
		abort();
	}
	sqlite3_reset(match_st);
	sqlite3_clear_bindings(match_st);
}

/* The parser alone: terms, FTS5 query, title phrase, snippet of q itself. */
static void
parse_query(const char *q, size_t size)
{
	struct search_terms t = {0};
	search_parse(q, size, &t);
	if (t.n > 0) {
		char *m = search_fts_query(&t), *phrase = xasprintf("title : (%s)", m);
		must_match(m, q, size);
		must_match(phrase, q, size);
		free(m);
		free(phrase);
	}
	free(search_snippet(q, &t));
	search_terms_free(&t);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("CONGKHAI_PLUGIN_PATH", FUZZ_ROOT "/plugins", 1);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	open_fts();
	snprintf(out, sizeof out, "%s/out", fuzz_tmpdir());
	struct site *s = site_new(FUZZ_ROOT "/tests/fixtures/mini");
	s->diag.quiet = 1;
	s->out_dir = xstrdup(out);
	if (site_load_with(s, NULL) != 0 || output_begin(s) != 0 || plugins_run(s) != 0 ||
	    output_commit(s) != 0) {
		fprintf(stderr, "fuzz_query: cannot build the fixture site\n");
		abort();
	}
	site_free(s);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';
	parse_query(q, size);
	if (utf8_invalid_at(q, size) < 0) {
		free(text_nfc(q, size));
		free(text_fold(q));
		free(text_slug(q));
		free(text_sortkey(q));
	}
	/* the query as up to 8 words on the command line */
	char *argv[16] = { "search", "-o", out, "--json" };
	int argc = 4;
	for (char *w = strtok(q, " \t"); w && argc < 12; w = strtok(NULL, " \t"))
		argv[argc++] = w;
	argv[argc] = NULL;
	optind = 0;
	if (argc > 4) {
		fflush(stdout);                    /* results go nowhere: a copy of stdout */
		int keep = dup(1), null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		cmd_search(argc, argv);
		fflush(stdout);
		dup2(keep, 1);
		close(keep);
		close(null);
	}
	free(q);
	return 0;
}
