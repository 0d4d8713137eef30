/*
 * fingerprint.h — the no-op rebuild (fingerprint.c).
 */
#ifndef FINGERPRINT_H
#define FINGERPRINT_H
#include <stddef.h>
#include "congkhai.h"

struct fp;
/* The fingerprint of what a build of s would read (its content dir,
 * out_dir, rev and drafts set), before the build; NULL when the no-op
 * path is not open to it: no git repository, an output inside the
 * content tree, a HEAD (or --rev) that does not resolve. */
struct fp *fp_begin(const struct site *s, const char *base_url);
/* 1 when the last successful build had these inputs and its output is as
 * it left it: its messages are said again into s->diag (counted there),
 * the temporary trees of killed builds removed, and n set to its page
 * counts. 0 otherwise, with nothing said or changed. */
int  fp_unchanged(struct fp *f, struct site *s, size_t n[3]);
/* After a successful build: record the inputs, the output as it is now,
 * the build's log (diag.c's records) and counts, replacing the record. */
void fp_save(struct fp *f, const struct site *s, const struct buf *log, const size_t n[3]);
void fp_free(struct fp *f);
/* Hash into h the program and every library mapped into it, by stat (as
 * the inputs are hashed); -1 when they cannot be listed. */
struct sha256_ctx;
int  fp_program(struct sha256_ctx *h);

#endif
