/*
 * hcache.c — the history cache: what the revision walk learned about each
 * commit (its deltas under the content path) and the field-level changes
 * between two blobs, kept in SQLite at <git dir>/congkhai-cache.sqlite
 * (inside .git: never tracked, never in the output).
 *
 * Commit ids and blob ids name immutable content, so an entry is never
 * stale; the cache is still never trusted blindly: a file that cannot be
 * opened, has another schema version or fails a query is deleted and
 * rebuilt, and every failure falls back to computing without the cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "congkhai.h"
#include "hcache.h"

#define SCHEMA 5     /* bump when what is cached changes meaning */

struct hcache {
	sqlite3 *db;
	char *path;
	int broken;
	sqlite3_stmt *get_commit, *put_commit, *get_delta, *put_delta, *get_change, *put_change,
	    *get_pair, *put_pair, *get_state, *put_state;
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS commits(prefix TEXT, id TEXT, ndeltas INTEGER,"
	" PRIMARY KEY(prefix, id));"
	"CREATE TABLE IF NOT EXISTS deltas(prefix TEXT, id TEXT, seq INTEGER, status INTEGER,"
	" old_path TEXT, new_path TEXT, old_oid TEXT, new_oid TEXT, PRIMARY KEY(prefix, id, seq));"
	"CREATE TABLE IF NOT EXISTS pairs(old_oid TEXT, new_oid TEXT, nchanges INTEGER,"
	" PRIMARY KEY(old_oid, new_oid));"
	"CREATE TABLE IF NOT EXISTS changes(old_oid TEXT, new_oid TEXT, seq INTEGER, field TEXT,"
	" old TEXT, new TEXT, section TEXT, added TEXT, removed TEXT, text_changed INTEGER,"
	" PRIMARY KEY(old_oid, new_oid, seq));"
	"CREATE TABLE IF NOT EXISTS states(oid TEXT PRIMARY KEY, state INTEGER);";

static int
prepare_all(struct hcache *c)
{
	static const char *const sql[] = {
		"SELECT ndeltas FROM commits WHERE prefix=?1 AND id=?2",
		"INSERT OR REPLACE INTO commits VALUES(?1, ?2, ?3)",
		"SELECT status, old_path, new_path, old_oid, new_oid FROM deltas WHERE prefix=?1 AND id=?2 ORDER BY seq",
		"INSERT OR REPLACE INTO deltas VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		"SELECT field, old, new, section, added, removed, text_changed FROM changes WHERE old_oid=?1 AND new_oid=?2 ORDER BY seq",
		"INSERT OR REPLACE INTO changes VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
		"SELECT nchanges FROM pairs WHERE old_oid=?1 AND new_oid=?2",
		"INSERT OR REPLACE INTO pairs VALUES(?1, ?2, ?3)",
		"SELECT state FROM states WHERE oid=?1",
		"INSERT OR REPLACE INTO states VALUES(?1, ?2)",
	};
	sqlite3_stmt **st[] = { &c->get_commit, &c->put_commit, &c->get_delta, &c->put_delta,
		&c->get_change, &c->put_change, &c->get_pair, &c->put_pair, &c->get_state, &c->put_state };
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
		if (sqlite3_prepare_v2(c->db, sql[i], -1, st[i], NULL) != SQLITE_OK)
			return -1;
	return 0;
}

static void
finalize_all(struct hcache *c)
{
	sqlite3_stmt *st[] = { c->get_commit, c->put_commit, c->get_delta, c->put_delta,
		c->get_change, c->put_change, c->get_pair, c->put_pair, c->get_state, c->put_state };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		sqlite3_finalize(st[i]);
	c->get_commit = c->put_commit = c->get_delta = c->put_delta = NULL;
	c->get_change = c->put_change = c->get_pair = c->put_pair = NULL;
	c->get_state = c->put_state = NULL;
}

/* Open and check; 0 when usable. */
static int
try_open(struct hcache *c)
{
	if (sqlite3_open(c->path, &c->db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(c->db, 2000);
	sqlite3_stmt *v;
	int version = -1;
	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &v, NULL) == SQLITE_OK) {
		if (sqlite3_step(v) == SQLITE_ROW)
			version = sqlite3_column_int(v, 0);
		sqlite3_finalize(v);
	}
	if (version < 0)
		return -1;
	if (version != SCHEMA && version != 0)
		return -1;
	char *setv = xasprintf("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; %s PRAGMA user_version=%d;",
	    schema_sql, SCHEMA);
	int rc = sqlite3_exec(c->db, setv, NULL, NULL, NULL);
	free(setv);
	if (rc != SQLITE_OK || prepare_all(c) != 0)
		return -1;
	return sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void
remove_files(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < 4; i++) {
		char *p = xasprintf("%s%s", path, sfx[i]);
		unlink(p);
		free(p);
	}
}

struct hcache *
hcache_open(const char *gitdir)
{
	struct hcache *c = xcalloc(1, sizeof *c);
	c->path = xasprintf("%s%scongkhai-cache.sqlite", gitdir,
	    gitdir[strlen(gitdir) - 1] == '/' ? "" : "/");
	if (try_open(c) != 0) {
		/* corrupt, foreign or of another version: rebuild from nothing */
		finalize_all(c);
		sqlite3_close(c->db);
		c->db = NULL;
		remove_files(c->path);
		if (try_open(c) != 0) {
			finalize_all(c);
			sqlite3_close(c->db);
			c->db = NULL;
		}
	}
	return c;
}

int
hcache_usable(const struct hcache *c)
{
	return c && c->db && !c->broken;
}

/* A query failed: stop using the cache and delete it at close. */
static void
broke(struct hcache *c)
{
	c->broken = 1;
}

void
hcache_close(struct hcache *c)
{
	if (!c)
		return;
	if (c->db) {
		sqlite3_exec(c->db, c->broken ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
		finalize_all(c);
		sqlite3_close(c->db);
		if (c->broken)
			remove_files(c->path);
	}
	free(c->path);
	free(c);
}

static const char *
col(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t;
}

int
hcache_get_deltas(struct hcache *c, const char *prefix, const char *id,
    struct hdelta **out, size_t *n)
{
	if (!hcache_usable(c))
		return -1;
	sqlite3_stmt *g = c->get_commit;
	sqlite3_reset(g);
	sqlite3_bind_text(g, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(g, 2, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(g);
	if (rc == SQLITE_DONE)
		return -1;
	if (rc != SQLITE_ROW) {
		broke(c);
		return -1;
	}
	size_t want = (size_t)sqlite3_column_int(g, 0), k = 0;
	struct hdelta *d = xcalloc(want + 1, sizeof *d);
	sqlite3_stmt *q = c->get_delta;
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && k < want) {
		d[k].status = sqlite3_column_int(q, 0);
		d[k].old_path = col(q, 1) ? xstrdup(col(q, 1)) : NULL;
		d[k].new_path = col(q, 2) ? xstrdup(col(q, 2)) : NULL;
		snprintf(d[k].old_oid, sizeof d[k].old_oid, "%s", col(q, 3) ? col(q, 3) : "");
		snprintf(d[k].new_oid, sizeof d[k].new_oid, "%s", col(q, 4) ? col(q, 4) : "");
		k++;
	}
	if (k != want || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
		/* the rows do not match what the commit row promised: distrust */
		hdeltas_free(d, k);
		broke(c);
		return -1;
	}
	*out = d;
	*n = k;
	return 0;
}

void
hcache_put_deltas(struct hcache *c, const char *prefix, const char *id,
    const struct hdelta *d, size_t n)
{
	if (!hcache_usable(c))
		return;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *p = c->put_delta;
		sqlite3_reset(p);
		sqlite3_bind_text(p, 1, prefix, -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 2, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(p, 3, (int)i);
		sqlite3_bind_int(p, 4, d[i].status);
		sqlite3_bind_text(p, 5, d[i].old_path, -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 6, d[i].new_path, -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 7, d[i].old_oid, -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 8, d[i].new_oid, -1, SQLITE_STATIC);
		if (sqlite3_step(p) != SQLITE_DONE) {
			broke(c);
			return;
		}
	}
	sqlite3_stmt *p = c->put_commit;
	sqlite3_reset(p);
	sqlite3_bind_text(p, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(p, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(p, 3, (int)n);
	if (sqlite3_step(p) != SQLITE_DONE)
		broke(c);
}

/* Lists of items are stored one per line. */
static void
put_list(struct val *changes, const char *key, const char *joined)
{
	if (!joined || !*joined)
		return;
	struct val *l = val_append(changes);
	l->type = V_LIST;
	l->key = xstrdup(key);
	const char *p = joined;
	while (*p) {
		size_t n = strcspn(p, "\n");
		struct val *it = val_append(l);
		it->type = V_STR;
		it->str = xstrndup(p, n);
		p += n + (p[n] == '\n');
	}
}

int
hcache_get_changes(struct hcache *c, const char *old_oid, const char *new_oid, struct val *out)
{
	if (!hcache_usable(c))
		return -1;
	sqlite3_stmt *g = c->get_pair;
	sqlite3_reset(g);
	sqlite3_bind_text(g, 1, old_oid, -1, SQLITE_STATIC);
	sqlite3_bind_text(g, 2, new_oid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(g);
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			broke(c);
		return -1;
	}
	size_t want = (size_t)sqlite3_column_int(g, 0), k = 0;
	sqlite3_stmt *q = c->get_change;
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, old_oid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, new_oid, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct val *m = val_append(out);
		m->type = V_MAP;
		if (col(q, 0)) {
			val_set_str(m, "field", col(q, 0));
			if (col(q, 1))
				val_set_str(m, "old", col(q, 1));
			if (col(q, 2))
				val_set_str(m, "new", col(q, 2));
		} else {
			val_set_str(m, "section", col(q, 3) ? col(q, 3) : "");
			put_list(m, "added", col(q, 4));
			put_list(m, "removed", col(q, 5));
			if (sqlite3_column_int(q, 6)) {
				struct val *t = val_append(m);
				t->type = V_BOOL;
				t->num = 1;
				t->str = xstrdup("true");
				t->key = xstrdup("text_changed");
			}
		}
		k++;
	}
	if (k != want || rc != SQLITE_DONE) {
		val_clear(out);
		out->type = V_LIST;
		broke(c);
		return -1;
	}
	return 0;
}

static char *
join_items(const struct val *l)
{
	if (!l || l->type != V_LIST || l->n == 0)
		return NULL;
	struct buf b = {0};
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_putc(&b, '\n');
		buf_puts(&b, l->kids[i].str ? l->kids[i].str : "");
	}
	return buf_steal(&b);
}

void
hcache_put_changes(struct hcache *c, const char *old_oid, const char *new_oid, const struct val *changes)
{
	if (!hcache_usable(c))
		return;
	for (size_t i = 0; i < changes->n; i++) {
		const struct val *m = &changes->kids[i];
		sqlite3_stmt *p = c->put_change;
		char *added = join_items(val_get(m, "added")), *removed = join_items(val_get(m, "removed"));
		sqlite3_reset(p);
		sqlite3_bind_text(p, 1, old_oid, -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 2, new_oid, -1, SQLITE_STATIC);
		sqlite3_bind_int(p, 3, (int)i);
		sqlite3_bind_text(p, 4, val_str(m, "field"), -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 5, val_str(m, "old"), -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 6, val_str(m, "new"), -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 7, val_str(m, "section"), -1, SQLITE_STATIC);
		sqlite3_bind_text(p, 8, added, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(p, 9, removed, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(p, 10, val_get(m, "text_changed") != NULL);
		int rc = sqlite3_step(p);
		free(added);
		free(removed);
		if (rc != SQLITE_DONE) {
			broke(c);
			return;
		}
	}
	sqlite3_stmt *p = c->put_pair;
	sqlite3_reset(p);
	sqlite3_bind_text(p, 1, old_oid, -1, SQLITE_STATIC);
	sqlite3_bind_text(p, 2, new_oid, -1, SQLITE_STATIC);
	sqlite3_bind_int(p, 3, (int)changes->n);
	if (sqlite3_step(p) != SQLITE_DONE)
		broke(c);
}

void
hdeltas_free(struct hdelta *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].old_path);
		free(d[i].new_path);
	}
	free(d);
}

int
hcache_get_state(struct hcache *c, const char *oid)
{
	if (!hcache_usable(c))
		return -1;
	sqlite3_stmt *g = c->get_state;
	sqlite3_reset(g);
	sqlite3_bind_text(g, 1, oid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(g);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int(g, 0);
	if (rc != SQLITE_DONE)
		broke(c);
	return -1;
}

void
hcache_put_state(struct hcache *c, const char *oid, int state)
{
	if (!hcache_usable(c))
		return;
	sqlite3_stmt *p = c->put_state;
	sqlite3_reset(p);
	sqlite3_bind_text(p, 1, oid, -1, SQLITE_STATIC);
	sqlite3_bind_int(p, 2, state);
	if (sqlite3_step(p) != SQLITE_DONE)
		broke(c);
}
