/*
 * spare.h — the tree a build replaced, kept to be written over by the
 * next one (spare.c), and what of it this build has written.
 */
#ifndef SPARE_H
#define SPARE_H

struct spare;

/* The files and folders of the tree open at fd (which stays the
 * caller's), listed; anything there that is neither a regular file nor
 * a folder (a symbolic link, a FIFO, ...) removed first. NULL when the
 * tree cannot be read whole (a folder that does not open, one too deep):
 * it is then not to be used. */
struct spare *spare_list(int fd);

/* Whether rel is a file or folder of the listed tree that this build has
 * not written (spare_mark): its bytes are an earlier build's. */
int  spare_stale(const struct spare *sp, const char *rel);

/* rel has been written by this build, in this process or in any process
 * forked from it after spare_list (the marks are shared memory); so have
 * the folders holding it. Safe on several threads at once. */
void spare_mark(struct spare *sp, const char *rel);

/* Remove from the tree open at fd each listed entry this build did not
 * write: files first, then the folders left empty. */
void spare_sweep(const struct spare *sp, int fd);

void spare_free(struct spare *sp);

#endif
