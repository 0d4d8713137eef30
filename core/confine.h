/*
 * confine.h — files beneath a directory, never outside it, never under
 * .git (confine.c). Used by the working-tree source and the plugin host.
 */
#ifndef CONFINE_H
#define CONFINE_H

#include <stddef.h>

/* Whether rel is a plain relative path: not absolute, no empty, "." or
 * ".." component, no component named .git (any case). */
int confine_path_ok(const char *rel);

/* Open rel beneath the directory rootfd with open(2) flags. follow: symbolic
 * links are resolved when they stay beneath rootfd; without it any link is
 * refused (ELOOP). Errors: EACCES for a refused path, EXDEV for a
 * resolution that leaves rootfd or passes through .git. */
int confine_open(int rootfd, const char *rel, int flags, int follow);

/* confine_open as done where the kernel has no openat2(2): the same rules
 * and errors, kept by hand (confine_open falls back to it by itself; this
 * name exists so that tests can run it on any kernel). */
int confine_open_compat(int rootfd, const char *rel, int flags, int follow);

/* f(fd, name, d_type, arg) for each entry of the open folder fd but "."
 * and ".."; d_type is DT_UNKNOWN when the file system does not say.
 * Read with getdents64, as readdir's fdopendir costs a stat and an fcntl
 * per folder. Entries may be removed as they come. 0, or -1 (errno) when
 * the folder could not be read to its end. */
int confine_each(int fd, void (*f)(int fd, const char *name, unsigned char type, void *arg), void *arg);

/* Read the regular file rel beneath rootfd, at most max bytes, into a
 * malloc'd, NUL-terminated buffer (*len excludes the NUL). 0 on success. */
int confine_read(int rootfd, const char *rel, size_t max, char **data, size_t *len);

/* The same, beneath the directory named root. */
int confine_read_path(const char *root, const char *rel, size_t max, char **data, size_t *len);

#endif
