/*
 * search.h — the query side of `congkhai search` (search.c), apart from
 * the command, so that the fuzz target tests/fuzz/fuzz_query.c can reach
 * it: a query's words and a result's snippet.
 */
#ifndef SEARCH_H
#define SEARCH_H
#include <stddef.h>

/* A query's terms: folded and split as the index splits text. */
struct search_terms { char **v; size_t n; };

/* Append the terms of query (len bytes; not valid UTF-8: no terms) to q. */
void  search_parse(const char *query, size_t len, struct search_terms *q);
void  search_terms_free(struct search_terms *q);
/* The best-matching passage of text for q, hits marked «so». */
char *search_snippet(const char *text, const struct search_terms *q);

#endif
