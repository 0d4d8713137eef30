/*
 * fingerprint.c — the no-op rebuild: a build whose inputs are all as the
 * last successful build found them, and whose output is as that build
 * left it, is not redone; what the last build said is said again.
 *
 * The inputs are everything that decides the output, by stat alone (no
 * file is read): the program and every library mapped into it, the
 * options that change the output (content and output paths, --rev,
 * --base-url, --drafts), the environment the build reads
 * (SOURCE_DATE_EPOCH, CONGKHAI_*), every entry of the content tree and of
 * the built-in plugins' folder (path, type, mode, size, inode, mtime and
 * ctime in ns, a link's target), and the repository: the ref HEAD names,
 * the commit HEAD or --rev resolves to, the index, the shallow and graft
 * files, the object folders, the configuration and ignore files. They
 * are hashed with SHA-256 before the build.
 *
 * The output is recorded after the build as the list of its entries and
 * a hash of their stat; checking it stats each listed path (a change of
 * any file changes its stat; an added, removed or renamed one changes its
 * folder's), which costs far less than reading the folders again.
 *
 * The record, with the build's diagnostics (diag.c's log) and counts,
 * is <git dir>/congkhai-build.fp, beside the history cache: never in the
 * output, never tracked. It is written only after a build that exits 0,
 * atomically (a temporary file renamed), and read with suspicion: a
 * record that does not parse, whose checksum fails or whose log does not
 * decode means a full build. Without a repository, or with the output
 * inside the content tree, there is no record and every build is full.
 *
 * A file changed twice within one tick of the file system's clock keeps
 * its stat; so no record is written when any input changed in the
 * FP_RACY seconds before the build began (as git treats a "racily clean"
 * index): the next build is then a full one, which records.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>
#include <nettle/sha2.h>
#include "congkhai.h"
#include "fingerprint.h"
#include "confine.h"
#include "history.h"
#include "lhost.h"

#define FP_NAME    "congkhai-build.fp"
#define FP_MAGIC   "congkhai-build 1\n"
#define FP_RACY    2                     /* seconds; FAT's clock ticks every 2 s */
#define FP_DEPTH   256                   /* folders deeper than this: no record */
#define FP_MAX     (512u << 20)          /* a record larger than this is not read */

struct fp {
	char inputs[2 * SHA256_DIGEST_SIZE + 1];
	char *dir, *path;                /* the git directory; the record in it */
	char *out;                       /* the output, resolved */
	time_t t0;                       /* when the inputs were read */
	int racy;                        /* an input changed less than FP_RACY s before t0 */
};

/* ------------------------------------------------------------ hashing */

static void
put(struct sha256_ctx *h, const void *p, size_t n)
{
	sha256_update(h, n, p);
}

static void
put_str(struct sha256_ctx *h, const char *s)
{
	if (s)
		put(h, s, strlen(s) + 1);
	else
		put(h, "\xff", 1);           /* not a string: never equal to one */
}

static void
put_stat(struct sha256_ctx *h, const struct stat *st)
{
	uint64_t v[] = { st->st_mode, (uint64_t)st->st_size, st->st_ino, st->st_dev,
		(uint64_t)st->st_mtim.tv_sec, (uint64_t)st->st_mtim.tv_nsec,
		(uint64_t)st->st_ctim.tv_sec, (uint64_t)st->st_ctim.tv_nsec };
	put(h, v, sizeof v);
}

static void
hex(char *out, const uint8_t *d)
{
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
finish(struct sha256_ctx *h, char out[2 * SHA256_DIGEST_SIZE + 1])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(h, sizeof d, d);
	hex(out, d);
}

/* An input read now: is it too fresh to trust its stat? */
static void
note_time(struct fp *f, const struct stat *st)
{
	if (st->st_mtim.tv_sec > f->t0 - FP_RACY || st->st_ctim.tv_sec > f->t0 - FP_RACY)
		f->racy = 1;
}

/* One input file by path; a missing one counts as missing. */
static void
put_file(struct fp *f, struct sha256_ctx *h, const char *path)
{
	struct stat st;
	put_str(h, path);
	if (lstat(path, &st) == 0) {
		put_stat(h, &st);
		note_time(f, &st);
	} else
		put_str(h, NULL);
}

/* ------------------------------------------------------------ walking */

/* One entry: its path below the walk's root, its stat, a link's target. */
static int
put_entry(struct sha256_ctx *h, int dfd, const char *name, const char *rel, const struct stat *st)
{
	put_str(h, rel);
	put_stat(h, st);
	if (S_ISLNK(st->st_mode)) {
		char t[PATH_MAX];
		ssize_t k = readlinkat(dfd, name, t, sizeof t);
		if (k < 0 || (size_t)k >= sizeof t)
			return -1;
		put(h, t, (size_t)k);
	}
	return 0;
}

/* Front-coded path list: "N suffix\n", N bytes shared with the previous. */
static int
list_add(struct buf *list, struct buf *prev, const char *rel)
{
	if (strchr(rel, '\n'))
		return -1;
	size_t k = 0;
	while (k < prev->len && prev->s[k] == rel[k])
		k++;
	buf_printf(list, "%zu %s\n", k, rel + k);
	prev->len = 0;
	buf_puts(prev, rel);
	return 0;
}

struct walk {
	struct fp *f;
	struct sha256_ctx *h;
	struct buf rel;
	struct buf *list, prev;          /* the output's walk lists its entries */
};

/* Every entry under the open folder dfd (closed here), in name order,
 * depth first; ".git" is not an input (the repository is hashed apart).
 * depth 0 lists dfd's entries only; beyond FP_DEPTH the walk fails. */
static int
walk(struct walk *w, int dfd, int depth)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	for (errno = 0; (e = readdir(d)) != NULL; errno = 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (!w->list && !strcmp(e->d_name, ".git")))
			continue;
		if (n == cap)
			names = xrealloc(names, (cap = cap ? 2 * cap : 32) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	int rc = errno ? -1 : 0;
	if (n)
		qsort(names, n, sizeof *names, strp_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t keep = w->rel.len;
		if (keep)
			buf_putc(&w->rel, '/');
		buf_puts(&w->rel, names[i]);
		struct stat st;
		if (rc == 0 && fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
			rc = -1;
		if (rc == 0)
			rc = put_entry(w->h, dirfd(d), names[i], buf_cstr(&w->rel), &st);
		if (rc == 0 && w->list)
			rc = list_add(w->list, &w->prev, buf_cstr(&w->rel));
		else if (rc == 0)
			note_time(w->f, &st);
		if (rc == 0 && S_ISDIR(st.st_mode) && depth != 0) {
			int c = depth < -FP_DEPTH ? -1 :
			    openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			rc = c < 0 ? -1 : walk(w, c, depth - 1);
		}
		w->rel.len = keep;
		w->rel.s[keep] = '\0';
		free(names[i]);
	}
	free(names);
	closedir(d);
	return rc;
}

/* A whole folder (depth < 0: all of it) as input, under a tag. */
static int
put_tree(struct fp *f, struct sha256_ctx *h, const char *tag, const char *dir, int depth)
{
	struct walk w = { .f = f, .h = h };
	struct stat st;
	put_str(h, tag);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int missing = errno == ENOENT;
		put_str(h, NULL);
		return missing ? 0 : -1;
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	put_stat(h, &st);
	note_time(f, &st);
	int rc = walk(&w, fd, depth);
	buf_free(&w.rel);
	return rc;
}

/* ------------------------------------------------------------ inputs */

/* The program and its libraries: every file mapped, in path order; not
 * the memory a build shares with its workers (spare.c), which the maps
 * name as a deleted file under /dev. */
static int
put_maps(struct fp *f, struct sha256_ctx *h)
{
	FILE *m = fopen("/proc/self/maps", "re");
	if (!m)
		return -1;
	char *line = NULL, **paths = NULL;
	size_t cap = 0, n = 0, pcap = 0;
	while (getline(&line, &cap, m) > 0) {
		char *p = strchr(line, '/');
		if (!p)
			continue;
		p[strcspn(p, "\n")] = '\0';
		if ((n && strcmp(paths[n - 1], p) == 0) || strncmp(p, "/dev/", 5) == 0)
			continue;
		if (n == pcap)
			paths = xrealloc(paths, (pcap = pcap ? 2 * pcap : 32) * sizeof *paths);
		paths[n++] = xstrdup(p);
	}
	free(line);
	fclose(m);
	if (n)
		qsort(paths, n, sizeof *paths, strp_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(paths[i - 1], paths[i]) != 0)
			put_file(f, h, paths[i]);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return n ? 0 : -1;
}

int
fp_program(struct sha256_ctx *h)
{
	struct fp f = { .t0 = time(NULL) };
	return put_maps(&f, h);
}

/* The repository: what HEAD names and resolves to (or --rev), and the
 * files whose change could change history or the uncommitted warning. */
static int
put_git(struct fp *f, struct sha256_ctx *h, const struct site *s)
{
	git_repository *repo;
	char *prefix;
	if (history_open_repo(s->content_real, &repo, &prefix) != 0)
		return -1;
	int rc = -1;
	git_reference *head = NULL;
	git_commit *c = NULL;
	if (git_reference_lookup(&head, repo, "HEAD") != 0)
		goto done;
	put_str(h, git_reference_type(head) == GIT_REFERENCE_SYMBOLIC ?
	    git_reference_symbolic_target(head) : "detached");
	if (history_resolve(repo, s->rev ? s->rev : "HEAD", &c) != 0)
		goto done;
	put(h, git_commit_id(c)->id, GIT_OID_RAWSZ);
	const char *gd = git_repository_path(repo), *cd = git_repository_commondir(repo);
	const char *wd = git_repository_workdir(repo);
	static const struct { int common; const char *name; } files[] = {   /* a worktree's own, or common */
		{ 0, "index" }, { 0, "config.worktree" }, { 1, "config" }, { 1, "shallow" }, { 1, "info/grafts" },
		{ 1, "info/exclude" }, { 1, "info/attributes" }, { 1, "packed-refs" } };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *path = xasprintf("%s%s", files[i].common ? cd : gd, files[i].name);
		put_file(f, h, path);
		free(path);
	}
	/* objects: a folder's stat changes when an object comes or goes */
	static const char *const objects[] = { "objects", "objects/pack", "objects/info", NULL };
	rc = 0;
	for (const char *const *p = objects; *p && rc == 0; p++) {
		char *path = xasprintf("%s%s", cd, *p);
		rc = put_tree(f, h, *p, path, 0);
		free(path);
	}
	/* ignore files above the content dir, up to the work tree */
	char *dir = xstrdup(s->content_real);
	size_t top = strlen(wd) > 1 ? strlen(wd) - 1 : 1;     /* wd ends in '/' */
	for (char *slash; strlen(dir) > top && (slash = strrchr(dir, '/')) != NULL;) {
		*slash = '\0';
		char *path = xasprintf("%s/.gitignore", *dir ? dir : "");
		put_file(f, h, path);
		free(path);
	}
	free(dir);
	/* the user's and the system's git configuration */
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char *cfg[] = { home ? xasprintf("%s/.gitconfig", home) : NULL,
		xdg && *xdg ? xasprintf("%s/git/config", xdg) : home ? xasprintf("%s/.config/git/config", home) : NULL,
		xdg && *xdg ? xasprintf("%s/git/ignore", xdg) : home ? xasprintf("%s/.config/git/ignore", home) : NULL,
		xstrdup("/etc/gitconfig") };
	for (size_t i = 0; i < sizeof cfg / sizeof *cfg; i++) {
		put_file(f, h, cfg[i] ? cfg[i] : "-");
		free(cfg[i]);
	}
	f->dir = xstrdup(gd);
	f->path = xasprintf("%s%s", gd, FP_NAME);
done:
	git_commit_free(c);
	git_reference_free(head);
	git_repository_free(repo);
	free(prefix);
	return rc;
}

struct fp *
fp_begin(const struct site *s, const char *base_url)
{
	struct fp *f = xcalloc(1, sizeof *f);
	struct sha256_ctx h;
	sha256_init(&h);
	f->t0 = time(NULL);
	f->out = output_resolve(s->out_dir);
	char *content = realpath(s->content_dir, NULL);
	int ok = content && f->out && !output_under(content, f->out);
	put_str(&h, FP_MAGIC);
	if (ok) {
		put_str(&h, content);
		put_str(&h, f->out);
		put_str(&h, s->rev);
		put_str(&h, base_url);
		put_str(&h, s->drafts ? "drafts" : "");
		static const char *const env[] = { "SOURCE_DATE_EPOCH", LHOST_ENV_PLUGINS,
			LHOST_ENV_SECONDS, LHOST_ENV_MIB, NULL };
		for (const char *const *e = env; *e; e++) {
			put_str(&h, *e);
			put_str(&h, getenv(*e));
		}
		ok = put_maps(f, &h) == 0 && put_tree(f, &h, "content", content, -1) == 0;
	}
	if (ok) {
		char *builtin = plugins_builtin_dir();
		char *real = builtin ? realpath(builtin, NULL) : NULL;
		put_str(&h, real ? real : builtin);
		ok = put_tree(f, &h, "plugins", real ? real : builtin, -1) == 0;
		free(real);
		free(builtin);
	}
	if (ok) {
		git_libgit2_init();
		ok = put_git(f, &h, s) == 0;
		git_libgit2_shutdown();
	}
	free(content);
	if (!ok) {
		fp_free(f);
		return NULL;
	}
	finish(&h, f->inputs);
	return f;
}

void
fp_free(struct fp *f)
{
	if (!f)
		return;
	free(f->dir);
	free(f->path);
	free(f->out);
	free(f);
}

/* ------------------------------------------------------------ output */

/* The output folder opened, its own stat the first thing hashed into *h
 * (sha256_init'd here); the descriptor, or -1. */
static int
output_root(struct fp *f, struct sha256_ctx *h)
{
	struct stat st;
	sha256_init(h);
	int fd = open(f->out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	put_stat(h, &st);
	return fd;
}

/* The output as it is: its entries' list (front-coded) and stat hash. */
static int
output_walk(struct fp *f, struct buf *list, size_t *count, char hash[2 * SHA256_DIGEST_SIZE + 1])
{
	struct sha256_ctx h;
	int fd = output_root(f, &h);
	if (fd < 0)
		return -1;
	struct walk w = { .f = f, .h = &h, .list = list };
	int rc = walk(&w, fd, -1);
	buf_free(&w.rel);
	buf_free(&w.prev);
	for (size_t i = *count = 0; i < list->len; i++)
		*count += list->s[i] == '\n';
	finish(&h, hash);
	return rc;
}

/* The output's entries as listed, stat'd again: 0 when the hash is the same. */
static int
output_same(struct fp *f, const char *list, size_t len, size_t count, const char *want)
{
	struct stat st;
	struct sha256_ctx h;
	int fd = output_root(f, &h);
	if (fd < 0)
		return -1;
	struct buf path = {0};
	const char *p = list, *end = list + len;
	size_t seen = 0;
	int rc = 0;
	while (rc == 0 && p < end) {
		char *sp;
		unsigned long long k = strtoull(p, &sp, 10);
		const char *nl = memchr(sp, '\n', (size_t)(end - sp));
		if (sp == p || *sp != ' ' || !nl || k > path.len) {
			rc = -1;
			break;
		}
		path.len = (size_t)k;
		buf_add(&path, sp + 1, (size_t)(nl - sp - 1));
		const char *rel = buf_cstr(&path);
		if (!*rel || strlen(rel) != path.len || fstatat(fd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0)
			rc = -1;
		else
			rc = put_entry(&h, fd, rel, rel, &st);
		seen++;
		p = nl + 1;
	}
	buf_free(&path);
	close(fd);
	char got[2 * SHA256_DIGEST_SIZE + 1];
	finish(&h, got);
	return rc == 0 && seen == count && strcmp(got, want) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ the record */

/* The line at *p (without its '\n') as a string in line[], or -1. */
static int
take_line(const char **p, const char *end, char *line, size_t n)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl || (size_t)(nl - *p) >= n)
		return -1;
	memcpy(line, *p, (size_t)(nl - *p));
	line[nl - *p] = '\0';
	if (strlen(line) != (size_t)(nl - *p))
		return -1;
	*p = nl + 1;
	return 0;
}

int
fp_unchanged(struct fp *f, struct site *s, size_t n[3])
{
	char *data;
	size_t len;
	if (!f || confine_read_path(f->dir, FP_NAME, FP_MAX, &data, &len) != 0)
		return 0;
	int same = 0;
	const char *p = data, *end = data + len;
	char line[256], in[80], out[80], sum[80];
	size_t count, listlen, loglen, k[3];
	int warnings, errors, used = 0;
	/* the checksum first: the last line is the hash of all before it */
	size_t sumlen = 4 + 2 * SHA256_DIGEST_SIZE + 1;
	if (len < sumlen)
		goto done;
	const char *tail = end - sumlen;
	struct sha256_ctx h;
	sha256_init(&h);
	put(&h, data, (size_t)(tail - data));
	finish(&h, sum);
	if (strncmp(tail, "sum ", 4) != 0 || strncmp(tail + 4, sum, 2 * SHA256_DIGEST_SIZE) != 0 ||
	    tail[sumlen - 1] != '\n')
		goto done;
	end = tail;
	if (take_line(&p, end, line, sizeof line) != 0 || strcmp(line, "congkhai-build 1") != 0)
		goto done;
	if (take_line(&p, end, line, sizeof line) != 0 || sscanf(line, "inputs %64s%n", in, &used) != 1 ||
	    line[used] || strcmp(in, f->inputs) != 0)
		goto done;
	if (take_line(&p, end, line, sizeof line) != 0 ||
	    sscanf(line, "output %64s %zu %zu%n", out, &count, &listlen, &used) != 3 || line[used] ||
	    listlen > (size_t)(end - p))
		goto done;
	const char *list = p;
	p += listlen;
	if (take_line(&p, end, line, sizeof line) != 0 ||
	    sscanf(line, "counts %d %d %zu %zu %zu %zu%n", &warnings, &errors, &k[0], &k[1], &k[2], &loglen,
	        &used) != 6 || line[used] || loglen != (size_t)(end - p) || warnings < 0 || errors != 0)
		goto done;
	struct buf seen = {0};
	struct diag quiet = { .quiet = 1, .capture = &seen };
	int refused = output_check_dir(s->out_dir, s->content_dir, &quiet);
	buf_free(&seen);
	if (refused || output_same(f, list, listlen, count, out) != 0)
		goto done;
	output_tidy(s->out_dir);                  /* as output_begin would */
	if (diag_replay(&s->diag, p, loglen) != 0)   /* checked whole before a word is said */
		goto done;
	s->diag.warnings += warnings;
	memcpy(n, k, sizeof k);
	same = 1;
done:
	free(data);
	return same;
}

void
fp_save(struct fp *f, const struct site *s, const struct buf *log, const size_t n[3])
{
	if (!f)
		return;
	if (f->racy) {                    /* the next build cannot trust these stats */
		unlink(f->path);
		return;
	}
	struct buf b = {0}, list = {0};
	size_t count;
	char out[2 * SHA256_DIGEST_SIZE + 1], sum[2 * SHA256_DIGEST_SIZE + 1];
	if (output_walk(f, &list, &count, out) != 0) {
		unlink(f->path);
		buf_free(&list);
		return;
	}
	buf_puts(&b, FP_MAGIC);
	buf_printf(&b, "inputs %s\n", f->inputs);
	buf_printf(&b, "output %s %zu %zu\n", out, count, list.len);
	if (list.len)
		buf_add(&b, list.s, list.len);
	buf_printf(&b, "counts %d %d %zu %zu %zu %zu\n", s->diag.warnings, s->diag.errors,
	    n[0], n[1], n[2], log->len);
	if (log->len)
		buf_add(&b, log->s, log->len);
	struct sha256_ctx h;
	sha256_init(&h);
	put(&h, b.s, b.len);
	finish(&h, sum);
	buf_printf(&b, "sum %s\n", sum);
	buf_free(&list);
	char *tmp = xasprintf("%s.tmp-%ld", f->path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	char *err = NULL;
	int bad = fd < 0 || output_put(fd, FP_NAME, b.s, b.len, &err) != 0;
	free(err);
	if (fd >= 0 && close(fd) != 0)
		bad = 1;
	if (bad || rename(tmp, f->path) != 0) {
		unlink(tmp);
		unlink(f->path);
	}
	buf_free(&b);
	free(tmp);
}
