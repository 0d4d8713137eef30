/*
 * confine.c — opening and reading files beneath a directory (SPEC §7:
 * "nothing is read through a symbolic link that leaves the content tree or
 * the plugin's folder, and nothing under .git is ever readable").
 *
 * A relative path is refused outright when it is absolute, has an empty,
 * "." or ".." component, or a component named .git. It is then opened with
 * openat2(RESOLVE_BENEATH), so the kernel refuses any resolution, through
 * symbolic links included, that leaves the directory; where openat2 is
 * missing, the opened file's real path (/proc/self/fd) is checked instead.
 * Either way the real path must not pass through a .git folder, so a link
 * such as static/cfg.txt -> ../.git/config in a repository's root is
 * refused too. Owns nothing beyond the descriptors it returns.
 */
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

int
confine_open(int rootfd, const char *rel, int flags, int follow)
{
	if (!confine_path_ok(rel)) {
		errno = EACCES;
		return -1;
	}
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (follow ? 0 : RESOLVE_NO_SYMLINKS),
	};
	int fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof how);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))   /* no openat2 (old kernel, seccomp) */
		fd = openat(rootfd, rel, flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -1;
	if (!fd_beneath(rootfd, fd)) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

int
confine_read(int rootfd, const char *rel, size_t max, char **data, size_t *len)
{
	int fd = confine_open(rootfd, rel, O_RDONLY, 1);
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
