/*
 * ltemplate.c — templates compiled to Lua functions (docs/plugins.md).
 *
 *   {{ expr }}    the value, HTML-escaped        {{{ expr }}}  the value, raw
 *   {% stmt %}    Lua statements (-%} eats the newline after the tag)
 *   {# note #}    a comment
 *
 * The template becomes the body of `function(_ENV) ... end`, so names
 * resolve through a per-render environment: the context table, then
 * include(), then the congkhai functions and safe standard functions.
 * Templates are code: the generated chunk is loaded with the sandbox
 * environment of the plugin that compiles it as its _ENV, so text that
 * closes the function early still runs only inside that plugin's sandbox,
 * with that plugin's escape. Every newline of the template is kept in the
 * generated code, so Lua's error messages name the template file and its
 * line. Compiled files are cached per plugin and build in the registry.
 */
#include <stdlib.h>
#include <string.h>
#include "lhost.h"

/* Append s[0..n) as a Lua string literal that keeps newlines as newlines. */
static void
quote(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\\n");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\%03d", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

static int
count_lines(const char *s, size_t n)
{
	int k = 1;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* Translate the template into Lua source; NULL and *err on a syntax error. */
static char *
translate(const char *src, size_t len, const char *name, char **err)
{
	struct buf b = {0};
	buf_puts(&b, "local _esc, _raw, _concat = ... return function(_ENV) local _o, _n = {}, 0 ");
	size_t i = 0;
	while (i < len) {
		const char *open = NULL;
		for (size_t j = i; j + 1 < len; j++)
			if (src[j] == '{' && (src[j + 1] == '{' || src[j + 1] == '%' || src[j + 1] == '#')) {
				open = src + j;
				break;
			}
		size_t text_end = open ? (size_t)(open - src) : len;
		if (text_end > i) {
			buf_puts(&b, "_n=_n+1 _o[_n]=");
			quote(&b, src + i, text_end - i);
			buf_putc(&b, ' ');
		}
		if (!open)
			break;
		const char *close;
		size_t start = text_end;
		int raw = open[1] == '{' && start + 2 < len && open[2] == '{';
		const char *closer = raw ? "}}}" : open[1] == '{' ? "}}" : open[1] == '%' ? "%}" : "#}";
		size_t skip = raw ? 3 : 2;
		close = strstr(open + skip, closer);
		/* strstr stops at a NUL; templates are text */
		if (!close || (size_t)(close - src) > len) {
			*err = xasprintf("%s:%d: unclosed '%.*s'", name, count_lines(src, start),
			    (int)skip, open);
			buf_free(&b);
			return NULL;
		}
		const char *body = open + skip;
		size_t blen = (size_t)(close - body);
		i = (size_t)(close - src) + strlen(closer);
		if (open[1] == '#') {
			for (size_t k = 0; k < blen; k++)
				if (body[k] == '\n')
					buf_putc(&b, '\n');
		} else if (open[1] == '%') {
			int lead = blen > 0 && body[0] == '-';
			int eat = blen > (size_t)lead && body[blen - 1] == '-';
			buf_add(&b, body + lead, blen - lead - eat);
			buf_putc(&b, ' ');
			if (eat && i < len && src[i] == '\n') {
				buf_putc(&b, '\n');
				i++;
			}
		} else {
			buf_puts(&b, raw ? "_n=_n+1 _o[_n]=_raw(" : "_n=_n+1 _o[_n]=_esc(");
			buf_add(&b, body, blen);
			buf_puts(&b, ") ");
		}
	}
	buf_puts(&b, " return _concat(_o) end");
	return buf_steal(&b);
}

/* Lua glue: a render function over the compiled body (fn). */
static const char wrapper[] =
	"local fn, fallback, template_file, setmetatable = ...\n"
	"return function(ctx)\n"
	"  ctx = ctx or {}\n"
	"  local env = setmetatable({}, { __index = function(_, k)\n"
	"    local v = ctx[k]\n"
	"    if v ~= nil then return v end\n"
	"    if k == 'include' then\n"
	"      return function(name, c) return template_file(name)(c or ctx) end\n"
	"    end\n"
	"    return fallback[k]\n"
	"  end })\n"
	"  return fn(env)\n"
	"end\n";

static int l_template_file(lua_State *L);

/* The names p's templates see after their context: safe functions of p's
 * sandbox and p's congkhai functions. Built once per plugin. */
static void
push_fallback(lua_State *L, struct plugin *p)
{
	if (p->tnames_ref != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, p->tnames_ref);
		return;
	}
	static const char *const safe[] = {
		"ipairs", "pairs", "next", "select", "tostring", "tonumber", "type", "string",
		"table", "math", "utf8", "error", "assert", "pcall", "rawget", "rawlen", NULL };
	lua_newtable(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->env_ref);
	for (const char *const *n = safe; *n; n++) {
		lua_getfield(L, -1, *n);
		lua_setfield(L, -3, *n);
	}
	lua_pop(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->api_ref);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "congkhai");
	lapi_merge(L);
	lua_pushvalue(L, -1);
	p->tnames_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

int
template_compile(lua_State *L, struct plugin *p, const char *src, size_t len, const char *name)
{
	char *err = NULL, *code = translate(src, len, name, &err);
	if (!code) {
		lua_pushstring(L, err);
		free(err);
		return lua_error(L);
	}
	char *chunk = xasprintf("@%s", name);
	int rc = luaL_loadbufferx(L, code, strlen(code), chunk, "t");
	free(code);
	free(chunk);
	if (rc != LUA_OK)
		return lua_error(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->env_ref);   /* the chunk runs in p's sandbox */
	lua_setupvalue(L, -2, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->api_ref);
	lua_getfield(L, -1, "escape");
	lua_getfield(L, -2, "raw");
	lua_remove(L, -3);
	lua_getglobal(L, "table");
	lua_getfield(L, -1, "concat");
	lua_remove(L, -2);
	lua_call(L, 3, 1);                     /* → the body function */
	if (luaL_loadbufferx(L, wrapper, sizeof wrapper - 1, "=template", "t") != LUA_OK)
		return lua_error(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->env_ref);
	lua_setupvalue(L, -2, 1);
	lua_insert(L, -2);
	push_fallback(L, p);
	lua_pushlightuserdata(L, p);
	lua_pushcclosure(L, l_template_file, 1);
	lua_getglobal(L, "setmetatable");
	lua_call(L, 4, 1);                     /* → render(ctx) */
	return 1;
}

static int
l_template_file(lua_State *L)
{
	return template_file(L, lhost_plugin(L), luaL_checkstring(L, 1));
}

static int
l_compile_protected(lua_State *L)
{
	size_t n;
	const char *src = lua_tolstring(L, 1, &n);
	return template_compile(L, lua_touserdata(L, 3), src, n, lua_tostring(L, 2));
}

int
template_file(lua_State *L, struct plugin *p, const char *name)
{
	if (!name[0] || name[0] == '/' || strstr(name, ".."))
		return luaL_error(L, "template '%s': not a template name", name);
	struct site *s = p->host->site;
	char *rel = xasprintf("templates/%s", name), *data = NULL, *display = NULL, *key;
	size_t len;
	if (s && source_read(s->src, rel, &data, &len) == 0) {
		display = source_display(s->src, rel);
		key = xasprintf("%s:content:%s", p->name, rel);
	} else if (plugin_read(p, rel, &data, &len) == 0) {
		display = p->site_local ? xasprintf("%.*s/%s", (int)(strrchr(p->display, '/') - p->display),
		    p->display, rel) : xasprintf("%s/%s", p->dir, rel);
		key = xasprintf("%s:plugin:%s", p->name, rel);
	} else {
		free(rel);
		return luaL_error(L, "template '%s' not found in content/templates/ or the plugin '%s'",
		    name, p->name);
	}
	free(rel);
	if (lua_getfield(L, LUA_REGISTRYINDEX, "congkhai.tcache") != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, "congkhai.tcache");
	}
	if (lua_getfield(L, -1, key) == LUA_TFUNCTION) {
		free(data);
		free(display);
		free(key);
		lua_remove(L, -2);
		return 1;
	}
	lua_pop(L, 1);
	/* compile in protected mode so the strings here are freed on error */
	lua_pushcfunction(L, l_compile_protected);
	lua_pushlstring(L, data, len);
	lua_pushstring(L, display);
	lua_pushlightuserdata(L, p);
	free(data);
	free(display);
	if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
		free(key);
		return lua_error(L);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, key);
	free(key);
	lua_remove(L, -2);
	return 1;
}
