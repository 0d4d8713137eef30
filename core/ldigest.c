/*
 * ldigest.c — a digest of Lua values: congkhai.digest(...) and what
 * site:each's keys are made of (leach.c). Equal values give equal
 * digests in any build and any process: each value is hashed with its
 * type, tables by their keys in a fixed order (booleans, then numbers by
 * value, then strings by bytes) read raw, so no metamethod runs; a page's
 * or a section's table (site.pages) also by its rendered body, which it
 * reads lazily, and a body met again in the same call by the order it was
 * first met. Functions, userdata, threads, a table that holds itself and
 * nesting deeper than DEPTH are errors: nothing is left out silently.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>
#include "lhost.h"
#include "pack.h"

#define DEPTH  64

struct dg {
	struct sha256_ctx *h;
	int seen;                        /* stack index: table → true while inside it */
	const struct pack *packs[16];    /* bodies hashed in this call, in order */
	int npacks;
};

static void
put(struct dg *d, char tag, const void *p, size_t n)
{
	uint64_t len = n;
	sha256_update(d->h, 1, (const uint8_t *)&tag);
	sha256_update(d->h, sizeof len, (const uint8_t *)&len);
	sha256_update(d->h, n, p);
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
	put(d, 'b', k->data, k->len);
}

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

static void
table(lua_State *L, struct dg *d, int idx, int depth)
{
	if (depth > DEPTH)
		luaL_error(L, "congkhai.digest: tables nested deeper than %d", DEPTH);
	luaL_checkstack(L, 8, "congkhai.digest");
	lua_pushvalue(L, idx);
	if (lua_rawget(L, d->seen) != LUA_TNIL)
		luaL_error(L, "congkhai.digest: a table that holds itself");
	lua_pop(L, 1);
	lua_pushvalue(L, idx);
	lua_pushboolean(L, 1);
	lua_rawset(L, d->seen);
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
	size_t n = 0;                          /* the keys: counted, then kept */
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		int t = lua_type(L, -2);
		if (t != LUA_TBOOLEAN && t != LUA_TNUMBER && t != LUA_TSTRING)
			luaL_error(L, "congkhai.digest: a table key of type %s", lua_typename(L, t));
		n++;
	}
	struct key *k = lua_newuserdatauv(L, (n ? n : 1) * sizeof *k, 0);   /* freed by the collector */
	lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);
	int keys = lua_gettop(L);
	size_t m = 0;
	for (lua_pushnil(L); m < n && lua_next(L, idx); lua_pop(L, 1)) {
		struct key *e = &k[m++];
		memset(e, 0, sizeof *e);
		e->type = lua_type(L, -2);
		e->at = (int)m;
		lua_pushvalue(L, -2);
		lua_rawseti(L, keys, (lua_Integer)m);
		if (e->type == LUA_TBOOLEAN)
			e->i = lua_toboolean(L, -2);
		else if (e->type == LUA_TNUMBER && (e->isint = lua_isinteger(L, -2)))
			e->i = lua_tointeger(L, -2);
		else if (e->type == LUA_TNUMBER)
			e->num = lua_tonumber(L, -2);
		else
			e->s = lua_tolstring(L, -2, &e->len);   /* kept alive by keys */
	}
	n = m;
	if (n > 1)
		qsort(k, n, sizeof *k, key_cmp);
	uint64_t count = n;
	put(d, 't', &count, sizeof count);
	for (size_t i = 0; i < n; i++) {
		int at = k[i].at;
		lua_rawgeti(L, keys, at);
		lua_pushvalue(L, -1);
		lua_rawget(L, idx);                /* [keys, key, value] */
		int top = lua_gettop(L);
		value(L, d, top - 1, depth + 1);
		value(L, d, top, depth + 1);
		lua_pop(L, 2);
	}
	lua_pop(L, 2);                         /* the keys and their record */
	lua_pushvalue(L, idx);
	lua_pushnil(L);
	lua_rawset(L, d->seen);
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

void
ldigest_value(lua_State *L, int idx, struct sha256_ctx *h)
{
	idx = lua_absindex(L, idx);
	lua_newtable(L);
	struct dg d = { h, lua_gettop(L), { NULL }, 0 };
	value(L, &d, idx, 0);
	lua_pop(L, 1);
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
		ldigest_value(L, i, &h);
	uint8_t dig[SHA256_DIGEST_SIZE];
	sha256_digest(&h, sizeof dig, dig);
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	lua_pushlstring(L, hex, 2 * SHA256_DIGEST_SIZE);
	return 1;
}
