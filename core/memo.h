/*
 * memo.h — what a build learned, kept for the next one (memo.c): site:each's
 * items (leach.c) and the search index's work (index.c).
 */
#ifndef MEMO_H
#define MEMO_H
#include <stddef.h>
#include "congkhai.h"

#define MEMO_KEY 32     /* bytes of a key: a SHA-256 */

struct memo;
struct sha256_ctx;
/* Where builds of s keep what they learn: "<git dir>/" of the repository
 * holding the content, malloc'd; NULL without one, or when the output
 * lies inside the content. The memo is there, and the tree a build
 * replaced (output.c). */
char *memo_home(const struct site *s);
/* The memo of site s for this build, kept in home (memo_home's), or NULL
 * when builds of s keep none: no home, or templates overridden in
 * content/templates/ (a template may read anything). Call after
 * output_begin. The entries of the last build are readable when
 * they were made for this output and for everything memo_base hashes. */
struct memo *memo_open(struct site *s, const char *home);
/* Start a key: h is seeded with what every entry depends on (the
 * program and its libraries, the options, site.yaml, data/ and the
 * plugins' files; not the as-of date, which a value holds when its item
 * read it: leach.c). */
void memo_key(const struct memo *m, struct sha256_ctx *h);
/* Add to a key (or any hash): n bytes at p after their length, so that
 * parts never run together; a string, NULL as no string. */
void memo_key_add(struct sha256_ctx *h, const void *p, size_t n);
void memo_key_str(struct sha256_ctx *h, const char *s);
/* The value the last build kept under key, or NULL. Owned by m, and
 * good until the next memo_get. */
const char *memo_get(struct memo *m, const unsigned char key[MEMO_KEY], size_t *len);
/* Keep val under key for the next build. */
void memo_put(struct memo *m, const unsigned char key[MEMO_KEY], const char *val, size_t len);
/* In a forked worker: from now on keep what is put, to hand over as
 * bytes (memo_taken) to memo_absorb in the parent, which writes the record. */
void memo_child(struct memo *m);
const char *memo_taken(const struct memo *m, size_t *len);
/* Put the entries memo_taken gave; -1, and none put, when they do not decode. */
int  memo_absorb(struct memo *m, const char *bytes, size_t len);
/* After a successful build: the entries put replace the record. */
void memo_save(struct memo *m);
void memo_free(struct memo *m);

#endif
