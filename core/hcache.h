/*
 * hcache.h — the SQLite cache of the history walk (hcache.c).
 */
#ifndef HCACHE_H
#define HCACHE_H
#include <stddef.h>
#include "congkhai.h"

/* One file change of a commit, paths relative to the content directory. */
struct hdelta {
	int status;              /* 'A' added, 'D' deleted, 'M' modified, 'R' renamed */
	char *old_path, *new_path;
	char old_oid[41], new_oid[41];
};

struct hcache;
struct hcache *hcache_open(const char *gitdir);      /* never NULL; may be unusable */
int  hcache_usable(const struct hcache *c);
void hcache_close(struct hcache *c);
/* 0 and the deltas when commit id was seen with this prefix; -1 otherwise. */
int  hcache_get_deltas(struct hcache *c, const char *prefix, const char *id, struct hdelta **d, size_t *n);
void hcache_put_deltas(struct hcache *c, const char *prefix, const char *id, const struct hdelta *d, size_t n);
/* Field-level changes between two blobs: appended to out (a V_LIST). */
int  hcache_get_changes(struct hcache *c, const char *old_oid, const char *new_oid, struct val *out);
void hcache_put_changes(struct hcache *c, const char *old_oid, const char *new_oid, const struct val *changes);
void hdeltas_free(struct hdelta *d, size_t n);
/* What a blob is as a page (history.c's BLOB_* values), or -1 if unknown. */
int  hcache_get_state(struct hcache *c, const char *oid);
void hcache_put_state(struct hcache *c, const char *oid, int state);

#endif
