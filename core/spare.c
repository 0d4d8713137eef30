/*
 * spare.c — the tree a build replaced, listed so that the next build can
 * write its site over it instead of making 40,000 folders anew (output.c
 * keeps the tree and takes it as its temporary sibling; SPEC §8).
 *
 * The listing holds each file and folder of the tree by its path, in an
 * order where what a folder holds comes before the folder, and a byte per
 * entry that says whether this build has written it. Those bytes are a
 * shared anonymous mapping, so that what a site:each worker process
 * writes is known to the build that forked it. The tree is listed whole
 * before anything is written into it; whatever is there but regular files
 * and folders is removed then, so that no later write into the tree
 * follows a link. Owns the listing; the tree's descriptors stay the
 * caller's.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "congkhai.h"
#include "confine.h"
#include "spare.h"

#define SPARE_DEPTH 64     /* a deeper tree is not the site of any build */

struct ent { size_t path; unsigned char dir; };

struct spare {
	struct buf paths;       /* "rel\0" of each entry */
	struct ent *v;
	size_t n, cap;
	uint32_t *slot;         /* entry + 1 by hash of its path; 0: empty */
	size_t nslot;
	unsigned char *mark;    /* n bytes, MAP_SHARED: written in this build */
	struct buf rel;         /* the walk's current path ... */
	int depth;              /* ... and how many folders deep it is */
	int bad;
};

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;         /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void
add(struct spare *sp, int dir)
{
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 1024;
		sp->v = xrealloc(sp->v, sp->cap * sizeof *sp->v);
	}
	sp->v[sp->n++] = (struct ent){ sp->paths.len, (unsigned char)dir };
	buf_add(&sp->paths, sp->rel.s, sp->rel.len);
	buf_putc(&sp->paths, '\0');
}

static void walk(struct spare *sp, int fd);

/* One entry of the folder fd (sp->rel its path): listed, or removed. */
static void
visit(int fd, const char *name, unsigned char type, void *arg)
{
	struct spare *sp = arg;
	struct stat st;
	if (type == DT_UNKNOWN)
		type = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ? DT_UNKNOWN :
		    S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
	if (type != DT_DIR && type != DT_REG) {
		if (unlinkat(fd, name, 0) != 0)
			sp->bad = 1;
		return;
	}
	size_t at = sp->rel.len;
	if (at)
		buf_putc(&sp->rel, '/');
	buf_puts(&sp->rel, name);
	if (type == DT_DIR) {
		int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			sp->bad = 1;
		else {
			walk(sp, sub);
			close(sub);
		}
	}
	add(sp, type == DT_DIR);
	sp->rel.len = at;
}

/* List what the folder fd holds (sp->rel its path), depth first. */
static void
walk(struct spare *sp, int fd)
{
	if (sp->bad || sp->depth >= SPARE_DEPTH) {
		sp->bad = 1;
		return;
	}
	sp->depth++;
	if (confine_each(fd, visit, sp) != 0)
		sp->bad = 1;
	sp->depth--;
}

/* The slot of rel (n bytes): its entry's, or the empty one it would take. */
static size_t
slot_of(const struct spare *sp, const char *rel, size_t n)
{
	size_t k = (size_t)hash(rel, n) & (sp->nslot - 1);
	for (; sp->slot[k]; k = (k + 1) & (sp->nslot - 1)) {
		const char *p = sp->paths.s + sp->v[sp->slot[k] - 1].path;
		if (strncmp(p, rel, n) == 0 && p[n] == '\0')
			break;
	}
	return k;
}

struct spare *
spare_list(int fd)
{
	struct spare *sp = xcalloc(1, sizeof *sp);
	walk(sp, fd);
	if (sp->n > UINT32_MAX - 1)
		sp->bad = 1;
	if (!sp->bad && sp->n) {
		sp->mark = mmap(NULL, sp->n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sp->mark == MAP_FAILED) {
			sp->mark = NULL;
			sp->bad = 1;
		}
	}
	if (sp->bad) {
		spare_free(sp);
		return NULL;
	}
	for (sp->nslot = 16; sp->nslot < 2 * sp->n; sp->nslot *= 2)
		;
	sp->slot = xcalloc(sp->nslot, sizeof *sp->slot);
	for (size_t i = 0; i < sp->n; i++) {
		const char *p = sp->paths.s + sp->v[i].path;
		sp->slot[slot_of(sp, p, strlen(p))] = (uint32_t)(i + 1);
	}
	buf_free(&sp->rel);
	return sp;
}

/* rel's first n bytes' entry + 1, or 0. */
static size_t
find(const struct spare *sp, const char *rel, size_t n)
{
	return sp && sp->nslot ? sp->slot[slot_of(sp, rel, n)] : 0;
}

int
spare_stale(const struct spare *sp, const char *rel)
{
	if (!sp)                          /* a build into a new tree: every write */
		return 0;
	size_t i = find(sp, rel, strlen(rel));
	return i && !__atomic_load_n(&sp->mark[i - 1], __ATOMIC_RELAXED);
}

void
spare_mark(struct spare *sp, const char *rel)
{
	if (!sp || !sp->nslot)
		return;
	for (size_t n = strlen(rel); n > 0;) {
		size_t i = find(sp, rel, n);
		if (i && __atomic_exchange_n(&sp->mark[i - 1], 1, __ATOMIC_RELAXED))
			return;                       /* so are the folders holding it */
		while (n > 0 && rel[n - 1] != '/')
			n--;
		if (n > 0)
			n--;                          /* the folder's path, without its '/' */
	}
}

void
spare_sweep(const struct spare *sp, int fd)
{
	for (size_t i = 0; sp && i < sp->n; i++)
		if (!__atomic_load_n(&sp->mark[i], __ATOMIC_RELAXED))
			unlinkat(fd, sp->paths.s + sp->v[i].path, sp->v[i].dir ? AT_REMOVEDIR : 0);
}

void
spare_free(struct spare *sp)
{
	if (!sp)
		return;
	if (sp->mark)
		munmap(sp->mark, sp->n);
	buf_free(&sp->paths);
	buf_free(&sp->rel);
	free(sp->v);
	free(sp->slot);
	free(sp);
}
