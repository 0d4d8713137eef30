/*
 * history.h — git history of the content (SPEC §5), shared by history.c,
 * gitsource.c and the `history` command.
 */
#ifndef HISTORY_H
#define HISTORY_H
#include <git2.h>

/* Open the repository above dir (searching upward). *prefix is dir's path
 * inside the work tree ("" or "content" or "a/b"), malloc'd. 0 on success,
 * -1 when there is no repository, -2 when its object store is damaged in a
 * way libgit2 cannot survive (*damage says how, malloc'd; nothing open). */
int history_open_repo(const char *dir, git_repository **repo, char **prefix, char **damage);

/* gitcheck.c: 0 when every loose object under gitdir ("…/.git/") inflates
 * to a well-formed object and every pack ends as its index says; else -1
 * and the first bad object id or pack in *bad (malloc'd). */
int gitcheck_objects(const char *gitdir, char **bad);

/* `congkhai history` (history_cmd.c) */
int cmd_history(int argc, char **argv);

#endif
