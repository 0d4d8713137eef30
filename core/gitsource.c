/*
 * gitsource.c — content read from a committed tree (build --rev REV):
 * a struct source whose files are the blobs under the content directory's
 * path in REV's tree. The working tree is never read. Owns its libgit2
 * repository and tree.
 */
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "congkhai.h"
#include "confine.h"
#include "history.h"

struct gitctx {
	git_repository *repo;
	git_tree *tree;          /* the content directory's tree in REV */
};

struct walk {
	struct source_file *files;
	size_t n, cap;
	const char *sub;
	size_t sublen;
	struct buf links;        /* symbolic links met, NUL-separated */
};

static int
collect(const char *root, const git_tree_entry *e, void *arg)
{
	struct walk *w = arg;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	const char *name = git_tree_entry_name(e);
	if (name[0] == '.')
		return 0;
	char *path = xasprintf("%s%s", root, name);
	if (strncmp(path, w->sub, w->sublen) != 0 || path[w->sublen] != '/' ||
	    strstr(path, "/.")) {
		free(path);
		return 0;
	}
	if (git_tree_entry_filemode(e) == GIT_FILEMODE_LINK) {   /* never read as content */
		buf_add(&w->links, path, strlen(path) + 1);
		free(path);
		return 0;
	}
	if (w->n == w->cap)
		w->files = xrealloc(w->files, (w->cap = w->cap ? w->cap * 2 : 64) * sizeof *w->files);
	w->files[w->n].path = path;
	w->files[w->n++].size = 0;
	return 0;
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct source_file *)a)->path, ((const struct source_file *)b)->path);
}

static int
git_list(struct source *s, const char *sub, struct source_file **out, size_t *n, struct diag *d)
{
	struct gitctx *c = s->ctx;
	struct walk w = { NULL, 0, 0, sub, strlen(sub), {0} };
	git_tree_walk(c->tree, GIT_TREEWALK_PRE, collect, &w);
	for (size_t at = 0; at < w.links.len; at += strlen(w.links.s + at) + 1) {
		char *disp = source_display(s, w.links.s + at);
		diag_error(d, disp, 0, 0, "symbolic link points outside the content tree; refused");
		free(disp);
	}
	buf_free(&w.links);
	for (size_t i = 0; i < w.n; i++) {
		git_tree_entry *e;
		if (git_tree_entry_bypath(&e, c->tree, w.files[i].path) == 0) {
			git_blob *b;
			if (git_blob_lookup(&b, c->repo, git_tree_entry_id(e)) == 0) {
				w.files[i].size = (size_t)git_blob_rawsize(b);
				git_blob_free(b);
			}
			git_tree_entry_free(e);
		}
	}
	if (w.n)
		qsort(w.files, w.n, sizeof *w.files, cmp_file);
	*out = w.files;
	*n = w.n;
	return 0;
}

static int
git_read(struct source *s, const char *path, char **data, size_t *len)
{
	struct gitctx *c = s->ctx;
	git_tree_entry *e;
	if (!confine_path_ok(path) || git_tree_entry_bypath(&e, c->tree, path) != 0)
		return -1;
	int rc = -1;
	git_blob *b;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && git_tree_entry_filemode(e) != GIT_FILEMODE_LINK &&
	    git_blob_lookup(&b, c->repo, git_tree_entry_id(e)) == 0) {
		*len = (size_t)git_blob_rawsize(b);
		*data = xmalloc(*len + 1);        /* the whole blob: a NUL inside is content's problem */
		memcpy(*data, git_blob_rawcontent(b), *len);
		(*data)[*len] = '\0';
		git_blob_free(b);
		rc = 0;
	}
	git_tree_entry_free(e);
	return rc;
}

static void
git_close(struct source *s)
{
	struct gitctx *c = s->ctx;
	git_tree_free(c->tree);
	git_repository_free(c->repo);
	free(c);
	git_libgit2_shutdown();
}

static const struct source_ops git_ops = { git_list, git_read, git_close };

struct source *
source_open_git(const char *root, const char *rev, struct diag *d)
{
	git_libgit2_init();
	git_repository *repo = NULL;
	char *prefix = NULL;
	if (history_open_repo(root, &repo, &prefix) != 0) {
		diag_error(d, root, 0, 0, "%s", tr("--rev needs a git repository above the content directory"));
		git_libgit2_shutdown();
		return NULL;
	}
	git_commit *commit = NULL;
	git_tree *top = NULL, *tree = NULL;
	int ok = history_resolve(repo, rev, &commit) == 0 && git_commit_tree(&top, commit) == 0;
	if (!ok) {
		diag_error(d, root, 0, 0, tr("unknown revision '%s'"), rev);
	} else if (*prefix) {
		git_tree_entry *e;
		if (git_tree_entry_bypath(&e, top, prefix) == 0) {
			git_tree_lookup(&tree, repo, git_tree_entry_id(e));
			git_tree_entry_free(e);
		}
		if (!tree)
			diag_error(d, root, 0, 0, tr("the content directory is not in revision '%s'"), rev);
	} else {
		git_tree_dup(&tree, top);
	}
	git_tree_free(top);
	git_commit_free(commit);
	free(prefix);
	if (!tree) {
		git_repository_free(repo);
		git_libgit2_shutdown();
		return NULL;
	}
	struct gitctx *c = xcalloc(1, sizeof *c);
	c->repo = repo;
	c->tree = tree;
	struct source *s = xcalloc(1, sizeof *s);
	s->ops = &git_ops;
	s->ctx = c;
	s->root = xstrdup(root);
	return s;
}
