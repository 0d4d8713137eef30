/*
 * pool.c — pool_run: the one loop that shares items among threads (the
 * pages to parse, the documents to fold, the folders to remove). It owns
 * nothing past the call.
 */
#include <pthread.h>
#include "pool.h"

#define POOL_MAX 64

struct pool {
	size_t n, next;
	void (*fn)(size_t, void *);
	void *arg;
	pthread_mutex_t lock;
};

static void *
pool_worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		p->fn(i, p->arg);
	}
}

void
pool_run(int jobs, size_t n, void (*fn)(size_t i, void *arg), void *arg)
{
	struct pool p = { n, 0, fn, arg, PTHREAD_MUTEX_INITIALIZER };
	pthread_t t[POOL_MAX];
	int started = 0;
	if ((size_t)jobs > n)
		jobs = (int)n;
	while (started < jobs - 1 && started < POOL_MAX && pthread_create(&t[started], NULL, pool_worker, &p) == 0)
		started++;
	pool_worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}
