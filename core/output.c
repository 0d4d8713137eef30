/*
 * output.c — the output directory and its guarantees (SPEC §8).
 *
 * A build writes into a temporary sibling of the output directory and,
 * only when everything succeeded, swaps it in (renameat2 RENAME_EXCHANGE,
 * so readers never see a half-built site) and removes the old tree. On
 * any failure the temporary tree is removed and the last good site stays.
 * Where the build has a place to keep it (s->out_spare, in the git
 * directory), the old tree is kept there instead, and the next build takes
 * it as its temporary sibling (renamed) and writes over it: its folders
 * are made already, a file still the one the build would carry over is
 * left as it stands, anything else at a path written is removed first,
 * and what the build did not write is removed before the swap (spare.c
 * lists the tree, rid of links, and records what was written).
 * Refused outputs: "/", the home directory, the content directory or one
 * of its parents, and an existing non-empty directory that congkhai did
 * not build (no marker file). Writes are confined to the temporary tree:
 * relative paths only, no "..", no following of symbolic links. The
 * temporary tree's name carries the building process's id, so the next
 * build removes the trees of builds that were killed or crashed.
 * A file written with the very bytes it has in the site being replaced
 * is carried over instead: hard-linked from the old tree, which is only
 * ever read (a file is never opened for writing where a link may stand).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "congkhai.h"
#include "confine.h"
#include "pool.h"
#include "spare.h"

#define MARKER ".congkhai-site"

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* "." or "..": a name readdir gives that is no entry of the folder. */
static int
dot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

#define RM_DEPTH 32    /* folders rm_at keeps open; nftw goes deeper */

struct rm_dir { const char *path; int depth; };

static void rm_at(int dfd, const char *path, const char *name, int dir, int depth);

static void
rm_entry_of(int fd, const char *name, unsigned char type, void *arg)
{
	const struct rm_dir *d = arg;
	char *sub = xasprintf("%s/%s", d->path, name);
	rm_at(fd, sub, name, type == DT_DIR, d->depth + 1);
	free(sub);
}

/* Remove name in the folder dfd (path is its path, for nftw): a file
 * by unlinkat, a folder emptied first. The listing's d_type says which
 * each entry is, so no entry is looked at with a stat of its own
 * (60,000 of them when an edited build at 10,000 procedures removes
 * the site it replaced); a link is removed, never followed. */
static void
rm_at(int dfd, const char *path, const char *name, int dir, int depth)
{
	if (!dir && (unlinkat(dfd, name, 0) == 0 || errno != EISDIR))
		return;
	if (depth >= RM_DEPTH) {
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		struct rm_dir d = { path, depth };
		confine_each(fd, rm_entry_of, &d);
		close(fd);
	}
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/* The paths rm_tree's threads remove, and whether each is a folder. */
struct rm_work { char **v; char *dir; size_t n, cap; const char *in; };

static void
rm_one(size_t i, void *arg)
{
	struct rm_work *w = arg;
	rm_at(AT_FDCWD, w->v[i], w->v[i], w->dir[i], 0);
}

static void
rm_note(int fd, const char *name, unsigned char type, void *arg)
{
	(void)fd;
	struct rm_work *w = arg;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->v = xrealloc(w->v, w->cap * sizeof *w->v);
		w->dir = xrealloc(w->dir, w->cap);
	}
	w->dir[w->n] = type == DT_DIR;
	w->v[w->n++] = xasprintf("%s/%s", w->in, name);
}

static void
rm_note_folder(int fd, const char *name, unsigned char type, void *arg)
{
	struct rm_work *w = arg;
	int sub = type == DT_DIR || type == DT_UNKNOWN ?
	    openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
	if (sub < 0)
		return;
	const char *outer = w->in;
	char *in = xasprintf("%s/%s", outer, name);
	w->in = in;
	confine_each(sub, rm_note, w);
	w->in = outer;
	free(in);
	close(sub);
}

/* What the folders of dir hold, as paths into w (no link followed). */
static void
rm_collect(const char *dir, struct rm_work *w)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	w->in = dir;
	confine_each(fd, rm_note_folder, w);
	close(fd);
}

/* Remove the tree at dir. With jobs > 1, what its folders hold is removed
 * by that many threads first (unlinking 50,000 files is most of the time
 * an edited build takes to swap its site in), then the rest. */
static void
rm_tree(const char *dir, int jobs)
{
	if (jobs > 1) {
		struct rm_work w = {0};
		rm_collect(dir, &w);
		pool_run(jobs, w.n, rm_one, &w);
		for (size_t i = 0; i < w.n; i++)
			free(w.v[i]);
		free(w.v);
		free(w.dir);
	}
	rm_at(AT_FDCWD, dir, dir, 0, 0);
}

/* realpath of a path that may not exist yet: realpath(parent)/basename */
char *
output_resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r)
		return r;
	char *a = xstrdup(path), *b = xstrdup(path);
	char *parent = realpath(dirname(a), NULL);
	char *out = parent ? xasprintf("%s/%s", strcmp(parent, "/") ? parent : "", basename(b)) : NULL;
	free(parent);
	free(a);
	free(b);
	return out;
}

static int
dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	int empty = 1;
	while (empty && (e = readdir(d)) != NULL)
		empty = dot(e->d_name);
	closedir(d);
	return empty;
}

int
output_under(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Whether out lies inside the content tree: anywhere under a root named
 * content, or in one of the folders the build reads. (A root that is a
 * whole repository may hold the output: site/ beside its folders.) */
static int
inside_content(const char *out, const char *root)
{
	static const char *const read[] = {
		"procedures", "news", "pages", "data", "static", "plugins", "templates", ".git", NULL };
	size_t n = strlen(root);
	if (strncmp(out, root, n) != 0 || out[n] != '/')
		return 0;
	const char *base = strrchr(root, '/');
	if (base && strcmp(base + 1, "content") == 0)
		return 1;
	const char *rest = out + n + 1;
	size_t seg = strcspn(rest, "/");
	for (const char *const *r = read; *r; r++)
		if (strlen(*r) == seg && strncmp(rest, *r, seg) == 0)
			return 1;
	return 0;
}

int
output_check_dir(const char *out, const char *content_dir, struct diag *d)
{
	char *ro = output_resolve(out), *rc = realpath(content_dir, NULL);
	const char *home = getenv("HOME");
	char *rh = home ? realpath(home, NULL) : NULL;
	int bad = 0;
	if (!ro) {
		diag_error(d, out, 0, 0, "%s", tr("the output directory's parent does not exist"));
		bad = 1;
	} else if (strcmp(ro, "/") == 0 || (rh && strcmp(ro, rh) == 0)) {
		diag_error(d, out, 0, 0, "%s", tr("refusing to write the site to / or the home directory"));
		bad = 1;
	} else if (rc && output_under(ro, rc)) {
		diag_error(d, out, 0, 0, "%s",
		    tr("refusing to write the site over the content directory or one of its parents"));
		bad = 1;
	} else if (rc && inside_content(ro, rc)) {
		diag_error(d, out, 0, 0, "%s", tr("refusing to write the site inside the content tree"));
		bad = 1;
	} else {
		struct stat st;
		if (lstat(ro, &st) == 0) {
			if (!S_ISDIR(st.st_mode)) {
				diag_error(d, out, 0, 0, "%s", tr("the output path exists and is not a directory"));
				bad = 1;
			} else {
				char *m = xasprintf("%s/%s", ro, MARKER);
				int built = access(m, F_OK) == 0;
				free(m);
				if (!built && !dir_is_empty(ro)) {
					diag_error(d, out, 0, 0, "%s",
					    tr("refusing to replace a non-empty directory that congkhai did not build"));
					bad = 1;
				}
			}
		}
	}
	free(ro);
	free(rc);
	free(rh);
	return bad ? -1 : 0;
}

/* Remove dir/.BASE.tmp-PID-* left by builds whose process is gone. */
static void
remove_stale(const char *dir, const char *base)
{
	char *prefix = xasprintf(".%s.tmp-", base);
	size_t n = strlen(prefix);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		char *end;
		if (strncmp(e->d_name, prefix, n) != 0)
			continue;
		long pid = strtol(e->d_name + n, &end, 10);
		if (pid <= 0 || *end != '-' || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
			char *path = xasprintf("%s/%s", dir, e->d_name);
			struct stat st;
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
				rm_tree(path, 1);
			free(path);
		}
	}
	if (d)
		closedir(d);
	free(prefix);
}

void
output_tidy(const char *out)
{
	char *ro = output_resolve(out);
	if (!ro)
		return;
	char *a = xstrdup(ro), *b = xstrdup(ro);
	remove_stale(dirname(a), basename(b));
	free(a);
	free(b);
	free(ro);
}

/* Take the tree kept at s->out_spare (the site the last build replaced)
 * as the tree to write: renamed onto the empty folder s->out_tmp and
 * listed, rid of anything but files and folders. Without one, or when it
 * will not do, s->out_tmp stays the empty folder mkdtemp made; a kept
 * tree that cannot be taken is removed, so that the next can be kept. */
static void
take_spare(struct site *s)
{
	struct stat st;
	if (!s->out_spare || lstat(s->out_spare, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(s->out_spare);
		return;
	}
	if (rename(s->out_spare, s->out_tmp) != 0) {
		if (errno != ENOENT)              /* ENOENT: another build took it */
			rm_tree(s->out_spare, s->jobs);
		return;
	}
	int fd = open(s->out_tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	s->spare = fd >= 0 ? spare_list(fd) : NULL;
	if (fd >= 0)
		close(fd);
	if (!s->spare) {
		rm_tree(s->out_tmp, s->jobs);
		mkdir(s->out_tmp, 0700);
	}
}

/* The tree at s->out_tmp, which is not to be the site: kept at
 * s->out_spare for the next build to write over, or removed. */
static void
keep_spare(struct site *s)
{
	if (!s->out_spare || renameat2(AT_FDCWD, s->out_tmp, AT_FDCWD, s->out_spare, RENAME_NOREPLACE) != 0)
		rm_tree(s->out_tmp, s->jobs);
}

int
output_begin(struct site *s, const char *home)
{
	output_tidy(s->out_dir);
	char *ro = output_resolve(s->out_dir);
	char *a = xstrdup(ro), *b = xstrdup(ro);
	char *tmpl = xasprintf("%s/.%s.tmp-%ld-XXXXXX", dirname(a), basename(b), (long)getpid());
	free(a);
	free(b);
	if (!mkdtemp(tmpl)) {
		diag_error(&s->diag, s->out_dir, 0, 0, "cannot write: %s", strerror(errno));
		free(tmpl);
		free(ro);
		return -1;
	}
	s->out_tmp = tmpl;
	free(s->out_spare);
	s->out_spare = home ? xasprintf("%scongkhai-spare", home) : NULL;
	take_spare(s);
	chmod(tmpl, 0755);
	int fd = open(ro, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	free(ro);
	if (fd >= 0 && faccessat(fd, MARKER, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		s->out_prev = fd + 1;
	else if (fd >= 0)
		close(fd);
	return 0;
}

static void
prev_close(struct site *s)
{
	if (s->prev_fd)
		close(s->prev_fd - 1);
	s->prev_fd = 0;
	free(s->prev_name);
	s->prev_name = NULL;
	if (s->out_prev)
		close(s->out_prev - 1);
	s->out_prev = 0;
}

/* The folder of rel in the site being replaced, opened beneath it
 * without following a link, and *base the last name of rel; -1 when
 * there is none. The descriptor is the site's (prev_close closes it):
 * the files of a page come one after another in one folder, which is
 * opened once for them all. */
static int
prev_dir(struct site *s, const char *rel, const char **base)
{
	const char *slash = strrchr(rel, '/');
	*base = slash ? slash + 1 : rel;
	if (!s->out_prev)
		return -1;
	if (!slash)
		return s->out_prev - 1;
	size_t n = (size_t)(slash - rel);
	if (s->prev_fd && strlen(s->prev_name) == n && memcmp(s->prev_name, rel, n) == 0)
		return s->prev_fd - 1;
	if (s->prev_fd)
		close(s->prev_fd - 1);
	free(s->prev_name);
	s->prev_name = xstrndup(rel, n);
	int fd = confine_open(s->out_prev - 1, s->prev_name, O_PATH | O_DIRECTORY, 0);
	s->prev_fd = fd + 1;
	return fd;
}

/* mkdir -p path, its first from bytes known to be folders: the folder
 * itself first, as it is mostly its parents that are there already. The
 * tree is this build's own (mkdtemp, or the spare rid of its links), where
 * nothing makes a link. */
static int
mkdir_p(char *path, size_t from)
{
	struct stat st;
	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST)
		return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
	char *slash = strrchr(path, '/');
	if (errno != ENOENT || !slash || (size_t)(slash - path) < from)
		return -1;
	*slash = '\0';
	int rc = mkdir_p(path, from);
	*slash = '/';
	return rc == 0 && (mkdir(path, 0755) == 0 || errno == EEXIST) ? 0 : -1;
}

/* Remove the files an earlier build left where the folders of path (in
 * the tree being written, whose path is its first skip bytes) are to be;
 * 0 if there was any. */
static int
unfile(struct site *s, char *path, size_t skip)
{
	int rc = -1;
	for (char *p = path + skip; rc != 0 && *p; p++) {
		if (p[1] != '/' && p[1] != '\0')
			continue;
		char c = p[1];
		p[1] = '\0';
		struct stat st;
		if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) && spare_stale(s->spare, path + skip))
			rc = unlink(path);
		p[1] = c;
	}
	return rc;
}

/* mkdir -p for the folders of rel in the tree being written. Folders are
 * never removed while it is written, so rel's folder when it is the last
 * one made or found (s->out_made) or inside it is not looked at again. */
static int
make_parents(struct site *s, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	if (!slash)
		return 0;
	size_t dir = (size_t)(slash - rel);
	const char *made = s->out_made ? s->out_made : "";
	if (strncmp(made, rel, dir) == 0 && (made[dir] == '\0' || made[dir] == '/'))
		return 0;
	size_t skip = strlen(s->out_tmp) + 1;
	char *path = xasprintf("%s/%.*s", s->out_tmp, (int)dir, rel);
	if (mkdir_p(path, skip) != 0 && (unfile(s, path, skip) != 0 || mkdir_p(path, skip) != 0)) {
		free(path);
		return -1;
	}
	free(s->out_made);
	s->out_made = xstrdup(path + skip);
	free(path);
	return 0;
}

/* The path of rel in the tree being written; NULL and *err when rel is
 * not a safe relative path. Its folders are made by whoever finds them
 * missing (make_parents after ENOENT): most are there already, and
 * looking first would cost a call each time. The tree is this build's
 * own (mkdtemp, or the spare rid of its links), where nothing makes a
 * link, so opening through it before make_parents has looked follows none. */
static char *
new_path(struct site *s, const char *rel, char **err)
{
	*err = NULL;
	if (!output_safe_relpath(rel)) {
		*err = xasprintf("unsafe output path '%s'", rel ? rel : "");
		return NULL;
	}
	return xasprintf("%s/%s", s->out_tmp, rel);
}

/* Whether st is the regular file of *want: inode, size, modification time. */
static int
same_file(const struct stat *st, const struct stat *want)
{
	return S_ISREG(st->st_mode) && st->st_ino == want->st_ino && st->st_dev == want->st_dev &&
	    st->st_size == want->st_size && st->st_mtim.tv_sec == want->st_mtim.tv_sec &&
	    st->st_mtim.tv_nsec == want->st_mtim.tv_nsec;
}

/* Whether rel at path, left in the tree by the build that wrote it
 * before (the spare), is still the file of *want: then it is this
 * build's, as it stands. */
static int
kept(struct site *s, const char *rel, const char *path, const struct stat *want)
{
	struct stat st;
	if (!spare_stale(s->spare, rel) || lstat(path, &st) != 0 || !same_file(&st, want))
		return 0;
	spare_mark(s->spare, rel);
	return 1;
}

/* Remove what an earlier build left at path (rel's) in the tree: 0 if
 * there was such a thing, -1 (nothing done) for anything this build wrote. */
static int
clear(struct site *s, const char *rel, const char *path)
{
	struct stat st;
	if (!spare_stale(s->spare, rel) || lstat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	free(s->out_made);                    /* it may have been that folder */
	s->out_made = NULL;
	rm_tree(path, 1);
	return 0;
}

/* Link base in dfd (prev_dir's) to path, rel's in the tree being
 * written (its folders made when they are not there yet), when it is the
 * regular file of *want (inode, size and modification time); when the
 * spare already holds that very file at path, it stands (kept). That is
 * checked once linked: what is linked is what stays, and anything else
 * (another file put in its place, a link, a folder) is taken back. */
static int
link_prev(struct site *s, int dfd, const char *base, const char *rel, const char *path, const struct stat *want)
{
	if (kept(s, rel, path, want))
		return 0;
	int rc = linkat(dfd, base, AT_FDCWD, path, 0);
	if (rc != 0 && (errno == ENOENT || errno == ENOTDIR))          /* a folder missing */
		rc = make_parents(s, rel) == 0 ? linkat(dfd, base, AT_FDCWD, path, 0) : -1;
	else if (rc != 0 && errno == EEXIST)                           /* an earlier build's */
		rc = clear(s, rel, path) == 0 ? linkat(dfd, base, AT_FDCWD, path, 0) : -1;
	if (rc != 0)
		return -1;
	struct stat st;
	if (lstat(path, &st) == 0 && same_file(&st, want)) {
		spare_mark(s->spare, rel);
		return 0;
	}
	unlink(path);
	return -1;
}

/* Links rel of the site being replaced to path when it holds exactly
 * data[0..len); 0 if it did. Only a regular file reached without a
 * symbolic link is taken. */
static int
carry(struct site *s, const char *rel, const char *path, const char *data, size_t len)
{
	const char *base;
	int dfd = prev_dir(s, rel, &base);
	if (dfd < 0)
		return -1;
	int fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);   /* a FIFO must not block */
	struct stat st;
	int same = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
	char b[65536];
	for (size_t off = 0; same && off < len;) {
		ssize_t r = read(fd, b, len - off < sizeof b ? len - off : sizeof b);
		same = r > 0 && memcmp(b, data + off, (size_t)r) == 0;
		off += r > 0 ? (size_t)r : 0;
	}
	int rc = same ? link_prev(s, dfd, base, rel, path, &st) : -1;
	if (fd >= 0)
		close(fd);
	return rc;
}

void
output_remove(const char *dir)
{
	rm_tree(dir, 1);
}

int
output_safe_relpath(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/' || strchr(rel, '\\'))
		return 0;
	const char *p = rel;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

void
output_forget(struct site *s, const char *rel)
{
	if (!s->out_tmp || !output_safe_relpath(rel))
		return;
	char *path = xasprintf("%s/%s", s->out_tmp, rel);
	clear(s, rel, path);
	free(path);
}

/* The stat of rel in the tree being written; 0 when it is a regular file. */
int
output_stat(struct site *s, const char *rel, struct stat *st)
{
	if (!s->out_tmp || !output_safe_relpath(rel) || spare_stale(s->spare, rel))
		return -1;
	char *path = xasprintf("%s/%s", s->out_tmp, rel);
	int rc = lstat(path, st) == 0 && S_ISREG(st->st_mode) ? 0 : -1;
	free(path);
	return rc;
}

/* Carry rel of the site being replaced over, as it stands, when it is
 * still the file whose stat was want (inode, size and mtime); 0 if it was. */
int
output_carry_file(struct site *s, const char *rel, const struct stat *want)
{
	const char *base;
	int dfd = output_safe_relpath(rel) ? prev_dir(s, rel, &base) : -1;
	if (dfd < 0)
		return -1;
	char *err = NULL, *path = new_path(s, rel, &err);
	int rc = path ? link_prev(s, dfd, base, rel, path, want) : -1;
	free(err);
	free(path);
	return rc;
}

/* A new file at path (rel's) each time, its folders made when they are
 * not there yet: one written before may be carried over, that is, also
 * the old site's. */
static int
create(struct site *s, const char *path, const char *rel, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR) && make_parents(s, rel) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST && (unlink(path) == 0 || clear(s, rel, path) == 0))
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		*err = xasprintf("%s: %s", rel, strerror(errno));
	else
		spare_mark(s->spare, rel);
	return fd;
}

int
output_open(struct site *s, const char *rel, char **err)
{
	char *path = new_path(s, rel, err);
	if (!path)
		return -1;
	int fd = create(s, path, rel, err);
	free(path);
	return fd;
}

int
output_put(int fd, const char *rel, const char *data, size_t len, char **err)
{
	*err = NULL;
	if (write_full(fd, data, len) == 0)
		return 0;
	*err = xasprintf("%s: %s", rel, strerror(errno));
	return -1;
}

int
output_write(struct site *s, const char *rel, const char *data, size_t len, char **err)
{
	char *path = new_path(s, rel, err);
	if (!path)
		return -1;
	int rc = 0;
	if (carry(s, rel, path, data, len) != 0) {
		int fd = create(s, path, rel, err);
		rc = fd < 0 ? -1 : output_put(fd, rel, data, len, err);
		if (fd >= 0)
			close(fd);
	}
	free(path);
	return rc;
}

/* Write what is left to read of in (from, for messages) to out (rel's);
 * 0, or -1 and *err. */
static int
copy_rest(int in, const char *from, int out, const char *rel, char **err)
{
	char chunk[65536];
	ssize_t r;
	while ((r = read(in, chunk, sizeof chunk)) > 0)
		if (output_put(out, rel, chunk, (size_t)r, err) != 0)
			return -1;
	if (r < 0)
		*err = xasprintf("%s: %s", from, strerror(errno));
	return r < 0 ? -1 : 0;
}

/* rel of the tree being built, opened to add to its end: made when it is
 * not there; a file still linked to the site being replaced (carried over)
 * is first made a file of its own with the same bytes, so the old site is
 * never written. A file descriptor, or -1 and *err. */
static int
open_end(struct site *s, const char *rel, char **err)
{
	char *path = new_path(s, rel, err);
	if (!path)
		return -1;
	clear(s, rel, path);                   /* an earlier build's bytes are not added to */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 && errno == ENOENT) {
		fd = create(s, path, rel, err);
	} else if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*err = xasprintf("%s: %s", rel, fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		fd = -1;
	} else if (st.st_nlink > 1) {          /* carried over: the link replaced by a copy */
		int in = fd;                       /* still the old bytes once create unlinks the path */
		fd = create(s, path, rel, err);
		if (fd >= 0 && copy_rest(in, rel, fd, rel, err) != 0) {
			close(fd);
			fd = -1;
		}
		close(in);
	} else {
		close(fd);
		fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			*err = xasprintf("%s: %s", rel, strerror(errno));
	}
	free(path);
	return fd;
}

int
output_append(struct site *s, const char *rel, const char *data, size_t len, char **err)
{
	int fd = open_end(s, rel, err);
	int rc = fd < 0 ? -1 : output_put(fd, rel, data, len, err);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
output_take(struct site *s, const char *rel, const char *from, char **err)
{
	char *src = new_path(s, from, err);
	if (!src)
		return -1;
	int in = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int fd = in < 0 ? (*err = xasprintf("%s: %s", from, strerror(errno)), -1) : open_end(s, rel, err);
	int rc = fd < 0 ? -1 : copy_rest(in, from, fd, rel, err);
	if (fd >= 0)
		close(fd);
	if (in >= 0)
		close(in);
	unlink(src);
	free(src);
	return rc;
}

int
output_copy_static(struct site *s)
{
	struct source_file *f;
	size_t n;
	struct buf seen = {0};                 /* validate_links reported these already */
	struct diag again = { .quiet = 1, .capture = &seen };
	int listed = source_list(s->src, "static", &f, &n, &again);
	buf_free(&seen);
	if (listed != 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *data, *err;
		size_t len;
		if (source_read(s->src, f[i].path, &data, &len) != 0) {
			diag_error(&s->diag, f[i].path, 0, 0, "cannot read: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (output_write(s, f[i].path + strlen("static/"), data, len, &err) != 0) {
			diag_error(&s->diag, f[i].path, 0, 0, "cannot write: %s", err);
			free(err);
			rc = -1;
		}
		free(data);
	}
	source_files_free(f, n);
	return rc;
}

/* The tree being written is swapped in or removed: forget it. */
static void
tree_done(struct site *s)
{
	spare_free(s->spare);
	s->spare = NULL;
	free(s->out_tmp);
	s->out_tmp = NULL;
	free(s->out_made);
	s->out_made = NULL;
}

int
output_commit(struct site *s)
{
	char *err;
	static const char note[] = "This directory is built by congkhai and replaced on every build.\n";
	if (output_write(s, MARKER, note, sizeof note - 1, &err) != 0) {
		diag_error(&s->diag, s->out_dir, 0, 0, "cannot write: %s", err);
		free(err);
		output_abort(s);
		return -1;
	}
	prev_close(s);
	if (s->spare) {                       /* what the new site does not hold */
		int fd = open(s->out_tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			spare_sweep(s->spare, fd);
			close(fd);
		}
	}
	char *ro = output_resolve(s->out_dir);
	struct stat st;
	int rc;
	if (lstat(ro, &st) == 0) {
		rc = renameat2(AT_FDCWD, s->out_tmp, AT_FDCWD, ro, RENAME_EXCHANGE);
		if (rc == 0)
			keep_spare(s);                /* now holds the previous site */
	} else {
		rc = rename(s->out_tmp, ro);
	}
	if (rc != 0) {
		diag_error(&s->diag, s->out_dir, 0, 0, "cannot write: %s", strerror(errno));
		output_abort(s);
	}
	free(ro);
	tree_done(s);
	return rc;
}

void
output_abort(struct site *s)
{
	prev_close(s);
	if (s->out_tmp && s->spare)
		keep_spare(s);                    /* as good a spare as it was */
	else if (s->out_tmp)
		rm_tree(s->out_tmp, s->jobs);
	tree_done(s);
}
