/*
 * source.c — content files from the working tree, and the dispatch for
 * any struct source (the git backend is in gitsource.c).
 *
 * Paths are relative to the content root and '/'-separated. Listing is
 * recursive and sorted; dot-files are skipped. Every file and folder is
 * opened beneath the root through confine.c: a symbolic link to a file is
 * followed only when it stays inside the content tree (and out of .git);
 * one that leaves it is refused with an error, never read. Links to
 * folders are not followed (a warning), so a top-level static/ that is a
 * link to elsewhere publishes nothing, and link cycles cannot loop.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "congkhai.h"
#include "confine.h"

#define SOURCE_MAX_READ (1u << 30)   /* a static file may be large; content is checked later */

struct fsctx { int rootfd; };

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct source_file *)a)->path, ((const struct source_file *)b)->path);
}

/* A symbolic link at rel: an error when it leaves the tree, a warning when
 * it names a folder inside; 1 when it is a regular file inside (listed),
 * with the file's stat in *st. */
static int
check_link(struct source *s, const char *rel, struct stat *st, struct diag *d)
{
	struct fsctx *c = s->ctx;
	int fd = confine_open(c->rootfd, rel, O_PATH, 1);     /* O_PATH: a FIFO must not block */
	int file = fd >= 0 && fstat(fd, st) == 0 && S_ISREG(st->st_mode);
	int dir = fd >= 0 && !file && S_ISDIR(st->st_mode);
	if (fd >= 0)
		close(fd);
	char *disp = source_display(s, rel);
	if (fd < 0 && errno != ENOENT)
		diag_error(d, disp, 0, 0, "symbolic link points outside the content tree; refused");
	else if (dir)
		diag_warn(d, disp, 0, 0, "symbolic link to a folder is not followed");
	free(disp);
	return file;
}

/* Walk the tree under sub with an explicit stack of folders still to read. */
static int
fs_list(struct source *s, const char *sub, struct source_file **out, size_t *count, struct diag *d)
{
	struct fsctx *c = s->ctx;
	char **todo = xmalloc(sizeof *todo);
	size_t ntodo = 1, n = 0, cap = 0;
	struct source_file *files = NULL;
	todo[0] = xstrdup(sub);
	while (ntodo) {
		char *rel = todo[--ntodo];
		int dfd = confine_open(c->rootfd, rel, O_RDONLY | O_DIRECTORY, 0);
		DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
		if (!dir) {
			struct stat st;
			if (dfd >= 0)
				close(dfd);
			else if (errno == ELOOP && fstatat(c->rootfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				check_link(s, rel, &st, d);
			else if (errno != ENOENT && errno != ENOTDIR) {
				char *disp = source_display(s, rel);
				diag_error(d, disp, 0, 0, "cannot read: %s", strerror(errno));
				free(disp);
			}
			free(rel);
			continue;
		}
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char *crel = xasprintf("%s/%s", rel, e->d_name);
			struct stat st;
			int keep = fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0;
			if (keep && S_ISLNK(st.st_mode))
				keep = check_link(s, crel, &st, d);
			if (keep && S_ISDIR(st.st_mode)) {
				todo = xrealloc(todo, (ntodo + 1) * sizeof *todo);
				todo[ntodo++] = crel;
				continue;
			}
			if (keep && S_ISREG(st.st_mode)) {
				if (n == cap)
					files = xrealloc(files, (cap = cap ? cap * 2 : 64) * sizeof *files);
				files[n].path = crel;
				files[n++].size = (size_t)st.st_size;
				continue;
			}
			free(crel);
		}
		closedir(dir);
		free(rel);
	}
	free(todo);
	if (n)
		qsort(files, n, sizeof *files, cmp_file);
	*out = files;
	*count = n;
	return 0;
}

static int
fs_read(struct source *s, const char *path, char **data, size_t *len)
{
	struct fsctx *c = s->ctx;
	return confine_read(c->rootfd, path, SOURCE_MAX_READ, data, len);
}

static void
fs_close(struct source *s)
{
	struct fsctx *c = s->ctx;
	if (c->rootfd >= 0)
		close(c->rootfd);
	free(c);
}

static const struct source_ops fs_ops = { fs_list, fs_read, fs_close };

struct source *
source_open_fs(const char *root)
{
	struct source *s = xcalloc(1, sizeof *s);
	struct fsctx *c = xcalloc(1, sizeof *c);
	c->rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);   /* -1: every read fails */
	s->ops = &fs_ops;
	s->ctx = c;
	s->root = xstrdup(root);
	return s;
}

int
source_list(struct source *s, const char *sub, struct source_file **out, size_t *n, struct diag *d)
{
	return s->ops->list(s, sub, out, n, d);
}

int
source_read(struct source *s, const char *path, char **data, size_t *len)
{
	return s->ops->read(s, path, data, len);
}

void
source_close(struct source *s)
{
	if (!s)
		return;
	s->ops->close(s);
	free(s->root);
	free(s);
}

void
source_files_free(struct source_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].path);
	free(f);
}

char *
source_display(const struct source *s, const char *path)
{
	size_t n = strlen(s->root);
	if (n == 0 || strcmp(s->root, ".") == 0)
		return xstrdup(path);
	return xasprintf("%s%s%s", s->root, s->root[n - 1] == '/' ? "" : "/", path);
}
