/*
 * source.c — content files from the working tree, and the dispatch for
 * any struct source (the git backend is in gitsource.c).
 *
 * Paths are relative to the content root and '/'-separated. Listing is
 * recursive and sorted; dot-files are skipped. A symbolic link is followed
 * only when it points inside the content tree and at a regular file; one
 * that points outside is refused with an error (never read).
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

struct fsctx { char *root; char *real; };

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct source_file *)a)->path, ((const struct source_file *)b)->path);
}

static int
inside(const char *real, const char *root)
{
	size_t n = strlen(root);
	return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* Walk root/rel with an explicit stack of directories still to read. */
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
		char *abs = xasprintf("%s/%s", c->root, rel);
		DIR *dir = opendir(abs);
		if (!dir) {
			if (errno != ENOENT && errno != ENOTDIR)
				diag_error(d, abs, 0, 0, "cannot read: %s", strerror(errno));
			free(abs);
			free(rel);
			continue;
		}
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char *crel = xasprintf("%s/%s", rel, e->d_name);
			char *cabs = xasprintf("%s/%s", abs, e->d_name);
			struct stat st;
			if (lstat(cabs, &st) != 0) {
				free(crel);
				free(cabs);
				continue;
			}
			if (S_ISLNK(st.st_mode)) {
				char *real = realpath(cabs, NULL);
				if (!real || !inside(real, c->real) || stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
					char *disp = source_display(s, crel);
					if (!real || !inside(real, c->real))
						diag_error(d, disp, 0, 0,
						    "symbolic link points outside the content tree; refused");
					free(disp);
					free(real);
					free(crel);
					free(cabs);
					continue;
				}
				free(real);
			}
			if (S_ISDIR(st.st_mode)) {
				todo = xrealloc(todo, (ntodo + 1) * sizeof *todo);
				todo[ntodo++] = crel;
			} else if (S_ISREG(st.st_mode)) {
				if (n == cap)
					files = xrealloc(files, (cap = cap ? cap * 2 : 64) * sizeof *files);
				files[n].path = crel;
				files[n++].size = (size_t)st.st_size;
			} else
				free(crel);
			free(cabs);
		}
		closedir(dir);
		free(abs);
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
	if (strstr(path, "..") || path[0] == '/')
		return -1;
	char *abs = xasprintf("%s/%s", c->root, path);
	int fd = open(abs, O_RDONLY | O_CLOEXEC);
	free(abs);
	if (fd < 0)
		return -1;
	struct buf b = {0};
	char chunk[65536];
	ssize_t r;
	while ((r = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)r);
	close(fd);
	if (r < 0) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*data = buf_steal(&b);
	return 0;
}

static void
fs_close(struct source *s)
{
	struct fsctx *c = s->ctx;
	free(c->root);
	free(c->real);
	free(c);
}

static const struct source_ops fs_ops = { fs_list, fs_read, fs_close };

struct source *
source_open_fs(const char *root)
{
	struct source *s = xcalloc(1, sizeof *s);
	struct fsctx *c = xcalloc(1, sizeof *c);
	c->root = xstrdup(root);
	c->real = realpath(root, NULL);
	if (!c->real)
		c->real = xstrdup(root);
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
