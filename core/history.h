/*
 * history.h — git history of the content (SPEC §5), shared by history.c,
 * gitsource.c and the `history` command.
 */
#ifndef HISTORY_H
#define HISTORY_H
#include <git2.h>

/* Open the repository above dir (searching upward). *prefix is dir's path
 * inside the work tree ("" or "content" or "a/b"), malloc'd. 0 on success. */
int history_open_repo(const char *dir, git_repository **repo, char **prefix);

/* `congkhai history` (history_cmd.c) */
int cmd_history(int argc, char **argv);

#endif
