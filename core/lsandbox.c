/*
 * lsandbox.c — the environment a plugin runs in (SPEC §7).
 *
 * Each plugin gets a fresh table of safe globals. Missing on purpose:
 * os.execute and every other os function but time/date/clock/difftime,
 * io.popen and every io function but a read-only io.open confined to the
 * plugin's folder and the content tree, debug, package (so loadlib),
 * dofile, loadfile, string.dump, binary chunks in load. Reaching for a
 * forbidden name raises "sandbox: NAME is not allowed" at the plugin's
 * line. require() loads NAME.lua from the plugin's own folder only.
 * pcall and xpcall cannot catch a stop (a budget that ran out, memory).
 *
 * Nothing is shared that a plugin could change for another: the
 * environment, the library tables and the congkhai table are the
 * plugin's own; the metatables of strings, files and index collectors
 * are locked (getmetatable gives false). Every closure here carries its
 * plugin as upvalue 1. Owns nothing outside the Lua state.
 */
#include <stdlib.h>
#include <string.h>
#include "lhost.h"

static const char *const forbidden_globals[] = {
	"debug", "package", "dofile", "loadfile", "collectgarbage", "coroutine", NULL };

/* __index of a restricted table: forbidden names raise, others are nil. */
static int
deny_index(lua_State *L)
{
	const char *prefix = lua_tostring(L, lua_upvalueindex(1));
	const char *k = lua_tostring(L, 2);
	if (!k)
		return 0;
	return luaL_error(L, "sandbox: %s%s is not allowed", prefix, k);
}

/* __index of the environment: only known forbidden globals raise. */
static int
env_index(lua_State *L)
{
	const char *k = lua_tostring(L, 2);
	for (const char *const *f = forbidden_globals; k && *f; f++)
		if (strcmp(*f, k) == 0)
			return luaL_error(L, "sandbox: %s is not allowed", k);
	return 0;
}

static void
set_deny_meta(lua_State *L, const char *prefix)
{
	lua_newtable(L);
	lua_pushstring(L, prefix);
	lua_pushcclosure(L, deny_index, 1);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
}

/* ------------------------------------------------------------ io.open */

struct rfile { char *data; size_t len, pos; int closed; };

static struct rfile *
check_rfile(lua_State *L)
{
	struct rfile *f = luaL_checkudata(L, 1, "congkhai.file");
	if (f->closed)
		luaL_error(L, "attempt to use a closed file");
	return f;
}

static int
rfile_read(lua_State *L)
{
	struct rfile *f = check_rfile(L);
	const char *fmt = luaL_optstring(L, 2, "l");
	while (*fmt == '*')
		fmt++;
	if (f->pos >= f->len && *fmt != 'a') {
		lua_pushnil(L);
		return 1;
	}
	if (*fmt == 'a') {
		lua_pushlstring(L, f->data + f->pos, f->len - f->pos);
		f->pos = f->len;
	} else if (*fmt == 'l' || *fmt == 'L') {
		const char *s = f->data + f->pos, *nl = memchr(s, '\n', f->len - f->pos);
		size_t n = nl ? (size_t)(nl - s) : f->len - f->pos;
		lua_pushlstring(L, s, n + (*fmt == 'L' && nl));
		f->pos += n + (nl != NULL);
	} else
		return luaL_argerror(L, 2, "only \"a\", \"l\" and \"L\" are supported");
	return 1;
}

static int
rfile_lines_next(lua_State *L)
{
	lua_settop(L, 0);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushliteral(L, "l");
	return rfile_read(L);
}

static int
rfile_lines(lua_State *L)
{
	check_rfile(L);
	lua_pushvalue(L, 1);
	lua_pushcclosure(L, rfile_lines_next, 1);
	return 1;
}

static int
rfile_close(lua_State *L)
{
	struct rfile *f = luaL_checkudata(L, 1, "congkhai.file");
	if (!f->closed) {
		free(f->data);
		f->data = NULL;
		f->closed = 1;
	}
	lua_pushboolean(L, 1);
	return 1;
}

static int
sandbox_io_open(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	const char *mode = luaL_optstring(L, 2, "r");
	if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0)
		return luaL_error(L, "sandbox: io.open with mode '%s' is not allowed; write with site:write", mode);
	if (path[0] == '/' || strstr(path, ".."))
		return luaL_error(L, "sandbox: io.open('%s') is outside the plugin's folder and the content tree", path);
	char *data;
	size_t len;
	if (plugin_read_any(lhost_plugin(L), path, &data, &len) != 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s: No such file or directory", path);
		lua_pushinteger(L, 2);
		return 3;
	}
	struct rfile *f = lua_newuserdatauv(L, sizeof *f, 0);
	memset(f, 0, sizeof *f);
	f->data = data;
	f->len = len;
	luaL_setmetatable(L, "congkhai.file");
	return 1;
}

/* ------------------------------------------------------------ require */

static int
sandbox_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	struct plugin *p = lhost_plugin(L);
	if (strcmp(name, "congkhai") == 0) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, p->api_ref);
		return 1;
	}
	/* the plugin's own cache, kept as upvalue 2 */
	lua_getfield(L, lua_upvalueindex(2), name);
	if (!lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	if (strstr(name, "..") || strchr(name, '/') || name[0] == '.')
		return luaL_error(L, "sandbox: require('%s') is not allowed", name);
	char *rel = xasprintf("%s.lua", name);
	for (char *c = rel; *c; c++)
		if (*c == '.' && strcmp(c, ".lua") != 0)
			*c = '/';
	char *data;
	size_t len;
	if (plugin_read(p, rel, &data, &len) != 0) {
		free(rel);
		return luaL_error(L, "module '%s' not found in plugin '%s'", name, p->name);
	}
	char *chunk = xasprintf("@%s/%s", p->site_local ? p->display : p->dir, rel);
	char *slash = strrchr(chunk, '/');
	if (p->site_local && slash) {            /* display is ".../init.lua" */
		free(chunk);
		char *dir = xstrndup(p->display, (size_t)(strrchr(p->display, '/') - p->display));
		chunk = xasprintf("@%s/%s", dir, rel);
		free(dir);
	}
	int rc = luaL_loadbufferx(L, data, len, chunk, "t");
	free(data);
	free(rel);
	free(chunk);
	if (rc != LUA_OK)
		return lua_error(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->env_ref);
	lua_setupvalue(L, -2, 1);
	lua_pushstring(L, name);
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, lua_upvalueindex(2), name);
	return 1;
}

/* load() with text chunks only; the environment defaults to the plugin's. */
static int
sandbox_load(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "=(load)");
	int has_env = !lua_isnone(L, 4);
	if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (has_env)
		lua_pushvalue(L, 4);
	else
		lua_pushvalue(L, lua_upvalueindex(1));
	lua_setupvalue(L, -2, 1);
	return 1;
}

static int
sandbox_print(lua_State *L)
{
	int n = lua_gettop(L);
	struct plugin *p = lhost_plugin(L);
	luaL_checkstack(L, n, NULL);
	for (int i = 1; i <= n; i++)       /* first, as __tostring may raise */
		luaL_tolstring(L, i, NULL);
	struct buf b = {0};
	buf_printf(&b, "[%s] ", p->name);
	for (int i = 1; i <= n; i++) {
		buf_puts(&b, lua_tostring(L, n + i));    /* up to a NUL, as fputs did */
		buf_putc(&b, i < n ? '\t' : '\n');
	}
	if (n == 0)
		buf_putc(&b, '\n');
	if (p->host && p->host->site)
		diag_print(&p->host->site->diag, buf_cstr(&b));   /* kept in the build's log */
	else
		fputs(buf_cstr(&b), stderr);
	buf_free(&b);
	return 0;
}

/* pcall(f, ...) and xpcall(f, msgh, ...) that rethrow a stop. */
static int
rethrow_stop(lua_State *L, int status)
{
	void *ud;
	lua_getallocf(L, &ud);
	const struct lhost *h = ud;
	if (status != LUA_OK && h->stopped && h->running)
		return lhost_raise_stop(L, h);     /* whatever a message handler made of it */
	if (status == LUA_ERRMEM)
		return lua_error(L);
	return 0;
}

int
sandbox_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	rethrow_stop(L, status);
	lua_pushboolean(L, status == LUA_OK);
	lua_insert(L, 1);
	return lua_gettop(L);
}

static int
sandbox_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 1);                   /* [f, msgh, args] → [msgh, f, args] */
	lua_copy(L, 2, 1);
	lua_replace(L, 2);
	int status = lua_pcall(L, n - 2, LUA_MULTRET, 1);
	rethrow_stop(L, status);
	lua_pushboolean(L, status == LUA_OK);
	lua_replace(L, 1);
	return lua_gettop(L);
}

/* setmetatable without finalizers: a __gc would run plugin code at any
 * allocation, outside its hook and its budget (even at lua_close). */
static int
sandbox_setmetatable(lua_State *L)
{
	if (lua_istable(L, 2) && (lua_pushliteral(L, "__gc"), lua_rawget(L, 2)) != LUA_TNIL)
		return luaL_error(L, "sandbox: __gc metamethods are not allowed");
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

/* Give the metatable of the value on top a __metatable field, so that
 * getmetatable() returns false and setmetatable() refuses. */
static void
lock_metatable(lua_State *L)
{
	if (lua_getmetatable(L, -1)) {
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
		lua_pop(L, 1);
	}
}

void
sandbox_init(lua_State *L)
{
	/* strings share the real string table as their metatable's __index */
	lua_getglobal(L, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_pushliteral(L, "");
	lock_metatable(L);
	lua_pop(L, 1);
	if (luaL_newmetatable(L, "congkhai.file")) {
		static const luaL_Reg m[] = {
			{ "read", rfile_read }, { "lines", rfile_lines }, { "close", rfile_close },
			{ "__gc", rfile_close }, { "__close", rfile_close }, { NULL, NULL } };
		luaL_setfuncs(L, m, 0);
		lua_pushvalue(L, -1);
		lua_setfield(L, -2, "__index");
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
	}
	lua_pop(L, 1);
}

static void
copy_fields(lua_State *L, const char *lib, const char *const *names)
{
	lua_newtable(L);
	lua_getglobal(L, lib);
	for (const char *const *n = names; *n; n++) {
		lua_getfield(L, -1, *n);
		lua_setfield(L, -3, *n);
	}
	lua_pop(L, 1);
}

/* Set env[name] to a C closure over p (and `extra` more upvalues on top). */
static void
set_closure(lua_State *L, int env, const char *name, lua_CFunction f, struct plugin *p, int extra)
{
	lua_pushlightuserdata(L, p);
	if (extra)
		lua_insert(L, -1 - extra);
	lua_pushcclosure(L, f, 1 + extra);
	lua_setfield(L, env, name);
}

void
sandbox_new_env(lua_State *L, struct plugin *p)
{
	static const char *const safe[] = {
		"assert", "error", "ipairs", "pairs", "next", "select",
		"tonumber", "tostring", "type", "rawequal", "rawget", "rawset", "rawlen",
		"getmetatable", "_VERSION", NULL };
	static const char *const os_ok[] = { "time", "date", "clock", "difftime", NULL };
	static const char *const libs[] = { "string", "table", "math", "utf8", NULL };
	lua_newtable(L);
	int env = lua_gettop(L);
	for (const char *const *n = safe; *n; n++) {
		lua_getglobal(L, *n);
		lua_setfield(L, env, *n);
	}
	lua_getglobal(L, "setmetatable");
	lua_pushcclosure(L, sandbox_setmetatable, 1);
	lua_setfield(L, env, "setmetatable");
	lua_pushcfunction(L, sandbox_pcall);
	lua_setfield(L, env, "pcall");
	lua_pushcfunction(L, sandbox_xpcall);
	lua_setfield(L, env, "xpcall");
	for (const char *const *l = libs; *l; l++) {
		/* a copy, so a plugin cannot change the library for others */
		lua_newtable(L);
		lua_getglobal(L, *l);
		lapi_merge(L);
		lua_setfield(L, env, *l);
	}
	copy_fields(L, "os", os_ok);
	set_deny_meta(L, "os.");
	lua_setfield(L, env, "os");
	lua_newtable(L);
	lua_pushlightuserdata(L, p);
	lua_pushcclosure(L, sandbox_io_open, 1);
	lua_setfield(L, -2, "open");
	set_deny_meta(L, "io.");
	lua_setfield(L, env, "io");
	lua_pushvalue(L, env);
	lua_pushcclosure(L, sandbox_load, 1);
	lua_setfield(L, env, "load");
	lua_newtable(L);                       /* require's cache */
	set_closure(L, env, "require", sandbox_require, p, 1);
	set_closure(L, env, "print", sandbox_print, p, 0);
	lapi_push_module(L, p);
	lua_pushvalue(L, -1);
	p->api_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_setfield(L, env, "congkhai");
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
	lua_newtable(L);
	lua_pushcfunction(L, env_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, env);
	p->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}
