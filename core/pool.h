/*
 * pool.h — a loop over n items on the build's -j threads (pool.c).
 */
#ifndef POOL_H
#define POOL_H
#include <stddef.h>

/* fn(i, arg) for every i < n, on up to jobs threads, the calling one
 * among them (jobs < 2, or threads that cannot start: on the calling one
 * alone). Items are taken in order, one at a time; fn must be safe to run
 * on several at once. Returns when every item is done. */
void pool_run(int jobs, size_t n, void (*fn)(size_t i, void *arg), void *arg);

#endif
