/*
 * index.h — the search index (index.c) and `congkhai search` (search.c).
 */
#ifndef INDEX_H
#define INDEX_H
#include <lua.h>
#include "congkhai.h"

/* Split folded text into terms: runs of letters and digits, a '.' kept
 * between digits (codes like 1.001193). Calls fn for each term. */
void index_terms(const char *folded, void (*fn)(const char *t, size_t n, void *arg), void *arg);

int cmd_search(int argc, char **argv);

#endif
