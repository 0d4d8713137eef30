/*
 * fuzz_query.c — search queries: the query parser of search.c (search.h:
 * terms, the snippet, words typed without spaces split by the bytes as a
 * vocabulary) on arbitrary bytes, and the bytes as a key's encoded
 * postings (rank.h); then `congkhai search` on the same words against the
 * index of a small site built once at start (rank_query); and folding,
 * slug and collation of the bytes when they are UTF-8; the bytes as a QR
 * code (qr.h, its SVG well-formed enough to end as it starts) and as a CSV
 * field (csv.h, quoted so that it reads back).
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
#include "rank.h"
#include "dossier.h"
#include "qr.h"
#include "csv.h"
#include "fuzz.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

static char out[600];

/* The parser alone: terms and the snippet of q itself; and q as the
 * encoded postings of a key (rank_decode: a damaged index file must be
 * refused, never read past), then re-encoded and decoded again: the same;
 * and q as the runs of title lengths (rank_parse_lens). */
static void
parse_query(const char *q, size_t size)
{
	struct search_terms t = {0};
	search_parse(q, size, &t);
	free(search_snippet(q, &t));
	char *vocab = xstrndup(q, size), **sp;     /* q as the vocabulary of rank_split, too */
	size_t ns = rank_split(vocab, t.v, t.n, &sp);
	for (size_t i = 0; i < ns; i++) {
		if (!sp[i][0]) {
			fprintf(stderr, "fuzz_query: rank_split made an empty term\n");
			abort();
		}
		free(sp[i]);
	}
	free(sp);
	free(vocab);
	if (ns < t.n) {
		fprintf(stderr, "fuzz_query: rank_split lost terms\n");
		abort();
	}
	search_terms_free(&t);
	struct rank_posting *p, *p2;
	long n = rank_decode(q, 50, &p);
	if (n >= 0) {
		char *again = rank_encode(p, (size_t)n, 50);
		long n2 = rank_decode(again, 50, &p2);
		if (n2 != n) {
			fprintf(stderr, "fuzz_query: %ld postings decoded, %ld after encoding again\n", n, n2);
			abort();
		}
		free(again);
		free(p2);
		free(p);
	}
	char *svg = qr_svg(q, size);        /* and as a QR code */
	if (svg && (strncmp(svg, "<svg ", 5) != 0 || strcmp(svg + strlen(svg) - 9, "\"/></svg>") != 0)) {
		fprintf(stderr, "fuzz_query: a QR code's SVG is cut\n");
		abort();
	}
	free(svg);
	struct buf cb = {0};                 /* and as a CSV field: quoted, it reads back */
	csv_field(&cb, q, size);
	if (cb.len > 0 && cb.s[0] == '"') {
		size_t k = 0;
		for (size_t i = 1; i + 1 < cb.len; i++, k++) {
			if (cb.s[i] == '"')
				i++;                 /* a doubled quote is one */
			if (k >= size || cb.s[i] != q[k]) {
				fprintf(stderr, "fuzz_query: a quoted CSV field does not read back\n");
				abort();
			}
		}
		if (k != size) {
			fprintf(stderr, "fuzz_query: a quoted CSV field lost bytes\n");
			abort();
		}
	} else if (cb.len != size || (size && memcmp(cb.s, q, size) != 0)) {
		fprintf(stderr, "fuzz_query: an unquoted CSV field changed\n");
		abort();
	}
	buf_free(&cb);
	struct dossier_counts dc;            /* and as a dossier item */
	dossier_counts(q, &dc);
	if (dc.name_len > size) {
		fprintf(stderr, "fuzz_query: a dossier item's name outruns it\n");
		abort();
	}
	unsigned *lens;                      /* and as the runs of title lengths */
	long nl = rank_parse_lens(q, &lens);
	for (long i = 1; i < nl; i++)
		if (lens[2 * i] <= lens[2 * i - 2]) {
			fprintf(stderr, "fuzz_query: title-length runs out of order\n");
			abort();
		}
	if (nl >= 0) {
		struct rank_source src = { .ndocs = 50, .lens = lens, .nlens = (size_t)nl };
		for (unsigned d = 0; d < 50; d++)
			(void)rank_title_len(&src, d);
	}
	free(lens);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("CONGKHAI_PLUGIN_PATH", FUZZ_ROOT "/plugins", 1);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	snprintf(out, sizeof out, "%s/out", fuzz_tmpdir());
	struct site *s = site_new(FUZZ_ROOT "/tests/fixtures/mini");
	s->diag.quiet = 1;
	s->out_dir = xstrdup(out);
	if (site_load_with(s, NULL) != 0 || output_begin(s, NULL) != 0 || plugins_run(s) != 0 ||
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
