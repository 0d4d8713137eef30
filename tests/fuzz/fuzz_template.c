/*
 * fuzz_template.c — template text compiled and rendered in a plugin's
 * sandbox (ltemplate.c, lsandbox.c, lapi.c), with small budgets: whatever
 * the text, it must end with a result or a Lua error, never a crash, an
 * escape from the sandbox or a hang.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lhost.h"
#include "fuzz.h"

static struct lhost host;
static struct plugin plug = { .name = "fuzz", .dir = "/nonexistent", .display = "fuzz/init.lua",
	.host = &host, .tnames_ref = LUA_NOREF };

static const char runner[] =
	"local src = ...\n"
	"local f = congkhai.template(src, 'fuzz.html')\n"
	"return f({ x = '<b>', n = 3, list = { 1, 'a', { k = 'v' } }, t = { a = 'A' } })\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	lhost_open(&host, NULL);
	host.seconds = 0.5;
	host.mem_limit = host.mem + (64u << 20);
	sandbox_new_env(host.L, &plug);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lua_State *L = host.L;
	if (luaL_loadbufferx(L, runner, sizeof runner - 1, "=runner", "t") != LUA_OK)
		abort();
	lua_rawgeti(L, LUA_REGISTRYINDEX, plug.env_ref);
	lua_setupvalue(L, -2, 1);
	lua_pushlstring(L, (const char *)data, size);
	lhost_call(&plug, 1, 1, 0);
	lua_settop(L, 0);
	if (access("/tmp/congkhai-fuzz-pwned", F_OK) == 0)
		abort();                           /* something escaped the sandbox */
	lua_gc(L, LUA_GCCOLLECT);
	return 0;
}
