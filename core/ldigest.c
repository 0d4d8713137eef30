/*
 * ldigest.c — a digest of Lua values: congkhai.digest(...) and what
 * site:each's keys are made of (leach.c). Equal values give equal
 * digests in any build and any process: each value is hashed with its
 * type, tables by their keys in a fixed order (booleans, then numbers by
 * value, then strings by bytes) read raw, so no metamethod runs; a page's
 * or a section's table (site.pages) also by its rendered body, which it
 * reads lazily (through the SHA-256 its pack keeps), and a body met again
 * in the same call by the order it was first met. Functions, userdata,
 * threads, a table that holds itself and nesting deeper than DEPTH are
 * errors: nothing is left out silently. Nothing is allocated on the heap
 * but the sorted keys of a table with more than SMALL of them, a userdata
 * the collector frees, so an error leaks nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>
#include "lhost.h"
#include "pack.h"

#define DEPTH  64
#define HOLD   4096      /* bytes gathered before they go to the hash */
#define SMALL  32        /* keys of a table sorted in an array on the C stack */

struct dg {
	struct sha256_ctx *h;
	const void *path[DEPTH + 1];     /* the tables being hashed, outermost first */
	const struct pack *packs[16];    /* bodies hashed in this call, in order */
	int npacks;
	size_t held;
	uint8_t hold[HOLD];              /* small values, hashed together */
};

static void
flush(struct dg *d)
{
	sha256_update(d->h, d->held, d->hold);
	d->held = 0;
}

static void
put(struct dg *d, char tag, const void *p, size_t n)
{
	uint64_t len = n;
	if (d->held + 1 + sizeof len + n > HOLD)
		flush(d);
	d->hold[d->held++] = (uint8_t)tag;
	memcpy(d->hold + d->held, &len, sizeof len);
	d->held += sizeof len;
	if (n > HOLD - d->held)
		sha256_update(d->h, n, p);     /* nothing held: the order stays */
	else if (n) {
		memcpy(d->hold + d->held, p, n);
		d->held += n;
	}
}

static void
put_span(struct dg *d, struct span s)
{
	uint64_t v[2] = { s.at, s.len };
	put(d, 'S', v, sizeof v);
}

static void
put_pack(struct dg *d, const struct pack *k)
{
	if (!k) {
		put(d, 'k', "", 0);
		return;
	}
	for (int i = 0; i < d->npacks; i++)
		if (d->packs[i] == k) {
			put(d, 'K', &i, sizeof i);
			return;
		}
	if (d->npacks < (int)(sizeof d->packs / sizeof *d->packs))
		d->packs[d->npacks++] = k;
	uint64_t size = k->size;
	put(d, 'k', &size, sizeof size);
	put(d, 'b', k->sum, sizeof k->sum);
}

/* A key of a table, for sorting: its type and value, and where its
 * value is on the stack. */
struct key { int type; lua_Number num; lua_Integer i; int isint; const char *s; size_t len; int at; };

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->type == LUA_TBOOLEAN)
		return (int)x->i - (int)y->i;
	if (x->type == LUA_TNUMBER) {
		if (x->isint && y->isint)
			return x->i < y->i ? -1 : x->i > y->i;
		lua_Number p = x->isint ? (lua_Number)x->i : x->num, q = y->isint ? (lua_Number)y->i : y->num;
		return p < q ? -1 : p > q;
	}
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

static void value(lua_State *L, struct dg *d, int idx, int depth);

/* The pairs of the table at idx, sorted by key, hashed: a list (keys
 * exactly 1..n) straight from its array part, any other table through
 * its pairs pushed on the stack and a sorted record of them. */
static void
table(lua_State *L, struct dg *d, int idx, int depth)
{
	if (depth > DEPTH)
		luaL_error(L, "congkhai.digest: tables nested deeper than %d", DEPTH);
	luaL_checkstack(L, 8, "congkhai.digest");
	const void *self = lua_topointer(L, idx);
	for (int i = 0; i < depth; i++)
		if (d->path[i] == self)
			luaL_error(L, "congkhai.digest: a table that holds itself");
	d->path[depth] = self;
	const struct page *p = lapi_page(L, idx);
	const struct section *sec = p ? NULL : lapi_section(L, idx);
	if (p) {                               /* its lazy fields come from these */
		put_pack(d, p->rendered);
		put_span(d, p->intro_html);
		put_span(d, p->intro_text);
	} else if (sec) {
		put_pack(d, sec->body);
		put_span(d, sec->head_html);
		put_span(d, sec->html);
		put_span(d, sec->text);
		for (size_t i = 0; i < sec->nitems; i++) {
			put_span(d, sec->items[i]);
			put_span(d, sec->groups ? sec->groups[i] : (struct span){ SPAN_NONE, 0 });
		}
	}
	lua_Integer border = (lua_Integer)lua_rawlen(L, idx);
	size_t n = 0, listed = 0;              /* the keys, and those in 1..border */
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		int t = lua_type(L, -2);
		if (t != LUA_TBOOLEAN && t != LUA_TNUMBER && t != LUA_TSTRING)
			luaL_error(L, "congkhai.digest: a table key of type %s", lua_typename(L, t));
		n++;
		if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= border)
			listed++;
	}
	uint64_t count = n;
	put(d, 't', &count, sizeof count);
	if (listed == n && (lua_Integer)n == border) {   /* a list: already in order */
		for (lua_Integer i = 1; i <= border; i++) {
			put(d, 'i', &i, sizeof i);
			lua_rawgeti(L, idx, i);
			value(L, d, -1, depth + 1);
			lua_pop(L, 1);
		}
		return;
	}
	/* [record, key1, value1, ..., keyn, valuen]: lua_next goes on from
	 * a copy of each key while the pair stays */
	if (n > INT32_MAX / 4 || !lua_checkstack(L, (int)(2 * n + 8)))
		luaL_error(L, "congkhai.digest: a table of %I keys is too large", (LUAI_UACINT)n);
	struct key small[SMALL];
	struct key *k = n <= SMALL ? small : lua_newuserdatauv(L, n * sizeof *k, 0);  /* freed by the collector */
	int base = lua_gettop(L) + (n <= SMALL);
	size_t m = 0;
	lua_pushnil(L);
	while (m < n && lua_next(L, idx)) {
		struct key *e = &k[m++];
		memset(e, 0, sizeof *e);
		e->type = lua_type(L, -2);
		e->at = lua_gettop(L);
		if (e->type == LUA_TBOOLEAN)
			e->i = lua_toboolean(L, -2);
		else if (e->type == LUA_TNUMBER && (e->isint = lua_isinteger(L, -2)))
			e->i = lua_tointeger(L, -2);
		else if (e->type == LUA_TNUMBER)
			e->num = lua_tonumber(L, -2);
		else
			e->s = lua_tolstring(L, -2, &e->len);   /* the key stays on the stack */
		lua_pushvalue(L, -2);
	}
	if (m == n)                            /* lua_next has not ended: its key */
		lua_pop(L, 1);
	if (m > 1)
		qsort(k, m, sizeof *k, key_cmp);
	for (size_t i = 0; i < m; i++) {
		value(L, d, k[i].at - 1, depth + 1);
		value(L, d, k[i].at, depth + 1);
	}
	lua_settop(L, base - 1);
}

static void
value(lua_State *L, struct dg *d, int idx, int depth)
{
	int t = lua_type(L, idx);
	size_t n;
	const char *s;
	switch (t) {
	case LUA_TNIL:
		put(d, 'n', "", 0);
		break;
	case LUA_TBOOLEAN:
		put(d, lua_toboolean(L, idx) ? 'T' : 'F', "", 0);
		break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			lua_Integer i = lua_tointeger(L, idx);
			put(d, 'i', &i, sizeof i);
		} else {
			lua_Number x = lua_tonumber(L, idx);
			put(d, 'f', &x, sizeof x);
		}
		break;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &n);
		put(d, 's', s, n);
		break;
	case LUA_TTABLE:
		table(L, d, lua_absindex(L, idx), depth);
		break;
	default:
		luaL_error(L, "congkhai.digest: cannot digest a %s", lua_typename(L, t));
	}
}

/* Hash the value at idx into h. */
static void
digest_value(lua_State *L, int idx, struct sha256_ctx *h)
{
	struct dg d;                           /* no heap: a Lua error leaks nothing */
	d.h = h;
	d.npacks = 0;
	d.held = 0;
	value(L, &d, idx, 0);
	flush(&d);
}

/* congkhai.digest(...) → the hex SHA-256 of its arguments. */
int
ldigest_lua(lua_State *L)
{
	int n = lua_gettop(L);
	struct sha256_ctx h;
	sha256_init(&h);
	uint64_t count = (uint64_t)n;
	sha256_update(&h, sizeof count, (const uint8_t *)&count);
	for (int i = 1; i <= n; i++)
		digest_value(L, i, &h);
	uint8_t dig[SHA256_DIGEST_SIZE];
	sha256_digest(&h, sizeof dig, dig);
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	lua_pushlstring(L, hex, 2 * SHA256_DIGEST_SIZE);
	return 1;
}
