/*
 * lapi.c — what plugins see of congkhai: the `congkhai` module (markdown,
 * escape, slug, fold, sortkey, json, date, number, template, template_file,
 * read, label, qr, csv, clip, version) and the site and page tables (docs/plugins.md).
 *
 * Each plugin gets its own module table, whose functions carry the plugin
 * as upvalue 1 (paths resolve from its folder, templates compile in its
 * sandbox). Page tables are built once per build and shared by every
 * plugin; the site table is one table for all plugins, so they can leave
 * things for each other (the theme sets site.theme); its methods carry
 * the host as upvalue 1. The metatables of both are locked. The bulky
 * strings of pages and sections stay in the C pages and are pushed when
 * read (lazy_bind), so the Lua state holds no second copy of the site.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lhost.h"
#include "index.h"
#include "vocab.h"
#include "dossier.h"
#include "qr.h"
#include "csv.h"
#include "pack.h"

/* ------------------------------------------------------------- values */

void
lapi_push_val(lua_State *L, const struct val *v)
{
	luaL_checkstack(L, 8, "value nested too deeply");
	switch (v ? v->type : V_NULL) {
	case V_NULL: lua_pushnil(L); break;
	case V_BOOL: lua_pushboolean(L, (int)v->num); break;
	case V_INT:  lua_pushinteger(L, v->num); break;
	case V_STR:  lua_pushstring(L, v->str); break;
	case V_LIST:
		lua_createtable(L, (int)v->n, 0);
		for (size_t i = 0; i < v->n; i++) {
			lapi_push_val(L, &v->kids[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case V_MAP:
		lua_createtable(L, 0, (int)v->n);
		for (size_t i = 0; i < v->n; i++) {
			lapi_push_val(L, &v->kids[i]);
			lua_setfield(L, -2, v->kids[i].key);
		}
		break;
	}
}

/* Copy every field of the table on top into the table below it, then pop
 * the source. Stack: [dst, src] → [dst]. */
void
lapi_merge(lua_State *L)
{
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, -5);
	}
	lua_pop(L, 1);
}

/* ------------------------------------------------------------- escape */

char *
lapi_escape(const char *s, size_t n, size_t *outlen)
{
	struct buf b = {0};
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *r = NULL;
		switch (s[i]) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&#39;"; break;
		}
		if (r) {
			buf_add(&b, s + run, i - run);
			buf_puts(&b, r);
			run = i + 1;
		}
	}
	buf_add(&b, s + run, n - run);
	*outlen = b.len;
	return buf_steal(&b);
}

/* The text of a value as templates print it: nil is "", 3.0 is "3". */
static const char *
to_text(lua_State *L, int i, size_t *len)
{
	switch (lua_type(L, i)) {
	case LUA_TNIL:
	case LUA_TNONE:
		*len = 0;
		return "";
	case LUA_TNUMBER:
		if (lua_isinteger(L, i))
			return lua_tolstring(L, i, len);
		{
			lua_Number x = lua_tonumber(L, i);
			if (x == floor(x) && fabs(x) < 1e15)
				lua_pushfstring(L, "%I", (LUA_INTEGER)x);
			else
				lua_pushfstring(L, "%f", x);
			lua_replace(L, i);
			return lua_tolstring(L, i, len);
		}
	default:
		return luaL_tolstring(L, i, len);
	}
}

static int
l_escape(lua_State *L)
{
	size_t n, m;
	const char *s = to_text(L, 1, &n);
	if (strcspn(s, "&<>\"'") >= n) {     /* nothing to escape: the text itself */
		if (lua_type(L, 1) != LUA_TSTRING)
			lua_pushlstring(L, s, n);
		else
			lua_pushvalue(L, 1);
		return 1;
	}
	char *e = lapi_escape(s, n, &m);
	lua_pushlstring(L, e, m);
	free(e);
	return 1;
}

static int
l_raw(lua_State *L)
{
	size_t n;
	const char *s = to_text(L, 1, &n);
	lua_pushlstring(L, s, n);
	return 1;
}

/* ------------------------------------------------------------- text */

static int
push_owned(lua_State *L, char *s)
{
	lua_pushstring(L, s);
	free(s);
	return 1;
}

static int
l_slug(lua_State *L)
{
	return push_owned(L, text_slug(luaL_checkstring(L, 1)));
}

/* congkhai.url_for(kind [, arg]): the URL scheme of vocab.h; an unknown kind
 * or a missing argument is an error. */
static int
l_url_for(lua_State *L)
{
	const char *kind = luaL_checkstring(L, 1);
	const char *arg = lua_isnoneornil(L, 2) ? NULL : luaL_checkstring(L, 2);
	const char *arg2 = lua_isnoneornil(L, 3) ? NULL : luaL_checkstring(L, 3);
	char *u = vocab_url(kind, arg, arg2);
	if (!u)
		return luaL_error(L, "congkhai.url_for: unknown kind '%s' or missing argument", kind);
	return push_owned(L, u);
}

/* list as a Lua array at the top of the stack. */
static void
push_names(lua_State *L, const char *const *list)
{
	lua_newtable(L);
	for (int i = 0; list[i]; i++) {
		lua_pushstring(L, list[i]);
		lua_rawseti(L, -2, i + 1);
	}
}

static int
l_fold(lua_State *L)
{
	return push_owned(L, text_fold(luaL_checkstring(L, 1)));
}

static int
l_sortkey(lua_State *L)
{
	return push_owned(L, text_sortkey(luaL_checkstring(L, 1)));
}

static int
l_markdown(lua_State *L)
{
	const char *src = luaL_checkstring(L, 1);
	struct site *s = lhost_plugin(L)->host->site;
	return push_owned(L, markdown_html(src, s ? s->base_path : "/", s ? s->unsafe_html : 0));
}

static int
l_label(lua_State *L)
{
	lua_pushstring(L, i18n_key_label(luaL_checkstring(L, 1)));
	return 1;
}

static int
l_read(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	char *data;
	size_t len;
	if (path[0] == '/' || strstr(path, "..") || plugin_read_any(lhost_plugin(L), path, &data, &len) != 0)
		return luaL_error(L, "congkhai.read: cannot read '%s'", path);
	lua_pushlstring(L, data, len);
	free(data);
	return 1;
}

/* ------------------------------------------------------------- number */

static int
l_number(lua_State *L)
{
	lua_Integer n;
	if (lua_isinteger(L, 1))
		n = lua_tointeger(L, 1);
	else if (lua_type(L, 1) == LUA_TNUMBER)
		n = (lua_Integer)llround(lua_tonumber(L, 1));
	else {
		const char *s = luaL_checkstring(L, 1);
		char *end;
		n = strtoll(s, &end, 10);
		if (*end || !*s)
			return luaL_argerror(L, 1, "a whole number");
	}
	char digits[32], out[48];
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	int len = snprintf(digits, sizeof digits, "%llu", u), j = 0;
	if (n < 0)
		out[j++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[j++] = '.';
		out[j++] = digits[i];
	}
	lua_pushlstring(L, out, (size_t)j);
	return 1;
}

/* ------------------------------------------------------------- date */

static const char *const months_en[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December" };

static int
l_date(lua_State *L)
{
	int y, m, d, hh = 0, mm = 0, ss = 0;
	if (lua_type(L, 1) == LUA_TNUMBER) {
		lua_Integer secs = luaL_checkinteger(L, 1);
		/* years 1..9999 only: gmtime_r fails or overflows tm_year beyond */
		if (secs < -62135596800LL || secs > 253402300799LL)
			return luaL_argerror(L, 1, "a time between the years 1 and 9999");
		time_t t = (time_t)secs;
		struct tm tm;
		if (!gmtime_r(&t, &tm))
			return luaL_argerror(L, 1, "a time between the years 1 and 9999");
		y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
		hh = tm.tm_hour, mm = tm.tm_min, ss = tm.tm_sec;
	} else {
		const char *s = luaL_checkstring(L, 1);
		char day[11];
		snprintf(day, sizeof day, "%s", s);
		if (!date_valid(day, &y, &m, &d))
			return luaL_argerror(L, 1, "a date YYYY-MM-DD");
		if (strlen(s) >= 19 && (s[10] == 'T' || s[10] == ' '))
			sscanf(s + 11, "%2d:%2d:%2d", &hh, &mm, &ss);
	}
	const char *fmt = luaL_optstring(L, 2, "vi");
	int en = strcmp(i18n_language(), "en") == 0;
	if (m < 1 || m > 12)
		return luaL_argerror(L, 1, "a date YYYY-MM-DD");
	char out[64];
	if (!strcmp(fmt, "vi"))
		snprintf(out, sizeof out, "%02d/%02d/%04d", d, m, y);
	else if (!strcmp(fmt, "iso"))
		snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
	else if (!strcmp(fmt, "rfc3339"))
		snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mm, ss);
	else if (!strcmp(fmt, "long") && en)
		snprintf(out, sizeof out, "%d %s %d", d, months_en[m - 1], y);
	else if (!strcmp(fmt, "long"))
		snprintf(out, sizeof out, "ngày %d tháng %d năm %d", d, m, y);
	else if (!strcmp(fmt, "month") && en)
		snprintf(out, sizeof out, "%s %d", months_en[m - 1], y);
	else if (!strcmp(fmt, "month"))
		snprintf(out, sizeof out, "tháng %d/%d", m, y);
	else
		return luaL_argerror(L, 2, "vi, iso, rfc3339, long or month");
	lua_pushstring(L, out);
	return 1;
}

/* ------------------------------------------------------------- json */

/* congkhai.null: the one light userdata json() writes as null (a nil
 * in a table is no entry at all). Its address is the identity. */
static const char json_null = 0;

static void
json_value(lua_State *L, int i, struct buf *b, int depth)
{
	if (depth > 100)
		luaL_error(L, "congkhai.json: nested too deeply (a cycle?)");
	i = lua_absindex(L, i);
	luaL_checkstack(L, 6, "json");
	switch (lua_type(L, i)) {
	case LUA_TNIL: buf_puts(b, "null"); break;
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata(L, i) != &json_null)
			luaL_error(L, "congkhai.json: a userdata has no JSON form");
		buf_puts(b, "null");
		break;
	case LUA_TBOOLEAN: buf_puts(b, lua_toboolean(L, i) ? "true" : "false"); break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, i))
			buf_printf(b, "%lld", (long long)lua_tointeger(L, i));
		else {
			lua_Number x = lua_tonumber(L, i);
			if (!isfinite(x))
				luaL_error(L, "congkhai.json: %f has no JSON form", x);
			buf_printf(b, "%.17g", x);
		}
		break;
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, i, &n);
		json_escape(b, s, n);
		break;
	}
	case LUA_TTABLE: {
		lua_Integer n = (lua_Integer)lua_rawlen(L, i), count = 0;
		int strings = 0;
		lua_pushnil(L);
		while (lua_next(L, i)) {
			count++;
			if (lua_type(L, -2) == LUA_TSTRING)
				strings++;
			else if (lua_type(L, -2) != LUA_TNUMBER)
				luaL_error(L, "congkhai.json: keys must be strings or array indexes");
			lua_pop(L, 1);
		}
		if (count == n) {          /* an array (an empty table too) */
			buf_putc(b, '[');
			for (lua_Integer k = 1; k <= n; k++) {
				if (k > 1)
					buf_putc(b, ',');
				lua_rawgeti(L, i, k);
				json_value(L, -1, b, depth + 1);
				lua_pop(L, 1);
			}
			buf_putc(b, ']');
			break;
		}
		if (strings != count)
			luaL_error(L, "congkhai.json: a table mixes array items and keys");
		/* Owned by Lua, so an error deeper down cannot leak it. Only raw
		 * access below: no metamethod runs during the walk, so the table
		 * cannot change and its key strings stay alive. */
		const char **keys = lua_newuserdatauv(L, (size_t)count * sizeof *keys, 0);
		int keys_idx = lua_gettop(L);
		size_t nk = 0;
		lua_pushnil(L);
		while (lua_next(L, i)) {
			keys[nk++] = lua_tostring(L, -2);   /* strings stay alive in the table */
			lua_pop(L, 1);
		}
		qsort(keys, nk, sizeof *keys, strp_cmp);
		buf_putc(b, '{');
		for (size_t k = 0; k < nk; k++) {
			if (k)
				buf_putc(b, ',');
			json_escape(b, keys[k], strlen(keys[k]));
			buf_putc(b, ':');
			lua_pushstring(L, keys[k]);
			lua_rawget(L, i);
			json_value(L, -1, b, depth + 1);
			lua_pop(L, 1);
		}
		buf_putc(b, '}');
		lua_remove(L, keys_idx);
		break;
	}
	default:
		luaL_error(L, "congkhai.json: a %s has no JSON form", luaL_typename(L, i));
	}
}

static int
json_protected(lua_State *L)
{
	struct buf *b = lua_touserdata(L, 2);
	json_value(L, 1, b, 0);
	return 0;
}

char *
lapi_json(lua_State *L, int idx)
{
	struct buf b = {0};
	idx = lua_absindex(L, idx);
	lua_pushcfunction(L, json_protected);
	lua_pushvalue(L, idx);
	lua_pushlightuserdata(L, &b);
	if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static int
l_json(lua_State *L)
{
	lua_settop(L, 1);
	char *j = lapi_json(L, 1);             /* a Lua error inside would leak a buffer */
	if (!j)
		return lua_error(L);
	return push_owned(L, j);
}

/* clip(s, n): s when it has at most n characters (UTF-8), else its first
 * n - 1 characters and "…". Characters are counted by their lead bytes,
 * so bytes that are not UTF-8 cannot make it read past the end. */
static int
l_clip(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	lua_Integer n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 1, 2, "at least 1");
	lua_Integer chars = 0;
	size_t cut = len;
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (++chars == n)
			cut = i;                 /* where the n-th character starts */
		else if (chars > n)
			break;
	}
	if (chars <= n) {
		lua_settop(L, 1);
		return 1;
	}
	lua_pushlstring(L, s, cut);
	lua_pushliteral(L, "…");
	lua_concat(L, 2);
	return 1;
}

/* ---------------------------------------------------------- qr and csv */

static int
l_qr(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	char *svg = qr_svg(s, n);
	if (!svg)
		return luaL_error(L, "qr: the text is empty or too long for a QR code (%d bytes)", (int)n);
	return push_owned(L, svg);
}

/* The cell of row (table at ri) for column c: the c-th item, or the field
 * named by header[c] (table at hi) when there is a header. Pushes it. */
static int
csv_cell(lua_State *L, int ri, int hi, lua_Integer c)
{
	if (!hi)
		return lua_rawgeti(L, ri, c);
	lua_rawgeti(L, hi, c);
	lua_rawget(L, ri);
	return lua_type(L, -1);
}

/* Pass 1 (out NULL) checks every cell and may raise; pass 2 writes them
 * and raises nothing, so the C buffer never leaks. */
static void
csv_rows(lua_State *L, int hi, lua_Integer ncols, struct buf *out)
{
	lua_Integer nrows = (lua_Integer)lua_rawlen(L, 1);
	if (hi && out) {
		for (lua_Integer c = 1; c <= ncols; c++) {
			size_t n;
			lua_rawgeti(L, hi, c);
			const char *s = lua_tolstring(L, -1, &n);
			if (c > 1)
				buf_putc(out, ',');
			csv_field(out, s, n);
			lua_pop(L, 1);
		}
		buf_puts(out, CSV_EOL);
	}
	for (lua_Integer r = 1; r <= nrows; r++) {
		if (lua_rawgeti(L, 1, r) != LUA_TTABLE && !out)
			luaL_error(L, "csv: row %d is not a table", (int)r);
		int ri = lua_gettop(L);
		lua_Integer cols = hi ? ncols : (lua_Integer)lua_rawlen(L, ri);
		for (lua_Integer c = 1; c <= cols; c++) {
			int t = csv_cell(L, ri, hi, c);
			char num[64];
			const char *s = "";
			size_t n = 0;
			if (t == LUA_TSTRING) {
				s = lua_tolstring(L, -1, &n);
			} else if (t == LUA_TNUMBER) {
				if (lua_isinteger(L, -1))
					snprintf(num, sizeof num, LUA_INTEGER_FMT, lua_tointeger(L, -1));
				else
					snprintf(num, sizeof num, "%.14g", (double)lua_tonumber(L, -1));
				s = num, n = strlen(num);
			} else if (t == LUA_TBOOLEAN) {
				s = lua_toboolean(L, -1) ? "true" : "false", n = strlen(s);
			} else if (t != LUA_TNIL && !out) {
				luaL_error(L, "csv: row %d, column %d is a %s", (int)r, (int)c, luaL_typename(L, -1));
			}
			if (out) {
				if (c > 1)
					buf_putc(out, ',');
				csv_field(out, s, n);
			}
			lua_pop(L, 1);
		}
		if (out)
			buf_puts(out, CSV_EOL);
		lua_pop(L, 1);
	}
}

static int
l_csv(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	int hi = 0;
	lua_Integer ncols = 0;
	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		hi = 2;
		ncols = (lua_Integer)lua_rawlen(L, 2);
		for (lua_Integer c = 1; c <= ncols; c++)
			if (lua_rawgeti(L, 2, c) != LUA_TSTRING)
				return luaL_error(L, "csv: header %d is not a string", (int)c);
		lua_settop(L, 2);
	}
	luaL_checkstack(L, 8, NULL);
	csv_rows(L, hi, ncols, NULL);
	struct buf b = {0};
	csv_rows(L, hi, ncols, &b);
	lua_pushlstring(L, b.s ? b.s : "", b.len);
	buf_free(&b);
	return 1;
}

/* ---------------------------------------------------------- templates */

static int
l_template(lua_State *L)
{
	size_t len;
	const char *src = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "template");
	return template_compile(L, lhost_plugin(L), src, len, name);
}

static int
l_template_file(lua_State *L)
{
	return template_file(L, lhost_plugin(L), luaL_checkstring(L, 1));
}

/* -------------------------------------------------------------- module */

void
lapi_push_module(lua_State *L, struct plugin *p)
{
	static const luaL_Reg fns[] = {
		{ "markdown", l_markdown }, { "escape", l_escape }, { "raw", l_raw },
		{ "slug", l_slug }, { "fold", l_fold }, { "sortkey", l_sortkey }, { "json", l_json },
		{ "date", l_date }, { "number", l_number }, { "template", l_template },
		{ "template_file", l_template_file }, { "read", l_read }, { "label", l_label },
		{ "url_for", l_url_for }, { "qr", l_qr }, { "csv", l_csv }, { "clip", l_clip },
		{ "digest", ldigest_lua }, { NULL, NULL } };
	luaL_newlibtable(L, fns);
	lua_pushlightuserdata(L, p);
	luaL_setfuncs(L, fns, 1);
	lua_createtable(L, 0, 6);             /* congkhai.vocab: the enumerations (vocab.h) */
	struct site *site = p->host ? p->host->site : NULL;
	push_names(L, site && site->levels ? (const char *const *)site->levels : vocab_levels);
	lua_setfield(L, -2, "levels");
	push_names(L, vocab_online);
	lua_setfield(L, -2, "online");
	push_names(L, vocab_status);
	lua_setfield(L, -2, "status");
	push_names(L, vocab_methods);
	lua_setfield(L, -2, "methods");
	push_names(L, vocab_decision_kinds);
	lua_setfield(L, -2, "decision_kinds");
	lua_pushstring(L, VOCAB_UNVERIFIED);
	lua_setfield(L, -2, "unverified");
	lua_setfield(L, -2, "vocab");
	index_lua_register(L, p);
	lua_pushstring(L, CONGKHAI_VERSION);
	lua_setfield(L, -2, "version");
	lua_pushlightuserdata(L, (void *)&json_null);
	lua_setfield(L, -2, "null");
}

/* ---------------------------------------------------------------- site */

static struct page *
page_of(lua_State *L, struct site *s, int i)
{
	if (lua_isnoneornil(L, i))
		return NULL;
	luaL_checktype(L, i, LUA_TTABLE);
	lua_pushliteral(L, "path");
	lua_rawget(L, i);
	const char *path = lua_tostring(L, -1);
	struct page *found = NULL;
	for (size_t k = 0; path && k < s->npages; k++)
		if (strcmp(s->pages[k].path, path) == 0)
			found = &s->pages[k];
	lua_pop(L, 1);
	return found;
}

/* An output path argument: a NUL inside would silently shorten it. */
static const char *
check_relpath(lua_State *L, int i)
{
	size_t n;
	const char *rel = luaL_checklstring(L, i, &n);
	if (strlen(rel) != n)
		luaL_argerror(L, i, "a path with a NUL byte");
	return rel;
}

/* __close and __gc of site:write's file when its data is a reader. */
static int
wfile_close(lua_State *L)
{
	int *fd = lua_touserdata(L, 1);
	if (fd && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return 0;
}

/* Write what b holds to fd, the time it takes not the plugin's. */
static int
wfile_flush(struct lhost *h, int fd, const char *rel, luaL_Buffer *b, char **err)
{
	double t = lhost_clock();
	int rc = output_put(fd, rel, luaL_buffaddr(b), luaL_bufflen(b), err);
	lhost_exempt(h, t);
	luaL_buffsub(b, luaL_bufflen(b));
	return rc;
}

/* site:write(relpath, data): data is a string, or a reader as load()
 * takes: a function called until it returns nil or "", whose strings are
 * written in pieces of WFILE_PIECE bytes as they come, so that a large
 * file is never whole in memory (thu-tuc.json's reader gives one record
 * at a time: a write and two clock reads each cost more than the record).
 * Stack: the file (a to-be-closed userdata, so that an error in the
 * reader closes it) at 4, the buffer's slot at 5, each string on top
 * while it is added to the buffer. */
#define WFILE_PIECE 65536
#define WRITE_COLLECT (1u << 20)   /* a string this large written: the collector steps */
static int
site_write(lua_State *L)
{
	const char *rel = check_relpath(L, 2);
	struct lhost *h = lhost_of(L);
	char *err;
	if (lua_type(L, 3) != LUA_TFUNCTION) {
		size_t len;
		const char *data = luaL_checklstring(L, 3, &len);
		double t = lhost_clock();
		int rc = output_write(h->site, rel, data, len, &err);
		lhost_exempt(h, t);
		if (rc != 0)
			goto fail;
		leach_wrote(h, rel);
		/* What made a large page (a template's pieces) is garbage by
		 * now, and young: a step of the collector frees it before the
		 * next page doubles it. The posting boards and listings at
		 * 10,000 procedures: peak 306 -> 247 MiB, no slower
		 * (bench/README.md, session 18). */
		if (len >= WRITE_COLLECT)
			lua_gc(L, LUA_GCSTEP, 0);
		return 0;
	}
	lua_settop(L, 3);
	int *fd = lua_newuserdatauv(L, sizeof *fd, 0);
	*fd = -1;
	if (luaL_newmetatable(L, "congkhai.wfile")) {
		lua_pushcfunction(L, wfile_close);
		lua_setfield(L, -2, "__close");
		lua_pushcfunction(L, wfile_close);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, 4);
	lua_toclose(L, 4);
	double t = lhost_clock();
	*fd = output_open(h->site, rel, &err);
	lhost_exempt(h, t);
	if (*fd < 0)
		goto fail;
	luaL_Buffer b;
	luaL_buffinitsize(L, &b, WFILE_PIECE);
	for (size_t total = 0;;) {
		lua_pushvalue(L, 3);
		lua_call(L, 0, 1);
		if (lua_isnil(L, -1) || (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) == 0)) {
			lua_pop(L, 1);
			break;
		}
		if (lua_type(L, -1) != LUA_TSTRING)
			return luaL_error(L, "site:write: the reader of '%s' returned a %s, not a string", rel,
			    luaL_typename(L, -1));
		if ((total += lua_rawlen(L, -1)) > h->mem_budget)
			return luaL_error(L, "site:write: '%s' is larger than %d MiB", rel, (int)(h->mem_budget >> 20));
		luaL_addvalue(&b);
		if (luaL_bufflen(&b) >= WFILE_PIECE && wfile_flush(h, *fd, rel, &b, &err) != 0)
			goto fail;
	}
	if (luaL_bufflen(&b) && wfile_flush(h, *fd, rel, &b, &err) != 0)
		goto fail;
	lua_closeslot(L, 4);
	leach_wrote(h, rel);
	return 0;
fail:
	lua_pushfstring(L, "site:write: %s", err);
	free(err);
	return lua_error(L);
}

/* site:append(relpath, data): data added to the end of the file, made
 * when it is not there; inside site:each, in item order (leach.c). */
static int
site_append(lua_State *L)
{
	const char *rel = check_relpath(L, 2);
	size_t len;
	const char *data = luaL_checklstring(L, 3, &len);
	struct lhost *h = lhost_of(L);
	char *err = NULL;
	double t = lhost_clock();
	int rc = h->site ? leach_append(h, rel, data, len, &err) : (err = xstrdup("no output is being built"), -1);
	lhost_exempt(h, t);
	if (rc == 0)
		return 0;
	lua_pushfstring(L, "site:append: %s", err);
	free(err);
	return lua_error(L);
}

static int
site_copy(lua_State *L)
{
	const char *src = check_relpath(L, 2), *dst = check_relpath(L, 3);
	struct lhost *h = lhost_of(L);
	char *data, *err;
	size_t len;
	if (!h->running || src[0] == '/' || strstr(src, "..") ||
	    plugin_read_any(h->running, src, &data, &len) != 0)
		return luaL_error(L, "site:copy: cannot read '%s'", src);
	double t = lhost_clock();
	int rc = output_write(h->site, dst, data, len, &err);
	lhost_exempt(h, t);
	free(data);
	if (rc != 0) {
		lua_pushfstring(L, "site:copy: %s", err);
		free(err);
		return lua_error(L);
	}
	leach_wrote(h, dst);
	return 0;
}

static int
site_link(lua_State *L)
{
	const char *url = luaL_checkstring(L, 2);
	if (url[0] == '/' && url[1] != '/')
		lua_pushfstring(L, "%s%s", lhost_of(L)->site->base_path, url + 1);
	else
		lua_pushstring(L, url);
	return 1;
}

/* Push s HTML-escaped. */
static void
push_escaped(lua_State *L, const char *s)
{
	size_t n;
	char *e = lapi_escape(s, strlen(s), &n);
	lua_pushlstring(L, e, n);
	free(e);
}

/* site:page(args): a whole HTML document around args.body (trusted HTML)
 * titled args.title: the theme's (site.theme.page, which the portal sets
 * in its setup) when there is one, else a bare document, so a plugin that
 * writes a page works with or without the portal. Stack: [site, args]. */
static int
site_page(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, 2, LUA_TTABLE);
	if (lua_getfield(L, 1, "theme") == LUA_TTABLE && lua_getfield(L, -1, "page") == LUA_TFUNCTION) {
		lua_pushvalue(L, 2);
		lua_call(L, 1, 1);
		if (!lua_isstring(L, -1))
			return luaL_error(L, "site.theme.page returned no string");
		return 1;
	}
	lua_settop(L, 2);
	lua_getfield(L, 2, "title");
	lua_getfield(L, 2, "body");
	const char *title = lua_isstring(L, 3) ? lua_tostring(L, 3) : "";
	const char *body = lua_isstring(L, 4) ? lua_tostring(L, 4) : "";
	lua_pushliteral(L, "<!DOCTYPE html>\n<html lang=\"");
	push_escaped(L, lhost_of(L)->site && lhost_of(L)->site->language ? lhost_of(L)->site->language : "vi");
	lua_pushliteral(L, "\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	push_escaped(L, title);
	lua_pushliteral(L, "</title>");
	int n = 5;                             /* pieces so far, from the doctype */
	if (lua_getfield(L, 2, "scripts") == LUA_TTABLE) {   /* site-relative paths, as the theme takes them */
		int list = lua_gettop(L);
		luaL_checkstack(L, 8, NULL);
		for (lua_Integer i = 1; lua_rawgeti(L, list, i) == LUA_TSTRING; i++) {
			const char *src = lua_tostring(L, -1);
			lua_pop(L, 1);
			lua_pushliteral(L, "<script defer src=\"");
			lua_pushfstring(L, "%s%s", lhost_of(L)->site ? lhost_of(L)->site->base_path : "/", src);
			push_escaped(L, lua_tostring(L, -1));
			lua_remove(L, -2);
			lua_pushliteral(L, "\"></script>");
			lua_concat(L, 3);
			lua_insert(L, list);
			list++;
			n++;
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	lua_pushliteral(L, "</head><body><main>");
	lua_pushstring(L, body);
	lua_pushliteral(L, "</main></body></html>\n");
	lua_concat(L, n + 3);
	return 1;
}

static int
site_absurl(lua_State *L)
{
	const char *url = luaL_checkstring(L, 2);
	if (strstr(url, "://"))
		lua_pushstring(L, url);
	else
		lua_pushfstring(L, "%s%s", lhost_of(L)->site->base_url, url + (url[0] == '/'));
	return 1;
}

static int
site_report(lua_State *L, int error)
{
	const char *msg = luaL_checkstring(L, 2);
	struct lhost *h = lhost_of(L);
	struct page *p = page_of(L, h->site, 3);
	char *who = p ? NULL : xasprintf("plugin %s", h->running ? h->running->name : "?");
	if (error)
		diag_error(&h->site->diag, p ? p->display : who, p ? 1 : 0, 1, "%s", msg);
	else
		diag_warn(&h->site->diag, p ? p->display : who, p ? 1 : 0, 1, "%s", msg);
	free(who);
	return 0;
}

static int site_warn(lua_State *L) { return site_report(L, 0); }
static int site_error(lua_State *L) { return site_report(L, 1); }

static const char *
page_state(struct site *s, struct page *p, const char *asof)
{
	const char *status = val_str(p->meta, "status"), *eff = val_str(p->meta, "effective");
	if (status && strcmp(status, "bãi bỏ") == 0)
		return "abolished";
	if (eff && strcmp(eff, asof) > 0)
		return "not-yet";
	(void)s;
	return "in-force";
}

/* A section's list items as records: {text, name, group, originals,
 * copies}; name is the text without its counts, group the "### " heading
 * above the list, the counts numbers or nil (dossier.h). */
static void
push_entries(lua_State *L, const char *body, const struct section *sec)
{
	lua_createtable(L, (int)sec->nitems, 0);
	for (size_t k = 0; k < sec->nitems; k++) {
		size_t len, glen;
		const char *it = section_item(body, sec, k, 0, &len), *g = section_item(body, sec, k, 1, &glen);
		struct dossier_counts c;
		lua_createtable(L, 0, 5);
		lua_pushlstring(L, it, len);
		dossier_counts(lua_tostring(L, -1), &c);
		lua_setfield(L, -2, "text");
		lua_pushlstring(L, it, c.name_len);
		lua_setfield(L, -2, "name");
		if (g) {
			lua_pushlstring(L, g, glen);
			lua_setfield(L, -2, "group");
		}
		if (c.originals >= 0) {
			lua_pushinteger(L, c.originals);
			lua_setfield(L, -2, "originals");
		}
		if (c.copies >= 0) {
			lua_pushinteger(L, c.copies);
			lua_setfield(L, -2, "copies");
		}
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
}

/* The bulky strings of pages and sections (html, text, intro; items and
 * entries) stay in the C page and are made when a plugin reads them, so
 * that the Lua state does not hold a second copy of every page: the table
 * has a metatable whose __index finds its C record in a weak map (the
 * closure's upvalue 1). A plugin that assigns such a field shadows it, as
 * with any table field; pairs() does not list them. */
/* In an __index(t, k) closure: t's C record, and the key in *k; NULL when
 * t has none or k is no string. */
static void *
lazy_record(lua_State *L, const char **k)
{
	*k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
	lua_pushvalue(L, 1);
	lua_rawget(L, lua_upvalueindex(1));
	void *r = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return *k ? r : NULL;
}

/* Push the body of pack k unpacked (page_body), as a userdata, so that no
 * error while it is read can leak it; return its bytes. Plugins read a
 * page's fields one after another, so the last body unpacked is kept in
 * the registry, its pack its user value: a page's sections are unpacked
 * once, not once a field. Packs live as long as the site's Lua state. */
static const char *
push_unpacked(lua_State *L, const struct pack *k)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, "congkhai.unpacked") == LUA_TUSERDATA) {
		lua_getiuservalue(L, -1, 1);                   /* [body, its pack] */
		const void *of = lua_touserdata(L, -1);
		lua_pop(L, 1);
		if (of == k)
			return lua_touserdata(L, -1);
	}
	lua_pop(L, 1);
	char *body = lua_newuserdatauv(L, pack_size(k) + 1, 1);
	pack_read(k, body);
	lua_pushlightuserdata(L, (void *)k);
	lua_setiuservalue(L, -2, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, "congkhai.unpacked");
	return body;
}

/* Push page p's lazy field k; 0 (nothing pushed) when k is none. */
static int
push_page_field(lua_State *L, const struct page *p, const char *k)
{
	if (strcmp(k, "html") != 0 && strcmp(k, "text") != 0 && strcmp(k, "intro") != 0)
		return 0;
	const char *body = push_unpacked(L, p->rendered);          /* [body] */
	if (strcmp(k, "html") == 0)
		push_owned(L, page_html(p, body));
	else if (strcmp(k, "text") == 0)
		push_owned(L, page_text(p, body));
	else
		lua_pushstring(L, page_part(body, p->intro_html));
	lua_remove(L, -2);                                         /* [field] */
	return 1;
}

static int
page_index(lua_State *L)
{
	const char *k;
	const struct page *p = lazy_record(L, &k);
	return p ? push_page_field(L, p, k) : 0;
}

/* The record lazy_bind bound the table at idx to under name, or NULL. */
static void *
lazy_of(lua_State *L, int idx, const char *name)
{
	idx = lua_absindex(L, idx);
	int top = lua_gettop(L);
	void *r = NULL;
	if (!lua_getmetatable(L, idx))        /* most tables: no metatable, no lookup */
		return NULL;
	if (lua_getfield(L, LUA_REGISTRYINDEX, name) == LUA_TTABLE && lua_rawequal(L, -1, -2) &&
	    lua_getfield(L, -1, "__index") == LUA_TFUNCTION && lua_getupvalue(L, -1, 1)) {
		lua_pushvalue(L, idx);
		lua_rawget(L, -2);              /* [mt, mt, index, map, record] */
		r = lua_touserdata(L, -1);
	}
	lua_settop(L, top);
	return r;
}

const struct page *
lapi_page(lua_State *L, int idx)
{
	return lazy_of(L, idx, "congkhai.page");
}

const struct section *
lapi_section(lua_State *L, int idx)
{
	return lazy_of(L, idx, "congkhai.section");
}

int
lapi_rawfield(lua_State *L, int idx, const char *k)
{
	idx = lua_absindex(L, idx);
	lua_pushstring(L, k);
	if (lua_rawget(L, idx) != LUA_TNIL)
		return lua_type(L, -1);
	lua_pop(L, 1);
	const struct page *p = lapi_page(L, idx);
	if (p && push_page_field(L, p, k))
		return LUA_TSTRING;
	lua_pushnil(L);
	return LUA_TNIL;
}

static void push_entries(lua_State *L, const char *body, const struct section *sec);

/* Push section sec's lazy field k, from its page's body; 0 (nothing
 * pushed) when k is none. */
static int
push_section_field(lua_State *L, const char *body, const struct section *sec, const char *k)
{
	if (strcmp(k, "html") == 0)
		lua_pushstring(L, page_part(body, sec->html));
	else if (strcmp(k, "text") == 0)
		lua_pushstring(L, page_part(body, sec->text));
	else if (strcmp(k, "items") == 0) {
		lua_createtable(L, (int)sec->nitems, 0);
		for (size_t i = 0; i < sec->nitems; i++) {
			size_t len;
			const char *it = section_item(body, sec, i, 0, &len);
			lua_pushlstring(L, it, len);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	} else if (strcmp(k, "entries") == 0)
		push_entries(L, body, sec);
	else
		return 0;
	return 1;
}

static int
section_index(lua_State *L)
{
	const char *k;
	const struct section *sec = lazy_record(L, &k);
	if (!sec)
		return 0;
	const char *body = push_unpacked(L, sec->body);
	int n = push_section_field(L, body, sec, k);
	lua_remove(L, -1 - n);
	return n;
}

/* Give the table on top the lazy metatable named name (made once, its
 * __index the function f), recording it as standing for record. */
static void
lazy_bind(lua_State *L, const char *name, lua_CFunction f, void *record)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, name) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_createtable(L, 0, 2);            /* the metatable */
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
		lua_createtable(L, 0, 0);            /* the weak map: table → record */
		lua_createtable(L, 0, 1);
		lua_pushliteral(L, "k");
		lua_setfield(L, -2, "__mode");
		lua_setmetatable(L, -2);
		lua_pushcclosure(L, f, 1);
		lua_setfield(L, -2, "__index");
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, name);
	}
	lua_getfield(L, -1, "__index");          /* [t, mt, index] */
	lua_getupvalue(L, -1, 1);                /* [t, mt, index, map] */
	lua_pushvalue(L, -4);
	lua_pushlightuserdata(L, record);
	lua_rawset(L, -3);
	lua_pop(L, 2);
	lua_setmetatable(L, -2);
}

static void
push_page(lua_State *L, struct site *s, struct page *p, const char *asof)
{
	lua_createtable(L, 0, 16);
	lua_pushstring(L, page_kind_names[p->kind]);
	lua_setfield(L, -2, "kind");
	lua_pushstring(L, p->path);
	lua_setfield(L, -2, "path");
	lua_pushstring(L, p->url);
	lua_setfield(L, -2, "url");
	lua_pushstring(L, p->slug);
	lua_setfield(L, -2, "slug");
	lua_pushstring(L, val_str(p->meta, "title") ? val_str(p->meta, "title") : "");
	lua_setfield(L, -2, "title");
	lapi_push_val(L, p->meta);
	lua_setfield(L, -2, "meta");
	lua_createtable(L, (int)p->nsections, 0);     /* sections */
	lua_createtable(L, 0, (int)p->nsections);     /* section */
	for (size_t i = 0; i < p->nsections; i++) {
		struct section *sec = &p->sections[i];
		lua_createtable(L, 0, 6);
		lua_pushstring(L, sec->title);
		lua_setfield(L, -2, "title");
		lua_pushstring(L, sec->id);
		lua_setfield(L, -2, "id");
		lua_pushboolean(L, sec->known);
		lua_setfield(L, -2, "known");
		lazy_bind(L, "congkhai.section", section_index, sec);   /* html, text, items, entries */
		lua_pushvalue(L, -1);
		lua_rawseti(L, -4, (lua_Integer)i + 1);
		lua_getfield(L, -2, sec->id);
		int dup = !lua_isnil(L, -1);
		lua_pop(L, 1);
		if (!dup)
			lua_setfield(L, -2, sec->id);
		else
			lua_pop(L, 1);
	}
	lua_setfield(L, -3, "section");
	lua_setfield(L, -2, "sections");
	if (p->kind == PAGE_PROCEDURE) {
		lua_pushstring(L, page_state(s, p, asof));
		lua_setfield(L, -2, "state");
	}
	if (p->history) {
		lapi_push_val(L, p->history);
		lua_setfield(L, -2, "history");
	}
}

/* Fill site[field] with the pages of one kind, ordered by cmp. */
static int
cmp_code(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	const char *cx = val_str(x->meta, "code"), *cy = val_str(y->meta, "code");
	int c = strcmp(cx ? cx : "", cy ? cy : "");
	return c ? c : strcmp(x->path, y->path);
}

static int
cmp_date_desc(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	const char *dx = val_str(x->meta, "date"), *dy = val_str(y->meta, "date");
	int c = strcmp(dy ? dy : "", dx ? dx : "");
	return c ? c : strcmp(x->path, y->path);
}

static int
cmp_menu(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	const struct val *mx = val_get(x->meta, "menu"), *my = val_get(y->meta, "menu");
	long long ax = mx && mx->type == V_INT ? mx->num : 1LL << 40;
	long long ay = my && my->type == V_INT ? my->num : 1LL << 40;
	if (ax != ay)
		return ax < ay ? -1 : 1;
	char *kx = text_sortkey(val_str(x->meta, "title") ? val_str(x->meta, "title") : "");
	char *ky = text_sortkey(val_str(y->meta, "title") ? val_str(y->meta, "title") : "");
	int c = strcmp(kx, ky);
	free(kx);
	free(ky);
	return c ? c : strcmp(x->path, y->path);
}

static void
push_list(lua_State *L, struct site *s, int pages_idx, enum page_kind kind,
    int (*cmp)(const void *, const void *), const char *field)
{
	struct page **v = xcalloc(s->npages + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i].kind == kind)
			v[n++] = &s->pages[i];
	qsort(v, n, sizeof *v, cmp);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, pages_idx, (lua_Integer)(v[i] - s->pages) + 1);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, field);
	free(v);
}

/* __index of the site table (upvalues: the host, the as-of day): the
 * as-of day is no field of the table but answered here, so that reading it
 * is counted (h->asof_reads; leach.c keeps the memo entry of an item that
 * read it for that day only). Every other absent key is nil. */
static int
site_index(lua_State *L)
{
	if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "asof") != 0)
		return 0;
	lhost_of(L)->asof_reads++;
	lua_pushvalue(L, lua_upvalueindex(2));
	return 1;
}

void
lapi_push_site(lua_State *L, struct lhost *h)
{
	struct site *s = h->site;
	char asof[11];
	site_asof_day(s, asof);
	lua_createtable(L, 0, 24);
	int site = lua_gettop(L);
	lapi_push_val(L, s->config);
	lua_setfield(L, site, "config");
	static const char *const copied[] = { "title", "organization", NULL };
	for (const char *const *k = copied; *k; k++) {
		lua_pushstring(L, val_str(s->config, *k));
		lua_setfield(L, site, *k);
	}
	lua_pushstring(L, s->language);
	lua_setfield(L, site, "language");
	lua_pushstring(L, s->base_url);
	lua_setfield(L, site, "base_url");
	lua_pushstring(L, s->base_path);
	lua_setfield(L, site, "base_path");
	lua_pushboolean(L, s->drafts);
	lua_setfield(L, site, "drafts");
	lua_createtable(L, (int)s->npages, 0);
	int pages = lua_gettop(L);
	for (size_t i = 0; i < s->npages; i++) {
		push_page(L, s, &s->pages[i], asof);
		lazy_bind(L, "congkhai.page", page_index, &s->pages[i]);   /* html, text, intro */
		lua_rawseti(L, pages, (lua_Integer)i + 1);
	}
	lua_pushvalue(L, pages);
	lua_setfield(L, site, "pages");
	lua_pushvalue(L, site);
	push_list(L, s, pages, PAGE_PROCEDURE, cmp_code, "procedures");
	push_list(L, s, pages, PAGE_ARTICLE, cmp_date_desc, "articles");
	push_list(L, s, pages, PAGE_PAGE, cmp_menu, "standing");
	lua_pop(L, 2);
	if (s->deleted)
		lapi_push_val(L, s->deleted);
	else
		lua_newtable(L);
	lua_setfield(L, site, "deleted");
	if (s->data)
		lapi_push_val(L, s->data);
	else
		lua_newtable(L);
	lua_setfield(L, site, "data");
	if (s->history_info) {
		lapi_push_val(L, s->history_info);
		lua_setfield(L, site, "history");
	}
	static const luaL_Reg methods[] = {
		{ "write", site_write }, { "append", site_append }, { "copy", site_copy }, { "link", site_link },
		{ "absurl", site_absurl }, { "warn", site_warn }, { "error", site_error },
		{ "page", site_page }, { "each", leach_site_each }, { NULL, NULL } };
	lua_pushlightuserdata(L, h);
	luaL_setfuncs(L, methods, 1);
	lua_createtable(L, 0, 2);             /* the metatable: locked, site.asof seen */
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pushlightuserdata(L, h);
	lua_pushstring(L, asof);
	lua_pushcclosure(L, site_index, 2);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, site);
}
