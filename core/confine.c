/*
 * confine.c — opening and reading files beneath a directory (SPEC §7:
 * "nothing is read through a symbolic link that leaves the content tree or
 * the plugin's folder, and nothing under .git is ever readable").
 *
 * A relative path is refused outright when it is absolute, has an empty,
 * "." or ".." component, or a component named .git. It is then opened with
 * openat2(RESOLVE_BENEATH), so the kernel refuses any resolution, through
 * symbolic links included, that leaves the directory. Where openat2 is
 * missing (ENOSYS, or EPERM from a seccomp filter) the same rules are kept
 * by hand: without `follow` the path is walked one component at a time with
 * O_NOFOLLOW and any link is refused (ELOOP); with it, the path is first
 * opened with O_PATH only, its real path (/proc/self/fd) checked, and the
 * file reopened through that descriptor, so nothing outside is ever opened
 * for reading. Through links, the real path (/proc/self/fd) must not pass
 * through a .git folder either, so a link such as static/cfg.txt ->
 * ../.git/config in a repository's root is refused too; without /proc
 * that cannot be checked and is refused. Without `follow`, what is opened
 * is the path itself, checked before; with it, openat2 first tries the
 * path without links, which needs no real path either (content trees
 * rarely hold links, and a build opens every file). It also lists a
 * folder's entries with getdents64, for output.c and spare.c. Owns nothing beyond
 * the descriptors it returns.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "confine.h"

int
confine_path_ok(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/')
		return 0;
	for (const char *c = rel; *c;) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.') ||
		    (n == 4 && strncasecmp(c, ".git", 4) == 0))
			return 0;
		c += n;
		if (*c == '/')
			c++;
		if (!*c && c[-1] == '/')
			return 0;
	}
	return 1;
}

/* The real path of an open descriptor, or NULL (no /proc). */
static char *
fd_path(int fd)
{
	char link[64], buf[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *r = malloc((size_t)n + 1);
	if (r)
		memcpy(r, buf, (size_t)n + 1);
	return r;
}

/* Whether the real path of fd lies beneath that of rootfd, through no .git. */
static int
fd_beneath(int rootfd, int fd)
{
	char *root = fd_path(rootfd), *path = fd_path(fd);
	int ok = 0;
	size_t n = root ? strlen(root) : 0;
	if (root && path && strncmp(path, root, n) == 0 &&
	    (path[n] == '/' || path[n] == '\0' || (n == 1 && root[0] == '/'))) {
		const char *rest = path + n + (path[n] == '/');
		ok = !*rest || confine_path_ok(rest);
	}
	free(root);
	free(path);
	return ok;
}

/* Without openat2 and without following links: one component at a time,
 * each opened with O_NOFOLLOW beneath the last; a link anywhere is ELOOP. */
static int
open_walk(int rootfd, const char *rel, int flags)
{
	int dfd = rootfd, fd = -1;
	for (const char *c = rel;; c++) {
		char name[NAME_MAX + 1];
		size_t n = strcspn(c, "/");
		int last = c[n] == '\0';
		struct stat st;
		if (n > NAME_MAX) {
			errno = ENAMETOOLONG;
			fd = -1;
		} else {
			memcpy(name, c, n);
			name[n] = '\0';
			fd = openat(dfd, name, (last ? flags : O_PATH | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0 && (errno == ENOTDIR || errno == ELOOP) &&
			    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				errno = ELOOP;
			if (fd >= 0 && last && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {   /* O_PATH */
				close(fd);
				fd = -1;
				errno = ELOOP;
			}
		}
		if (dfd != rootfd) {
			int saved = errno;
			close(dfd);
			errno = saved;
		}
		if (fd < 0 || last)
			return fd;
		dfd = fd;
		c += n;
	}
}

/* Without openat2, following links: resolve with O_PATH (which opens
 * nothing for reading), check where that landed, then reopen the very same
 * file through its descriptor with the caller's flags. */
static int
open_resolved(int rootfd, const char *rel, int flags)
{
	int pfd = openat(rootfd, rel, O_PATH | O_CLOEXEC | (flags & O_DIRECTORY));
	if (pfd < 0)
		return -1;
	int fd = -1;
	if (!fd_beneath(rootfd, pfd)) {
		errno = EXDEV;
	} else {
		char link[64];
		snprintf(link, sizeof link, "/proc/self/fd/%d", pfd);
		fd = open(link, flags | O_CLOEXEC);
	}
	int saved = errno;
	close(pfd);
	errno = saved;
	return fd;
}

static int
open_beneath(int rootfd, const char *rel, int flags, int follow, int compat)
{
	if (!confine_path_ok(rel)) {
		errno = EACCES;
		return -1;
	}
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (follow ? 0 : RESOLVE_NO_SYMLINKS),
	};
	int fd = -1;
	if (compat)
		errno = ENOSYS;
	else if (follow) {
		/* most paths pass through no link: opened as such, they are
		 * rel itself, checked above, and need no real path */
		how.resolve |= RESOLVE_NO_SYMLINKS;
		fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof how);
		if (fd >= 0)
			return fd;
		how.resolve &= ~(unsigned long long)RESOLVE_NO_SYMLINKS;
		if (errno == ELOOP)
			fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof how);
	} else
		fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof how);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))   /* no openat2 (old kernel, seccomp) */
		fd = follow ? open_resolved(rootfd, rel, flags) : open_walk(rootfd, rel, flags);
	if (fd < 0)
		return -1;
	/* Without following links, what was opened is rel itself, checked
	 * above; through links it is wherever they led, checked here. */
	if (follow && !fd_beneath(rootfd, fd)) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

int
confine_open(int rootfd, const char *rel, int flags, int follow)
{
	return open_beneath(rootfd, rel, flags, follow, 0);
}

int
confine_open_compat(int rootfd, const char *rel, int flags, int follow)
{
	return open_beneath(rootfd, rel, flags, follow, 1);
}

int
confine_each(int fd, void (*f)(int, const char *, unsigned char, void *), void *arg)
{
	_Alignas(struct dirent64) char b[4096];
	ssize_t n;
	while ((n = getdents64(fd, b, sizeof b)) > 0)
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *e = (const struct dirent64 *)(const void *)(b + off);
			off += e->d_reclen;
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				f(fd, e->d_name, e->d_type, arg);
		}
	return n < 0 ? -1 : 0;
}

int
confine_read(int rootfd, const char *rel, size_t max, char **data, size_t *len)
{
	int fd = confine_open(rootfd, rel, O_RDONLY | O_NONBLOCK, 1);   /* a FIFO must not block */
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *b = malloc(cap);
	ssize_t r = 0;
	while (b && n < cap - 1 && (r = read(fd, b + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	if (!b || r < 0) {
		free(b);
		return -1;
	}
	b[n] = '\0';
	*data = b;
	*len = n;
	return 0;
}

int
confine_read_path(const char *root, const char *rel, size_t max, char **data, size_t *len)
{
	int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -1;
	int rc = confine_read(rootfd, rel, max, data, len);
	int saved = errno;
	close(rootfd);
	errno = saved;
	return rc;
}
