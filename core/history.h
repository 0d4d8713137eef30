/*
 * history.h — git history of the content (SPEC §5), shared by history.c,
 * gitsource.c and the `history` command.
 */
#ifndef HISTORY_H
#define HISTORY_H
#include <git2.h>
struct site;

/* Open the repository above dir (searching upward). *prefix is dir's path
 * inside the work tree ("" or "content" or "a/b"), malloc'd. 0 on success.
 * Its damaged loose objects fail to read instead of hanging (gitcheck.c). */
int history_open_repo(const char *dir, git_repository **repo, char **prefix);

/* The commit spec (HEAD, a branch, an id, main~2 ...) names, peeled. Unlike
 * git_revparse_single on libgit2 1.5, leaks nothing when a ref points at a
 * missing object. 0 on success, else libgit2's error is set. */
int history_resolve(git_repository *repo, const char *spec, git_commit **out);

/* gitcheck.c: put the guard against damaged loose objects in repo's object
 * database (0 on success); how many reads it has refused so far (libgit2
 * may swallow the error), the last refused id in last; the first pack that
 * does not end as its index records (malloc'd; NULL when all are whole). */
int gitguard_install(git_repository *repo);
size_t gitguard_damaged(git_repository *repo, char last[GIT_OID_HEXSZ + 1]);
char *gitcheck_packs(git_repository *repo);

/* history_attach (congkhai.h), working out the field changes of entries
 * (the costly part: both versions parsed) only for the pages and deleted
 * procedures keep says yes to, given the code (NULL for a page that is no
 * procedure) and the path in the content directory; the others' entries
 * have no "changes". For showing a few pages, as `congkhai history` does. */
int history_attach_some(struct site *s, int (*keep)(const char *code, const char *path, void *arg), void *arg);

/* `congkhai history` (history_cmd.c) */
int cmd_history(int argc, char **argv);

#endif
