/*
 * index.h — the search index (index.c) and `congkhai search` (search.c).
 */
#ifndef INDEX_H
#define INDEX_H
#include <lua.h>
#include "congkhai.h"

/* Field weights of the ranking (SPEC §6): code and title, then field and
 * agency, then body. Shared by index.sqlite's bm25() and the static shards. */
#define W_CODE   10.0
#define W_TITLE  10.0
#define W_FIELD   4.0
#define W_AGENCY  4.0
#define W_BODY    1.0

/* Split folded text into terms: runs of letters and digits, a '.' kept
 * between digits (codes like 1.001193). Calls fn for each term. */
void index_terms(const char *folded, void (*fn)(const char *t, size_t n, void *arg), void *arg);

int cmd_search(int argc, char **argv);

#endif
