/*
 * hcache.c — the history cache: what the revision walk learned about each
 * commit (its deltas under the content path), what each blob is as a page
 * (published, draft, broken) and the field-level changes between two
 * blobs, kept in SQLite at <git dir>/congkhai-cache.sqlite (inside .git:
 * never tracked, never in the output).
 *
 * A commit's deltas are one row (a packed list), as are a pair's changes,
 * so a warm walk reads one row per commit and per change shown. The whole
 * run is one transaction: every write of a walk is committed at close.
 *
 * Commit ids and blob ids name immutable content, so an entry is never
 * stale; the cache is still never trusted blindly: a file that cannot be
 * opened, has another schema version or fails a query is deleted and
 * rebuilt, a row that does not decode to what the walk could have stored
 * (bounds, counts, statuses, ids) is distrusted the same way, and every
 * failure falls back to computing without the cache.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "congkhai.h"
#include "hcache.h"

#define SCHEMA 6     /* bump when what is cached changes meaning */

struct hcache {
	sqlite3 *db;
	char *path;
	int broken;
	sqlite3_stmt *get_commit, *put_commit, *get_pair, *put_pair, *get_state, *put_state;
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS commits(prefix TEXT, id TEXT, deltas BLOB,"
	" PRIMARY KEY(prefix, id));"
	"CREATE TABLE IF NOT EXISTS pairs(old_oid TEXT, new_oid TEXT, changes BLOB,"
	" PRIMARY KEY(old_oid, new_oid));"
	"CREATE TABLE IF NOT EXISTS states(oid TEXT PRIMARY KEY, state INTEGER) WITHOUT ROWID;";

static int
prepare_all(struct hcache *c)
{
	static const char *const sql[] = {
		"SELECT deltas FROM commits WHERE prefix=?1 AND id=?2",
		"INSERT OR REPLACE INTO commits VALUES(?1, ?2, ?3)",
		"SELECT changes FROM pairs WHERE old_oid=?1 AND new_oid=?2",
		"INSERT OR REPLACE INTO pairs VALUES(?1, ?2, ?3)",
		"SELECT state FROM states WHERE oid=?1",
		"INSERT OR REPLACE INTO states VALUES(?1, ?2)",
	};
	sqlite3_stmt **st[] = { &c->get_commit, &c->put_commit, &c->get_pair, &c->put_pair,
		&c->get_state, &c->put_state };
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
		if (sqlite3_prepare_v2(c->db, sql[i], -1, st[i], NULL) != SQLITE_OK)
			return -1;
	return 0;
}

static void
finalize_all(struct hcache *c)
{
	sqlite3_stmt **st[] = { &c->get_commit, &c->put_commit, &c->get_pair, &c->put_pair,
		&c->get_state, &c->put_state };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++) {
		sqlite3_finalize(*st[i]);
		*st[i] = NULL;
	}
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

/* A query failed or a row made no sense: stop using the cache and delete
 * it at close. */
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

/* ------------------------------------------------------- packed rows */

/* A row's value is a packed list: 32-bit little-endian counts and string
 * lengths (NO_STR for a NULL string) followed by the bytes. */
#define NO_STR 0xFFFFFFFFu

static void
put_u32(struct buf *b, uint32_t v)
{
	char x[4] = { (char)(v & 0xFF), (char)(v >> 8 & 0xFF), (char)(v >> 16 & 0xFF), (char)(v >> 24) };
	buf_add(b, x, 4);
}

static void
put_str(struct buf *b, const char *s)
{
	if (!s) {
		put_u32(b, NO_STR);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

/* A reader over a row: any read past its end, or a string with a NUL in
 * it, makes it bad (and every later read fails). */
struct rd { const unsigned char *p; size_t left; int bad; };

static uint32_t
get_u32(struct rd *r)
{
	if (r->bad || r->left < 4) {
		r->bad = 1;
		return 0;
	}
	uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	r->left -= 4;
	return v;
}

/* A malloc'd string, or NULL (a NULL string, or a bad row: see r->bad). */
static char *
get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	if (r->bad || n == NO_STR)
		return NULL;
	if (n > r->left || memchr(r->p, '\0', n)) {
		r->bad = 1;
		return NULL;
	}
	char *s = xstrndup((const char *)r->p, n);
	r->p += n;
	r->left -= n;
	return s;
}

/* Whether s is a full object id as git_oid_tostr writes it. */
static int
is_hex_id(const char *s)
{
	if (!s || strlen(s) != 40)
		return 0;
	return strspn(s, "0123456789abcdef") == 40;
}

static const unsigned char *
blob_col(sqlite3_stmt *s, int i, size_t *len)
{
	const unsigned char *p = sqlite3_column_blob(s, i);
	*len = (size_t)sqlite3_column_bytes(s, i);
	return p;
}

/* ------------------------------------------------------------ deltas */

static void
pack_deltas(struct buf *b, const struct hdelta *d, size_t n)
{
	put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		char st[2] = { (char)d[i].status, '\0' };
		put_str(b, st);
		put_str(b, d[i].old_path);
		put_str(b, d[i].new_path);
		put_str(b, d[i].old_oid);
		put_str(b, d[i].new_oid);
	}
}

/* One delta as commit_deltas (history.c) makes it: 0, or -1 when it is not. */
static int
unpack_delta(struct rd *r, struct hdelta *d)
{
	char *st = get_str(r), *oo = NULL, *no = NULL;
	d->old_path = get_str(r);
	d->new_path = get_str(r);
	oo = get_str(r);
	no = get_str(r);
	int ok = !r->bad && st && strlen(st) == 1 && strchr("ADMR", st[0]) &&
	    (st[0] == 'A') == !d->old_path && (st[0] == 'D') == !d->new_path &&
	    is_hex_id(oo) && is_hex_id(no);
	if (ok) {
		d->status = st[0];
		memcpy(d->old_oid, oo, 41);
		memcpy(d->new_oid, no, 41);
	}
	free(st);
	free(oo);
	free(no);
	return ok ? 0 : -1;
}

static int
unpack_deltas(struct rd *r, struct hdelta **out, size_t *count)
{
	uint32_t n = get_u32(r);
	if (r->bad || n > r->left / 20)                /* each delta takes 20 bytes at least */
		return -1;
	struct hdelta *d = xcalloc((size_t)n + 1, sizeof *d);
	size_t k = 0;
	for (; k < n; k++)
		if (unpack_delta(r, &d[k]) != 0) {
			k++;                                /* free its paths too */
			break;
		}
	if (k != n || r->bad || r->left != 0) {
		hdeltas_free(d, k);
		return -1;
	}
	*out = d;
	*count = n;
	return 0;
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
	size_t len;
	const unsigned char *p = rc == SQLITE_ROW ? blob_col(g, 0, &len) : NULL;
	struct rd r = { p, p ? len : 0, 0 };
	if (rc != SQLITE_ROW || !p || unpack_deltas(&r, out, n) != 0) {
		broke(c);                            /* the row is not what we stored */
		sqlite3_reset(g);
		return -1;
	}
	sqlite3_reset(g);
	return 0;
}

void
hcache_put_deltas(struct hcache *c, const char *prefix, const char *id,
    const struct hdelta *d, size_t n)
{
	if (!hcache_usable(c))
		return;
	struct buf b = {0};
	pack_deltas(&b, d, n);
	sqlite3_stmt *p = c->put_commit;
	sqlite3_reset(p);
	sqlite3_bind_text(p, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(p, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(p, 3, b.s ? b.s : "", (int)b.len, SQLITE_STATIC);
	if (sqlite3_step(p) != SQLITE_DONE)
		broke(c);
	sqlite3_reset(p);
	buf_free(&b);
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

/* ----------------------------------------------------------- changes */

/* A change list is a small value tree (history.c's diff_blobs: a list of
 * maps of strings, lists of strings and a flag), packed node by node. */
#define MAX_DEPTH 4

static void
pack_val(struct buf *b, const struct val *v)
{
	put_u32(b, (uint32_t)v->type);
	put_str(b, v->key);
	put_str(b, v->str);
	put_u32(b, (uint32_t)(v->num & 0xFFFFFFFF));
	put_u32(b, (uint32_t)((unsigned long long)v->num >> 32));
	put_u32(b, (uint32_t)v->n);
	for (size_t i = 0; i < v->n; i++)
		pack_val(b, &v->kids[i]);
}

/* Into v (zeroed): 0, or -1 on a bad row (v then holds what was read). */
static int
unpack_val(struct rd *r, struct val *v, int depth)
{
	uint32_t type = get_u32(r);
	v->type = type <= V_MAP ? (enum val_type)type : V_NULL;
	v->key = get_str(r);
	v->str = get_str(r);
	uint32_t lo = get_u32(r), hi = get_u32(r);
	v->num = (long long)((unsigned long long)hi << 32 | lo);
	uint32_t n = get_u32(r);
	if (r->bad || type > V_MAP || depth > MAX_DEPTH || (n && type != V_LIST && type != V_MAP) ||
	    n > r->left / 20)                          /* each node takes 20 bytes at least */
		return -1;
	for (uint32_t i = 0; i < n; i++)
		if (unpack_val(r, val_append(v), depth + 1) != 0)
			return -1;
	return 0;
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
	if (rc == SQLITE_DONE)
		return -1;
	size_t len;
	const unsigned char *p = rc == SQLITE_ROW ? blob_col(g, 0, &len) : NULL;
	struct rd r = { p, p ? len : 0, 0 };
	struct val got = {0};
	int ok = rc == SQLITE_ROW && p && unpack_val(&r, &got, 0) == 0 && r.left == 0 &&
	    got.type == V_LIST && !got.key;
	sqlite3_reset(g);
	if (!ok) {
		val_clear(&got);
		broke(c);
		return -1;
	}
	for (size_t i = 0; i < got.n; i++)          /* moved: got's kids are out's now */
		*val_append(out) = got.kids[i];
	free(got.kids);
	free(got.str);
	return 0;
}

void
hcache_put_changes(struct hcache *c, const char *old_oid, const char *new_oid, const struct val *changes)
{
	if (!hcache_usable(c))
		return;
	struct val list = { .type = V_LIST, .n = changes->n, .kids = changes->kids };
	struct buf b = {0};
	pack_val(&b, &list);
	sqlite3_stmt *p = c->put_pair;
	sqlite3_reset(p);
	sqlite3_bind_text(p, 1, old_oid, -1, SQLITE_STATIC);
	sqlite3_bind_text(p, 2, new_oid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(p, 3, b.s, (int)b.len, SQLITE_STATIC);
	if (sqlite3_step(p) != SQLITE_DONE)
		broke(c);
	sqlite3_reset(p);
	buf_free(&b);
}

/* ------------------------------------------------------------ states */

int
hcache_get_state(struct hcache *c, const char *oid)
{
	if (!hcache_usable(c))
		return -1;
	sqlite3_stmt *g = c->get_state;
	sqlite3_reset(g);
	sqlite3_bind_text(g, 1, oid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(g), st = -1;
	if (rc == SQLITE_ROW)
		st = sqlite3_column_int(g, 0);
	else if (rc != SQLITE_DONE)
		broke(c);
	sqlite3_reset(g);
	return st;
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
	sqlite3_reset(p);
}
