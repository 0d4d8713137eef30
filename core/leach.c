/*
 * leach.c — site:each(list, fn): fn(item, i) for every item of a list, in
 * up to -j processes at once (docs/plugins.md).
 *
 * A Lua state runs on one core, and rendering one page per procedure is
 * most of a build. site:each cuts the list into as many runs of
 * consecutive items as there are workers: this process does the first
 * run while forked children do the others. A child writes its files
 * straight into the tree being built, keeps its diagnostics in a log
 * (diag.c) instead of printing them, and when its run is done sends
 * through a pipe what fn returned for each item, the paths it wrote, the
 * log and how it ended, then _exits. The parent takes the children's
 * reports in run order, so messages come out in the order one process
 * would have said them, and the call returns the list of what fn returned
 * (a string, or nil). What fn changes in Lua values is not seen after the
 * call: a child's state is thrown away with it. What items add to a file
 * with site:append goes to spool files, one per child and file, which
 * the parent adds to the file in run order (the appends section).
 *
 * The guarantees hold whatever -j is: output and messages are the same
 * (tests/e2e/each.sh). Two items writing the same file would make the
 * output depend on timing, so that is an error in every mode. A Lua error
 * or a budget stop in a run ends the call with the earliest run's error,
 * the other children killed (the build then fails; files the killed runs
 * wrote are left to the temporary tree). A child's hook deadline is what
 * was left of its parent's, on its own CPU clock, with its own timer
 * (lhost_time: a fork does not keep one); RLIMIT_CPU ends a child stuck
 * in one C call, as the watchdog (host.c) ends the parent, and a child
 * dies with its parent (PR_SET_PDEATHSIG). Runs of
 * fewer than EACH_MIN items, a call inside a worker and a nested call are
 * done in place.
 *
 * With a key function and a build that keeps a memo (memo.c), each item's
 * key is hashed with where fn is and what every key depends on; when the
 * last build kept that key, the item is replayed (its files carried over
 * from the site being replaced while they are still the files it wrote,
 * its messages said, its result handed back) instead of running fn, and
 * what an item that did run did is kept for the next build.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <limits.h>
#include <lz4.h>
#include <nettle/sha2.h>
#include "lhost.h"
#include "memo.h"

#define EACH_MIN     8      /* items a worker gets at least */
#define EACH_MAX     64     /* workers at most */

void
leach_wrote(struct lhost *h, const char *rel)
{
	if (!h->wrote)
		return;
	buf_printf(h->wrote, "%lld", (long long)h->item);     /* "item\0path\0" */
	buf_putc(h->wrote, '\0');
	buf_add(h->wrote, rel, strlen(rel) + 1);
}

/* A call that keeps a memo: the start of every key of it (memo_key,
 * then fn's place in its source), and the as-of day, which a value of an
 * item that read site.asof holds. */
struct keyed_call { struct sha256_ctx key; char day[11]; };

/* Items lo..hi of a call. Stack of run_items, as of leach_site_each:
 * this record at 1 (light userdata), the list at 2, fn at 3, key at 4
 * (nil or a function), the results at 5. call: NULL when the call keeps
 * no memo; cap: what the item running appended, when it is kept. */
struct run_of { struct lhost *h; lua_Integer lo, hi; const struct keyed_call *call; struct buf cap; };

/* ------------------------------------------------------------ encoding: reports and memo values */

static void
put_u64(struct buf *b, uint64_t v)
{
	buf_add(b, (const char *)&v, sizeof v);
}

static void
put_bytes(struct buf *b, const char *s, size_t n)
{
	put_u64(b, n);
	buf_add(b, s, n);
}

struct rd { const char *p, *end; int bad; };

static uint64_t
get_u64(struct rd *r)
{
	uint64_t v = 0;
	if ((size_t)(r->end - r->p) < sizeof v) {
		r->bad = 1;
		return 0;
	}
	memcpy(&v, r->p, sizeof v);
	r->p += sizeof v;
	return v;
}

/* The next string, or NULL: nil (its length UINT64_MAX) or, with
 * r->bad set, a report cut short. */
static const char *
get_bytes(struct rd *r, size_t *n)
{
	uint64_t len = get_u64(r);
	*n = 0;
	if (len == UINT64_MAX)
		return NULL;
	*n = (size_t)len;
	if (r->bad || (size_t)(r->end - r->p) < *n) {
		r->bad = 1;
		return NULL;
	}
	const char *s = r->p;
	r->p += *n;
	return s;
}

/* ------------------------------------------------------------ appends */

/* What site:append adds during a call, in item order whatever -j is. The
 * process of the first run adds to the files themselves (its items come
 * first); a worker adds to spool files of its own at the top of the tree
 * being built (SPOOL_NAME, its pid and a number), which the parent adds
 * to the files as it takes the workers' reports, in run order, and
 * removes. Bytes are held up to SPOOL_HOLD, so that an item's record is
 * not a write of its own. */
#define SPOOL_HOLD 65536
#define SPOOL_NAME ".congkhai-each-"
struct spooled { char *rel, *to; struct buf held; int made; };
struct spool { struct spooled *v; size_t n; unsigned named; };  /* named: spool files named */

/* Push "site:append: err" and free err; LUA_ERRRUN. */
static int
append_failed(lua_State *L, char *err)
{
	lua_pushfstring(L, "site:append: %s", err);
	free(err);
	return LUA_ERRRUN;
}

static int
spool_flush(struct site *s, struct spooled *e, char **err)
{
	int rc = e->held.len || !e->made ? output_append(s, e->to, e->held.s ? e->held.s : "", e->held.len, err) : 0;
	e->held.len = 0;
	e->made = 1;
	return rc;
}

static int
spool_flush_all(struct site *s, struct spool *sp, char **err)
{
	for (size_t i = 0; sp && i < sp->n; i++)
		if (spool_flush(s, &sp->v[i], err) != 0)
			return -1;
	return 0;
}

static void
spool_free(struct spool *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		free(sp->v[i].rel);
		free(sp->v[i].to);
		buf_free(&sp->v[i].held);
	}
	free(sp->v);
}

/* Remove the spool files a failed call left (its workers killed before
 * their reports were taken). */
static void
spool_sweep(struct site *s)
{
	DIR *d = s && s->out_tmp ? opendir(s->out_tmp) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strncmp(e->d_name, SPOOL_NAME, strlen(SPOOL_NAME)) == 0)
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
}

/* The spool's entry for rel, made when there is none: appending to rel
 * itself in the parent, to a spool file of its own in a worker. */
static struct spooled *
spooled_of(struct lhost *h, const char *rel)
{
	struct spool *sp = h->spool;
	for (size_t i = 0; i < sp->n; i++)
		if (strcmp(sp->v[i].rel, rel) == 0)
			return &sp->v[i];
	sp->v = xrealloc(sp->v, (sp->n + 1) * sizeof *sp->v);
	struct spooled *e = &sp->v[sp->n++];
	*e = (struct spooled){ xstrdup(rel), h->worker ? xasprintf(SPOOL_NAME "%ld-%u", (long)getpid(),
	    sp->named++) : xstrdup(rel), {0}, 0 };
	return e;
}

int
leach_append(struct lhost *h, const char *rel, const char *data, size_t len, char **err)
{
	struct spool *sp = h->spool;
	*err = NULL;
	if (!output_safe_relpath(rel)) {
		*err = xasprintf("unsafe output path '%s'", rel);
		return -1;
	}
	if (h->appended) {                    /* "rel\0", the length, the bytes */
		buf_add(h->appended, rel, strlen(rel) + 1);
		put_bytes(h->appended, data, len);
	}
	if (!sp)
		return output_append(h->site, rel, data, len, err);
	struct spooled *e = spooled_of(h, rel);
	buf_add(&e->held, data, len);
	return e->held.len >= SPOOL_HOLD ? spool_flush(h->site, e, err) : 0;
}

/* ------------------------------------------------------------ the memo */

/* A value of the memo (memo.c keeps it, this file makes it): the as-of
 * day when the item read site.asof (then the value holds for that day
 * only; nil when it did not: a new day leaves it as it is), the result
 * (RES_NONE; RES_PLAIN and the string; or RES_LZ4, its length and the
 * string LZ4-compressed, so that results as large as a page keep the
 * record small), the diagnostics log, the files written,
 * each its path and the stat it had when written (device, inode, size,
 * mtime), so that a later build can tell it is still that file, and what
 * it appended (site:append: its parts as h->appended gathers them, packed
 * as a result is). */

enum { RES_NONE, RES_PLAIN, RES_LZ4 };
#define PACK_AT 512     /* bytes of a result from which it is compressed */

static void
put_result(struct buf *v, const char *res, size_t n)
{
	if (!res) {
		put_u64(v, RES_NONE);
		return;
	}
	int bound = n >= PACK_AT && n <= LZ4_MAX_INPUT_SIZE ? LZ4_compressBound((int)n) : 0;
	if (bound > 0) {
		put_u64(v, RES_LZ4);
		put_u64(v, n);
		size_t at = v->len;
		put_u64(v, 0);
		buf_reserve(v, (size_t)bound);
		int k = LZ4_compress_default(res, v->s + v->len, (int)n, bound);
		if (k > 0 && (size_t)k < n) {
			uint64_t kk = (uint64_t)k;
			memcpy(v->s + at, &kk, sizeof kk);
			v->len += (size_t)k;
			v->s[v->len] = '\0';
			return;
		}
		v->len = at - 2 * sizeof(uint64_t);   /* did not shrink: kept plain */
	}
	put_u64(v, RES_PLAIN);
	put_bytes(v, res, n);
}

/* A result as put_result put it: RES_NONE and NULL; RES_PLAIN and its
 * bytes; RES_LZ4 and its packed bytes, *size its length unpacked. NULL
 * with r->bad or -1 when it does not decode. */
static const char *
get_result(struct rd *r, int *how, size_t *n, size_t *size)
{
	uint64_t h = get_u64(r), sz = 0;
	*how = -1;
	*n = 0;
	if (r->bad || h > RES_LZ4)
		return NULL;
	*how = (int)h;
	if (h == RES_NONE)
		return NULL;
	if (h == RES_LZ4)
		sz = get_u64(r);
	const char *s = get_bytes(r, n);
	if (!s || sz > LZ4_MAX_INPUT_SIZE || *n > INT_MAX)
		*how = -1;
	*size = (size_t)sz;
	return s;
}

/* Push the result a value holds (nil for RES_NONE); -1, nothing pushed,
 * when it does not decode. */
static int
push_result(lua_State *L, struct rd *r)
{
	int how;
	size_t n, size;
	const char *s = get_result(r, &how, &n, &size);
	if (how == RES_NONE) {
		lua_pushnil(L);
		return 0;
	}
	if (how == RES_PLAIN) {
		lua_pushlstring(L, s, n);
		return 0;
	}
	if (how != RES_LZ4)
		return -1;
	luaL_Buffer b;
	char *dst = luaL_buffinitsize(L, &b, size);
	if (LZ4_decompress_safe(s, dst, (int)n, (int)size) != (int)size) {
		lua_pop(L, 1);            /* the buffer's slot (luaL_buffinitsize pushes one) */
		return -1;
	}
	luaL_pushresultsize(&b, size);
	return 0;
}

/* Add the bytes a value holds as put_result put them (not nil) to out;
 * -1 when they do not decode. */
static int
get_packed(struct rd *r, struct buf *out)
{
	int how;
	size_t n, size;
	const char *s = get_result(r, &how, &n, &size);
	if (how == RES_PLAIN) {
		buf_add(out, s, n);
		return 0;
	}
	if (how != RES_LZ4)
		return -1;
	buf_reserve(out, size);
	if (LZ4_decompress_safe(s, out->s + out->len, (int)n, (int)size) != (int)size)
		return -1;
	out->len += size;
	out->s[out->len] = '\0';
	return 0;
}

/* The next of the parts apps holds ("rel\0", the length, the bytes, as
 * h->appended gathers them): 1 and *rel, *data, *n; 0 at the end; -1 when
 * they do not decode. */
static int
next_part(struct rd *a, const char **rel, const char **data, size_t *n)
{
	if (a->p >= a->end)
		return 0;
	const char *nul = memchr(a->p, '\0', (size_t)(a->end - a->p));
	if (!nul || !output_safe_relpath(a->p))
		return -1;
	*rel = a->p;
	a->p = nul + 1;
	*data = get_bytes(a, n);
	return *data ? 1 : -1;
}

/* 0 when every part apps holds decodes. */
static int
parts_ok(const struct buf *apps)
{
	struct rd a = { apps->s, apps->s + apps->len, 0 };
	const char *rel, *data;
	size_t n;
	int k;
	while ((k = next_part(&a, &rel, &data, &n)) == 1)
		;
	return k;
}

/* Append the parts apps holds (parts_ok) again; a failure raises. */
static void
reappend(lua_State *L, struct lhost *h, const struct buf *apps)
{
	struct rd a = { apps->s, apps->s + apps->len, 0 };
	const char *rel, *data;
	size_t n;
	char *err;
	while (next_part(&a, &rel, &data, &n) == 1)
		if (leach_append(h, rel, data, n, &err) != 0) {
			append_failed(L, err);
			lua_error(L);
		}
}

/* Item i again as the last build did it, on the call's day: its files
 * carried over from the site being replaced, its messages said, what it
 * appended appended, its result into results[i]. 0 when done; -1 when the
 * entry does not fit (a file changed, or it does not decode): then
 * nothing was said or appended, and fn runs. Stack as run_items'. */
static int
replay(lua_State *L, struct run_of *sp, const char *val, size_t len, lua_Integer i)
{
	struct lhost *h = sp->h;
	struct site *s = h->site;
	const char *today = sp->call->day;
	struct rd r = { val, val + len, 0 };
	size_t n;
	const char *day = get_bytes(&r, &n);
	if (r.bad || (day && (n != strlen(today) || memcmp(day, today, n) != 0)))
		return -1;
	if (push_result(L, &r) != 0)
		return -1;
	size_t nlog = 0;
	const char *log = get_bytes(&r, &nlog);
	uint64_t nf = get_u64(&r);
	if (r.bad || !log || nf > len)
		goto unfit;
	for (uint64_t f = 0; f < nf; f++) {
		const char *rel = get_bytes(&r, &n);
		struct stat st;
		memset(&st, 0, sizeof st);
		st.st_dev = (dev_t)get_u64(&r);
		st.st_ino = (ino_t)get_u64(&r);
		st.st_size = (off_t)get_u64(&r);
		st.st_mtim.tv_sec = (time_t)get_u64(&r);
		st.st_mtim.tv_nsec = (long)get_u64(&r);
		if (r.bad || !rel || n == 0 || memchr(rel, '\0', n) != rel + n - 1 ||
		    output_carry_file(s, rel, &st) != 0)
			goto unfit;
		leach_wrote(h, rel);
	}
	struct buf *apps = &sp->cap;          /* decoded first: nothing is appended twice */
	apps->len = 0;
	if (get_packed(&r, apps) != 0 || parts_ok(apps) != 0 || r.p != r.end ||
	    diag_absorb(&s->diag, log, nlog) != 0)
		goto unfit;
	reappend(L, h, apps);
	lua_rawseti(L, 5, i);
	return 0;
unfit:
	lua_pop(L, 1);                        /* the result */
	return -1;
}

/* Keep what item i did (fn returned what is on top; its messages are the
 * log past log_at, its files the paths past wrote_at, what it appended
 * in apps; day: the as-of day when it read site.asof, else NULL) under
 * key. */
static void
record(lua_State *L, struct lhost *h, const unsigned char *key, size_t log_at, size_t wrote_at,
    const struct buf *apps, const char *day)
{
	struct site *s = h->site;
	struct buf v = {0}, seen = {0};
	size_t n = 0;
	if (day)
		put_bytes(&v, day, strlen(day));
	else
		put_u64(&v, UINT64_MAX);
	const char *res = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) : NULL;
	put_result(&v, res, n);
	put_bytes(&v, s->diag.log->s ? s->diag.log->s + log_at : "", s->diag.log->len - log_at);
	size_t count = 0;
	struct buf files = {0};
	int ok = 1;
	for (const char *p = h->wrote->s ? h->wrote->s + wrote_at : NULL, *end = h->wrote->s + h->wrote->len;
	    ok && p && p < end;) {
		const char *rel = p + strlen(p) + 1;      /* "item\0path\0" */
		p = rel + strlen(rel) + 1;
		int dup = 0;                               /* a path written twice is carried once */
		for (const char *q = seen.s; q && q < seen.s + seen.len; q += strlen(q) + 1)
			dup |= strcmp(q, rel) == 0;
		if (dup)
			continue;
		buf_add(&seen, rel, strlen(rel) + 1);
		struct stat st;
		ok = output_stat(s, rel, &st) == 0;
		put_bytes(&files, rel, strlen(rel) + 1);
		put_u64(&files, (uint64_t)st.st_dev);
		put_u64(&files, (uint64_t)st.st_ino);
		put_u64(&files, (uint64_t)st.st_size);
		put_u64(&files, (uint64_t)st.st_mtim.tv_sec);
		put_u64(&files, (uint64_t)st.st_mtim.tv_nsec);
		count++;
	}
	put_u64(&v, count);
	buf_add(&v, files.s ? files.s : "", files.len);
	put_result(&v, apps->s ? apps->s : "", apps->len);
	if (ok)
		memo_put(s->memo, key, v.s, v.len);
	buf_free(&v);
	buf_free(&files);
	buf_free(&seen);
}

/* Push f(list[i], i), f the function at idx (fn or key); what it returns
 * must be a string or nil, else an error naming what (stack as run_items'). */
static int
call_item(lua_State *L, int idx, lua_Integer i, const char *what)
{
	lua_pushvalue(L, idx);
	lua_rawgeti(L, 2, i);
	lua_pushinteger(L, i);
	lua_call(L, 2, 1);
	int t = lua_type(L, -1);
	if (t != LUA_TSTRING && t != LUA_TNIL)
		return luaL_error(L, "site:each: %s returned a %s for item %I; it may "
		    "return a string or nothing", what, luaL_typename(L, -1), (LUAI_UACINT)i);
	return t;
}

/* The key of item i (key(item, i)'s string, hashed after sp->call), or 0
 * when it has none: key returned nil. */
static int
item_key(lua_State *L, const struct run_of *sp, lua_Integer i, unsigned char out[MEMO_KEY])
{
	if (call_item(L, 4, i, "the key function") == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	size_t n;
	const char *k = lua_tolstring(L, -1, &n);
	struct sha256_ctx c = sp->call->key;
	sha256_update(&c, n, (const uint8_t *)k);
	sha256_digest(&c, MEMO_KEY, out);
	lua_pop(L, 1);
	return 1;
}

/* fn(list[i], i) for i in lo..hi, what it returns into results[i]; the
 * list is read raw, so that no metamethod runs outside fn. With a memo,
 * an item whose key the last build kept is replayed instead. */
static int
run_items(lua_State *L)
{
	struct run_of *sp = lua_touserdata(L, 1);
	struct lhost *h = sp->h;
	struct site *s = h->site;
	for (lua_Integer i = sp->lo; i <= sp->hi; i++) {
		h->item = i;
		unsigned char key[MEMO_KEY];
		int keyed = sp->call && item_key(L, sp, i, key);
		size_t vlen;
		const char *val = keyed ? memo_get(s->memo, key, &vlen) : NULL;
		if (val && replay(L, sp, val, vlen, i) == 0) {
			memo_put(s->memo, key, val, vlen);
			continue;
		}
		size_t log_at = keyed ? s->diag.log->len : 0, wrote_at = keyed ? h->wrote->len : 0;
		unsigned long reads = h->asof_reads;
		if (keyed) {
			sp->cap.len = 0;
			h->appended = &sp->cap;
		}
		call_item(L, 3, i, "the function");
		if (keyed) {
			h->appended = NULL;
			record(L, h, key, log_at, wrote_at, &sp->cap, h->asof_reads != reads ? sp->call->day : NULL);
		}
		lua_rawseti(L, 5, i);
	}
	return 0;
}

/* f(record, list, fn, key, results) in protection: nothing it raises,
 * fn's errors included, escapes before the children are seen to. A
 * lua_pcall status; on failure the error value is on top. Stack: the
 * list, fn, key and results at 2, 3, 4 and 5. */
static int
protect(lua_State *L, lua_CFunction f, void *rec)
{
	lua_pushcfunction(L, f);
	lua_pushlightuserdata(L, rec);
	for (int k = 2; k <= 5; k++)
		lua_pushvalue(L, k);
	return lua_pcall(L, 5, 0, 0);
}

static int
run(lua_State *L, struct lhost *h, lua_Integer lo, lua_Integer hi, const struct keyed_call *call)
{
	struct run_of sp = { h, lo, hi, call, {0} };
	struct buf *outer = h->appended;      /* a nested call's: the outer item's */
	int rc = protect(L, run_items, &sp);
	h->appended = outer;
	buf_free(&sp.cap);
	return rc;
}

/* Write p[0..n) to the parent's pipe, or end the worker. */
static void
send_all(int fd, const char *p, size_t n)
{
	if (write_full(fd, p, n) != 0)
		_exit(EXIT_INTERNAL);
}

/* A child's run: its report is, in order, the results of items lo..hi
 * (a length of UINT64_MAX for nil), the paths written, the paths
 * appended to with their spool files ("rel\0spool\0"...), the
 * diagnostics log, the memo's entries it put, the status (0 done, 1 a Lua
 * error, 2 a stop) with h->stopped, and the error's text. Never returns. */
static void
child(lua_State *L, struct lhost *h, struct run_of sp, int fd, double forked, pid_t parent)
{
	lua_Integer lo = sp.lo, hi = sp.hi;
	prctl(PR_SET_PDEATHSIG, SIGKILL);          /* a parent that is gone takes us along */
	if (getppid() != parent)
		_exit(EXIT_INTERNAL);
	struct buf log = {0}, scratch = {0}, wrote = {0}, rep = {0};
	struct diag *d = &h->site->diag;
	d->log = &log;
	d->capture = &scratch;
	d->json = NULL;
	h->worker = 1;
	h->wrote = &wrote;
	h->deadline += lhost_clock() - forked;     /* this clock began at the fork */
	lhost_time(h);
	double left = h->deadline - lhost_clock();
	struct rlimit rl;
	rl.rlim_cur = (rlim_t)(2 * (left > 0 ? left : 0) + LHOST_GRACE) + 1;
	rl.rlim_max = rl.rlim_cur + 1;
	setrlimit(RLIMIT_CPU, &rl);
	struct memo *m = h->site ? h->site->memo : NULL;
	if (m)
		memo_child(m);
	int rc = protect(L, run_items, &sp);
	char *err = NULL;
	if (rc == LUA_OK && spool_flush_all(h->site, h->spool, &err) != 0)
		rc = append_failed(L, err);
	lua_Integer done = rc == LUA_OK ? hi : h->item - 1;
	put_u64(&rep, (uint64_t)(done - lo + 1));
	for (lua_Integer i = lo; i <= done; i++) {
		size_t n;
		lua_rawgeti(L, 5, i);
		const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) : NULL;
		if (s)
			put_bytes(&rep, s, n);
		else
			put_u64(&rep, UINT64_MAX);
		lua_pop(L, 1);
	}
	put_bytes(&rep, wrote.s ? wrote.s : "", wrote.len);
	struct buf spools = {0};
	for (size_t k = 0; rc == LUA_OK && h->spool && k < h->spool->n; k++) {
		buf_add(&spools, h->spool->v[k].rel, strlen(h->spool->v[k].rel) + 1);
		buf_add(&spools, h->spool->v[k].to, strlen(h->spool->v[k].to) + 1);
	}
	put_bytes(&rep, spools.s ? spools.s : "", spools.len);
	put_bytes(&rep, log.s ? log.s : "", log.len);
	size_t nm = 0;
	const char *fresh = m ? memo_taken(m, &nm) : "";
	put_u64(&rep, nm);            /* put_bytes, its bytes sent from the memo itself: a */
	send_all(fd, rep.s, rep.len); /* full build's share is ~25 MB, not to be held twice */
	send_all(fd, fresh, nm);
	rep.len = 0;
	put_u64(&rep, rc == LUA_OK ? 0 : h->stopped ? 2 : 1);
	put_u64(&rep, (uint64_t)h->stopped);
	size_t n = 0;
	const char *msg = rc == LUA_OK ? "" : lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) :
	    "(error object is not a string)";     /* as lua.c says it */
	put_bytes(&rep, msg, n ? n : strlen(msg));
	send_all(fd, rep.s, rep.len);
	_exit(0);
}

static char *
read_all(int fd, size_t *len)
{
	struct buf b = {0};
	char chunk[65536];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf_add(&b, chunk, (size_t)r);
	}
	*len = b.len;
	return b.s ? buf_steal(&b) : xstrdup("");
}

struct worker { pid_t pid; int fd; lua_Integer lo, hi; };

static void
kill_all(struct worker *w, int from, int n)
{
	for (int k = from; k < n; k++) {
		kill(w[k].pid, SIGKILL);
		close(w[k].fd);
	}
	for (int k = from; k < n; k++)
		while (waitpid(w[k].pid, NULL, 0) < 0 && errno == EINTR)
			;
}

/* Take child w's report: its results into out, its paths and log here.
 * LUA_OK, or a status with the error on top, or none when h->stopped is
 * set (as the child's). Stack as run_items'. */
static int
absorb(lua_State *L, struct lhost *h, struct worker *w)
{
	size_t len;
	char *rep = read_all(w->fd, &len);
	close(w->fd);
	int st = 0;
	while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
		;
	struct rd r = { rep, rep + len, 0 };
	uint64_t count = get_u64(&r);
	if (!r.bad && count > (uint64_t)(w->hi - w->lo + 1))
		r.bad = 1;
	for (uint64_t i = 0; !r.bad && i < count; i++) {
		size_t n;
		const char *s = get_bytes(&r, &n);
		if (s) {
			lua_pushlstring(L, s, n);
			lua_rawseti(L, 5, w->lo + (lua_Integer)i);
		}
	}
	size_t nw, na, nl, nf, nm;
	const char *wrote = get_bytes(&r, &nw), *spools = get_bytes(&r, &na);
	const char *log = get_bytes(&r, &nl), *fresh = get_bytes(&r, &nf);
	uint64_t status = get_u64(&r), stopped = get_u64(&r);
	const char *msg = get_bytes(&r, &nm);
	if (!wrote || !spools || !log || !fresh || !msg || (na && spools[na - 1] != '\0'))
		r.bad = 1;
	struct memo *m = h->site ? h->site->memo : NULL;
	int rc = LUA_OK;
	if (r.bad || r.p != r.end || !WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	    (nf && (!m || memo_absorb(m, fresh, nf) != 0)) ||
	    diag_absorb(&h->site->diag, log, nl) != 0) {
		if (WIFSIGNALED(st) && (WTERMSIG(st) == SIGXCPU || WTERMSIG(st) == SIGKILL))
			h->stopped = 1;           /* out of time in one C call: RLIMIT_CPU */
		else if (WIFSIGNALED(st))
			lua_pushfstring(L, "site:each: a worker process ended on signal %d", WTERMSIG(st));
		else
			lua_pushliteral(L, "site:each: a worker process ended without saying how");
		rc = LUA_ERRRUN;
	} else {
		if (h->wrote)
			buf_add(h->wrote, wrote, nw);
		if (status != 0) {
			lua_pushlstring(L, msg, nm);
			h->stopped = status == 2 ? (int)stopped : 0;
			rc = LUA_ERRRUN;
		}
		/* its appends, after those of the runs before it */
		for (const char *p = spools; rc == LUA_OK && p < spools + na;) {
			const char *rel = p, *to = rel + strlen(rel) + 1;
			char *err;
			if (to >= spools + na || !h->spool)
				break;
			p = to + strlen(to) + 1;
			spooled_of(h, rel);
			if (strncmp(to, SPOOL_NAME, strlen(SPOOL_NAME)) != 0 || strchr(to, '/')) {
				lua_pushliteral(L, "site:each: a worker process sent a wrong report");
				rc = LUA_ERRRUN;
			} else if (output_take(h->site, rel, to, &err) != 0) {
				rc = append_failed(L, err);
			}
		}
	}
	free(rep);
	return rc;
}

/* The children's reports, in run order; the first that failed raises its
 * error. Stack as run_items', with this record at 1. */
struct crew { struct lhost *h; struct worker *w; int next, n; };

static int
absorb_all(lua_State *L)
{
	struct crew *c = lua_touserdata(L, 1);
	while (c->next < c->n)
		if (absorb(L, c->h, &c->w[c->next++]) != LUA_OK)
			return c->h->stopped ? lhost_raise_stop(L, c->h) : lua_error(L);
	return 0;
}

/* ------------------------------------------------------------ checks */

struct wr { const char *path; long long item; };

static int
wr_cmp(const void *a, const void *b)
{
	const struct wr *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : x->item < y->item ? -1 : x->item > y->item;
}

/* Push an error when two items wrote one path, or one was written and
 * appended to; 0 when none was. The records are "item\0path\0"... as
 * leach_wrote makes them. */
static int
same_path(lua_State *L, const struct buf *b, const struct spool *sp)
{
	size_t n = 0, cap = 0;
	struct wr *v = NULL;
	for (const char *p = b->s, *end = b->s + b->len; p && p < end;) {
		const char *item = p, *path = item + strlen(item) + 1;
		if (path >= end)
			break;
		if (n == cap)
			v = xrealloc(v, (cap = cap ? 2 * cap : 256) * sizeof *v);
		v[n++] = (struct wr){ path, strtoll(item, NULL, 10) };
		p = path + strlen(path) + 1;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, wr_cmp);
	int found = 0;
	for (size_t i = 0; !found && i < sp->n; i++) {
		struct wr want = { sp->v[i].rel, 0 };
		size_t lo = 0, hi = n;           /* the first record of the path */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(v[mid].path, want.path) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && strcmp(v[lo].path, want.path) == 0) {
			lua_pushfstring(L, "site:each: item %I wrote '%s', which items append to: a file is "
			    "written or appended to, not both", (LUAI_UACINT)v[lo].item, want.path);
			found = 1;
		}
	}
	for (size_t i = 1; !found && i < n; i++)
		if (strcmp(v[i - 1].path, v[i].path) == 0 && v[i - 1].item != v[i].item) {
			lua_pushfstring(L, "site:each: items %I and %I both wrote '%s': each item must "
			    "write files of its own", (LUAI_UACINT)v[i - 1].item, (LUAI_UACINT)v[i].item,
			    v[i].path);
			found = 1;
		}
	free(v);
	return found;
}

/* ------------------------------------------------------------ the call */

/* Where fn's code is: its source and lines, so that two calls with the
 * same keys but other functions never share an entry. */
static void
put_fn(lua_State *L, struct sha256_ctx *c)
{
	lua_Debug ar;
	lua_pushvalue(L, 3);
	lua_getinfo(L, ">S", &ar);
	char where[64];
	snprintf(where, sizeof where, ":%d:%d:", ar.linedefined, ar.lastlinedefined);
	sha256_update(c, strlen(ar.source) + 1, (const uint8_t *)ar.source);
	sha256_update(c, strlen(where), (const uint8_t *)where);
}

/* site:each(list, fn [, key]) → a list of what fn returned. Stack: the
 * site at 1, the list at 2, fn at 3, key at 4, the results at 5. */
int
leach_site_each(lua_State *L)
{
	struct lhost *h = lhost_of(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	if (!lua_isnoneornil(L, 4))
		luaL_checktype(L, 4, LUA_TFUNCTION);
	lua_settop(L, 4);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
	lua_createtable(L, n > 0 && n < INT32_MAX ? (int)n : 0, 0);
	if (h->wrote) {                       /* nested: its writes are the outer item's */
		lua_Integer outer = h->item;
		int rc = run(L, h, 1, n, NULL);
		h->item = outer;
		if (rc != LUA_OK)
			return h->stopped ? lhost_raise_stop(L, h) : lua_error(L);
		return 1;
	}
	/* a memo, when the build keeps one and has a log for the messages */
	struct keyed_call call, *keyed = NULL;
	struct site *s = h->site;
	if (!lua_isnil(L, 4) && s && s->memo && s->diag.log) {
		memo_key(s->memo, &call.key);
		put_fn(L, &call.key);
		site_asof_day(s, call.day);
		keyed = &call;
	}
	struct buf wrote = {0};
	struct spool spool = {0};
	h->wrote = &wrote;
	h->spool = &spool;
	int jobs = h->site && !h->worker ? h->site->jobs : 1;
	lua_Integer nw = n / EACH_MIN;
	if (nw > jobs)
		nw = jobs;
	if (nw > EACH_MAX)
		nw = EACH_MAX;
	if (nw < 1)
		nw = 1;
	struct worker w[EACH_MAX];
	for (lua_Integer k = 0; k < nw; k++)
		w[k] = (struct worker){ 0, -1, n * k / nw + 1, n * (k + 1) / nw };
	int started = 1;
	double forked = lhost_clock();
	pid_t self = getpid();
	fflush(NULL);
	for (; started < nw; started++) {
		int p[2];
		if (pipe(p) != 0)
			break;
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			for (int k = 1; k < started; k++)
				close(w[k].fd);
			child(L, h, (struct run_of){ h, w[started].lo, w[started].hi, keyed, {0} }, p[1], forked, self);
		}
		close(p[1]);
		if (pid < 0) {
			close(p[0]);
			break;
		}
		w[started].pid = pid;
		w[started].fd = p[0];
	}
	if (started < nw) {                   /* no more processes: all of it here */
		kill_all(w, 1, started);
		started = 1;
		w[0].hi = n;
	}
	int rc = run(L, h, w[0].lo, w[0].hi, keyed);
	char *err;
	if (rc == LUA_OK && spool_flush_all(s, &spool, &err) != 0)
		rc = append_failed(L, err);
	struct crew c = { h, w, 1, started };
	if (rc == LUA_OK)
		rc = protect(L, absorb_all, &c);
	kill_all(w, c.next, started);         /* after an error, those not yet heard */
	h->wrote = NULL;
	h->spool = NULL;
	if (rc == LUA_OK && same_path(L, &wrote, &spool))
		rc = LUA_ERRRUN;
	if (rc != LUA_OK)
		spool_sweep(s);
	buf_free(&wrote);
	spool_free(&spool);
	if (rc != LUA_OK)
		return h->stopped ? lhost_raise_stop(L, h) : lua_error(L);
	lua_settop(L, 5);
	return 1;
}
