/*
 * gitcheck.c — keeps a damaged object store from hanging libgit2.
 *
 * libgit2 1.5 (Debian 12) spins forever inflating a truncated loose object:
 * its zstream takes zlib's Z_BUF_ERROR ("no progress possible") for "call
 * again", with no input left to give (libgit2 issue 7342). It also writes
 * past its buffer reading one whose header claims fewer bytes than the
 * object holds (issue 7177). So gitguard_install() puts a backend in the
 * repository's object database, just before libgit2's loose-object reader,
 * that first inflates the loose object about to be read with zlib: a
 * well-formed one (a regular file, a complete stream, a "type size" header
 * and exactly size bytes after it) is passed on to libgit2, a damaged one
 * fails with an error naming it, which callers see as an unreadable object.
 * The repository's objects directory and its alternates are covered.
 *
 * Packed objects are inflated by code that stops when zlib makes no
 * progress; gitcheck_packs() only names a pack that does not end as its
 * index records (truncated: libgit2 then finds none of its objects).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <git2.h>
#include <git2/sys/odb_backend.h>
#include "congkhai.h"
#include "history.h"

#define GUARD_DIRS 8                      /* the objects directory and alternates */
#define GUARD_DEPTH 5                     /* alternates of alternates, as libgit2 */
#define GUARD_MAX_SIZE (1ULL << 30)       /* a loose object inflating past 1 GiB is refused */

struct guard {
	git_odb_backend parent;           /* first: libgit2 hands this back */
	char *dirs[GUARD_DIRS];
	size_t ndirs;
	size_t damaged;                   /* reads refused so far */
	char last[GIT_OID_HEXSZ + 1];     /* the last object refused */
};

/* Whether the loose object in fd inflates to a well-formed object. */
static int
loose_ok(int fd)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return 0;
	unsigned char in[16384], out[16384], head[64];
	size_t hlen = 0;
	unsigned long long total = 0;
	int rc = Z_OK, ended = 0, bad = 0;
	ssize_t n;
	while (!ended && !bad && (n = read(fd, in, sizeof in)) > 0) {
		z.next_in = in;
		z.avail_in = (uInt)n;
		while (z.avail_in > 0 && !ended && !bad) {
			z.next_out = out;
			z.avail_out = sizeof out;
			rc = inflate(&z, Z_NO_FLUSH);
			size_t got = sizeof out - z.avail_out;
			for (size_t i = 0; i < got && hlen < sizeof head && (hlen == 0 || head[hlen - 1]); i++)
				head[hlen++] = out[i];
			total += got;
			ended = rc == Z_STREAM_END;
			bad = (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) || total > GUARD_MAX_SIZE + 64;
			if (rc == Z_BUF_ERROR && got == 0)
				break;                  /* it needs more input */
		}
	}
	inflateEnd(&z);
	if (!ended || bad || hlen == 0 || head[hlen - 1] != '\0')
		return 0;
	const char *sp = memchr(head, ' ', hlen);
	if (!sp)
		return 0;
	static const char *const types[] = { "blob", "tree", "commit", "tag" };
	size_t tlen = (size_t)(sp - (const char *)head);
	int typed = 0;
	for (size_t i = 0; i < 4; i++)
		typed |= tlen == strlen(types[i]) && memcmp(head, types[i], tlen) == 0;
	if (!typed || sp[1] < '0' || sp[1] > '9')
		return 0;
	char *end;
	unsigned long long size = strtoull(sp + 1, &end, 10);
	return end == (char *)head + hlen - 1 && size <= GUARD_MAX_SIZE && size == total - hlen;
}

/* 0 when the loose file for hex (40 digits) is absent or well-formed in
 * every directory, else -1 with libgit2's error set. */
static int
check_hex(struct guard *g, const char *hex)
{
	int rc = 0;
	for (size_t i = 0; i < g->ndirs && rc == 0; i++) {
		char *path = xasprintf("%s/%.2s/%s", g->dirs[i], hex, hex + 2);
		/* non-blocking: a FIFO in place of an object must not stop us */
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		free(path);
		if (fd < 0)
			continue;
		struct stat st;
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !loose_ok(fd)) {
			char *msg = xasprintf("loose object %s is damaged (truncated or corrupt)", hex);
			git_error_set_str(GIT_ERROR_ODB, msg);
			free(msg);
			g->damaged++;
			memcpy(g->last, hex, sizeof g->last);
			rc = -1;
		}
		close(fd);
	}
	return rc;
}

static int
guard_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, id);
	return check_hex((struct guard *)b, hex) == 0 ? GIT_PASSTHROUGH : GIT_ERROR;
}

static int
guard_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	return guard_read(NULL, len, type, b, id);
}

/* An abbreviated id: every loose object it matches must be well-formed
 * (libgit2 reads them all to see whether the prefix is ambiguous). */
static int
guard_read_prefix(git_oid *full, void **data, size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *short_id, size_t n)
{
	struct guard *g = (struct guard *)b;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, short_id);
	if (n < 2 || n > GIT_OID_HEXSZ)
		return GIT_PASSTHROUGH;
	hex[n] = '\0';
	int rc = 0;
	for (size_t i = 0; i < g->ndirs && rc == 0; i++) {
		char *dpath = xasprintf("%s/%.2s", g->dirs[i], hex);
		DIR *d = opendir(dpath);
		free(dpath);
		struct dirent *e;
		while (d && rc == 0 && (e = readdir(d)) != NULL) {
			if (strlen(e->d_name) != GIT_OID_HEXSZ - 2 || strncmp(e->d_name, hex + 2, n - 2) != 0)
				continue;
			char *whole = xasprintf("%.2s%s", hex, e->d_name);
			rc = check_hex(g, whole);
			free(whole);
		}
		if (d)
			closedir(d);
	}
	return rc == 0 ? GIT_PASSTHROUGH : GIT_ERROR;
}

static void
guard_free(git_odb_backend *b)
{
	struct guard *g = (struct guard *)b;
	for (size_t i = 0; i < g->ndirs; i++)
		free(g->dirs[i]);
	free(g);
}

/* dir and, as libgit2 reads them, the directories its info/alternates
 * lists (relative ones only from the repository's own list). */
static void
add_dirs(struct guard *g, const char *dir, int depth)
{
	if (g->ndirs == GUARD_DIRS || depth > GUARD_DEPTH)
		return;
	g->dirs[g->ndirs++] = xstrdup(dir);
	char *path = xasprintf("%s/info/alternates", dir);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	free(path);
	struct stat st;
	if (fd < 0)
		return;
	char list[4096];
	ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, list, sizeof list - 1) : -1;
	close(fd);
	if (n <= 0)
		return;
	list[n] = '\0';
	char *save = NULL;
	for (char *line = strtok_r(list, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		if (*line == '#')
			continue;
		char *alt = *line == '.' && depth == 0 ? xasprintf("%s/%s", dir, line) : xstrdup(line);
		add_dirs(g, alt, depth + 1);
		free(alt);
	}
}

int
gitguard_install(git_repository *repo)
{
	git_odb *odb;
	if (git_repository_odb(&odb, repo) != 0)
		return -1;
	struct guard *g = xcalloc(1, sizeof *g);
	git_odb_init_backend(&g->parent, GIT_ODB_BACKEND_VERSION);
	g->parent.read = guard_read;
	g->parent.read_header = guard_read_header;
	g->parent.read_prefix = guard_read_prefix;
	g->parent.free = guard_free;
	char *objects = xasprintf("%sobjects", git_repository_commondir(repo));
	add_dirs(g, objects, 0);
	free(objects);
	/* libgit2's packs have priority 2 and its loose reader 1: at 2, added
	 * after them, the guard comes between (an object in a pack is read
	 * from the pack, never checked here). */
	int rc = git_odb_add_backend(odb, &g->parent, 2);
	if (rc != 0)
		guard_free(&g->parent);
	git_odb_free(odb);
	return rc;
}

size_t
gitguard_damaged(git_repository *repo, char last[GIT_OID_HEXSZ + 1])
{
	size_t n = 0;
	last[0] = '\0';
	git_odb *odb;
	if (git_repository_odb(&odb, repo) != 0)
		return 0;
	for (size_t i = 0; i < git_odb_num_backends(odb); i++) {
		git_odb_backend *b;
		if (git_odb_get_backend(&b, odb, i) == 0 && b->free == guard_free) {
			const struct guard *g = (const struct guard *)b;
			n = g->damaged;
			memcpy(last, g->last, sizeof g->last);
		}
	}
	git_odb_free(odb);
	return n;
}

/* Whether pack NAME.pack ends with the checksum NAME.idx records for it. */
static int
pack_ok(int dfd, const char *idx)
{
	char *pack = xasprintf("%.*s.pack", (int)(strlen(idx) - 4), idx);
	unsigned char a[20], b[20];
	int fi = openat(dfd, idx, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int fp = openat(dfd, pack, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	free(pack);
	struct stat si, sp;
	int ok = fi >= 0 && fp >= 0 && fstat(fi, &si) == 0 && fstat(fp, &sp) == 0 &&
	    S_ISREG(si.st_mode) && S_ISREG(sp.st_mode) && si.st_size >= 40 && sp.st_size >= 32 &&
	    pread(fi, a, 20, si.st_size - 40) == 20 && pread(fp, b, 20, sp.st_size - 20) == 20 &&
	    memcmp(a, b, 20) == 0;
	if (fi >= 0)
		close(fi);
	if (fp >= 0)
		close(fp);
	return ok;
}

char *
gitcheck_packs(git_repository *repo)
{
	char *dir = xasprintf("%sobjects/pack", git_repository_commondir(repo));
	DIR *d = opendir(dir);
	free(dir);
	char *bad = NULL;
	struct dirent *e;
	while (d && !bad && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".idx") == 0 && !pack_ok(dirfd(d), e->d_name))
			bad = xasprintf("objects/pack/%.*s.pack does not match its index (truncated?)",
			    (int)(n - 4), e->d_name);
	}
	if (d)
		closedir(d);
	return bad;
}
