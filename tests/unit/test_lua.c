/* The Lua host: sandbox (each forbidden call), templates, escaping, json,
 * date, number. Runs snippets in a plugin environment without a site. */
#include "unit.h"
#include <unistd.h>
#include "lhost.h"

static lua_State *L;
static struct lhost host;
static struct plugin plug = { .name = "t", .dir = "/nonexistent", .display = "t/init.lua",
	.host = &host, .tnames_ref = LUA_NOREF };

/* Run src in a sandboxed environment; return its string result or the error. */
static char out[4096];
static const char *
run(const char *src)
{
	if (luaL_loadbufferx(L, src, strlen(src), "=snippet", "t") != LUA_OK) {
		snprintf(out, sizeof out, "load: %s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return out;
	}
	sandbox_new_env(L, &plug);             /* a fresh plugin context per snippet */
	plug.tnames_ref = LUA_NOREF;
	lua_rawgeti(L, LUA_REGISTRYINDEX, plug.env_ref);
	lua_setupvalue(L, -2, 1);
	int rc = lhost_call(&plug, 0, 1, 0);
	snprintf(out, sizeof out, "%s%s", rc == LUA_OK ? "" : "error: ",
	    lua_tostring(L, -1) ? lua_tostring(L, -1) : "(nil)");
	lua_pop(L, 1);
	return out;
}

static int
setup(void **st)
{
	L = lhost_open(&host, NULL);
	return 0;
}

static int
teardown(void **st)
{
	lhost_close(&host);
	return 0;
}

static void
test_forbidden(void **st)
{
	static const char *const cases[][2] = {
		{ "os.execute('true')", "sandbox: os.execute is not allowed" },
		{ "os.exit(1)", "sandbox: os.exit is not allowed" },
		{ "os.remove('x')", "sandbox: os.remove is not allowed" },
		{ "os.getenv('HOME')", "sandbox: os.getenv is not allowed" },
		{ "io.popen('id')", "sandbox: io.popen is not allowed" },
		{ "io.lines('x')", "sandbox: io.lines is not allowed" },
		{ "io.write('x')", "sandbox: io.write is not allowed" },
		{ "debug.getinfo(1)", "sandbox: debug is not allowed" },
		{ "package.loadlib('a', 'b')", "sandbox: package is not allowed" },
		{ "dofile('x')", "sandbox: dofile is not allowed" },
		{ "loadfile('x')", "sandbox: loadfile is not allowed" },
		{ "return string.dump(print)", "attempt to call a nil value" },
		{ "return ('x').dump", "(nil)" },
		{ "io.open('x', 'w')", "sandbox: io.open with mode 'w' is not allowed" },
		{ "io.open('/etc/passwd')", "sandbox: io.open('/etc/passwd') is outside" },
		{ "io.open('../x')", "is outside the plugin's folder" },
		{ "require('../x')", "sandbox: require('../x') is not allowed" },
		{ "return load(string.char(27) .. 'Lua')", "(nil)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *r = run(cases[i][0]);
		if (!strstr(r, cases[i][1]))
			fail_msg("%s: got \"%s\", wanted \"%s\"", cases[i][0], r, cases[i][1]);
	}
}

static void
test_allowed(void **st)
{
	assert_string_equal(run("return tostring(math.max(1, 2)) .. string.upper('a') .. #table.pack(1, 2)"), "2A2");
	assert_string_equal(run("return type(os.time())"), "number");
	assert_string_equal(run("local f = load('return 1 + 1'); return tostring(f())"), "2");
	assert_string_equal(run("x = 1; return tostring(rawget(_G, 'x'))"), "1");
	/* one plugin's globals and library changes don't reach another */
	run("string.upper = nil; leaked = true");
	assert_string_equal(run("return tostring(leaked) .. string.upper('b')"), "nilB");
}

static void
test_escape(void **st)
{
	size_t n;
	char *e = lapi_escape("<a href=\"x\">'&'</a>", 19, &n);
	assert_string_equal(e, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	free(e);
	assert_string_equal(run("return congkhai.escape(nil) .. congkhai.escape(3.0) .. congkhai.escape(12)"), "312");
}

static void
test_templates(void **st)
{
	assert_string_equal(run("return congkhai.template('<p>{{ x }}</p>')({ x = '<b>' })"), "<p>&lt;b&gt;</p>");
	assert_string_equal(run("return congkhai.template('{{{ x }}}')({ x = '<b>' })"), "<b>");
	assert_string_equal(run("return congkhai.template('{% for _, v in ipairs(l) do %}[{{ v }}]{% end %}')({ l = {1, 2} })"), "[1][2]");
	assert_string_equal(run("return congkhai.template('{% if a then %}y{% else %}n{% end %}{# hidden #}')({})"), "n");
	assert_string_equal(run("return congkhai.template('{{ missing }}|{{ number(1234567) }}|{{ date(\"2023-07-13\") }}')({})"),
	    "|1.234.567|13/07/2023");
	assert_string_equal(run("return congkhai.template('{% local x = 2 -%}\\n{{ x }}')({})"), "2");
	assert_string_equal(run("return congkhai.template('a\\\"b\\\\c')({})"), "a\"b\\c");
	const char *r = run("return congkhai.template('line1\\nline2\\n{{ nil .. 1 }}', 'page.html')({})");
	assert_non_null(strstr(r, "page.html:3:"));
	r = run("return congkhai.template('x\\n{{ y', 'bad.html')");
	assert_non_null(strstr(r, "bad.html:2: unclosed '{{'"));
	/* a template cannot escape the sandbox either */
	r = run("return congkhai.template('{{ os.execute(\"true\") }}')({})");
	assert_non_null(strstr(r, "attempt to index a nil value"));
}

static void
test_module(void **st)
{
	assert_string_equal(run("return congkhai.json({ b = 1, a = { true, 'x\"<' }, c = {} })"),
	    "{\"a\":[true,\"x\\\"\\u003c\"],\"b\":1,\"c\":[]}");
	assert_non_null(strstr(run("local t = {}; t.t = t; return congkhai.json(t)"), "nested too deeply"));
	assert_string_equal(run("return congkhai.date('2023-07-13', 'long')"), "ngày 13 tháng 7 năm 2023");
	assert_string_equal(run("return congkhai.date('2023-07-13', 'month')"), "tháng 7/2023");
	assert_string_equal(run("return congkhai.date(0, 'rfc3339')"), "1970-01-01T00:00:00Z");
	assert_non_null(strstr(run("return congkhai.date('2023-02-30')"), "a date YYYY-MM-DD"));
	assert_string_equal(run("return congkhai.number(50000) .. ' ' .. congkhai.number(-1000) .. ' ' .. congkhai.number(999)"),
	    "50.000 -1.000 999");
	assert_string_equal(run("return congkhai.slug('Đăng ký khai sinh') .. '|' .. congkhai.fold('ĐƯỜNG Bộ')"),
	    "dang-ky-khai-sinh|duong bo");
	assert_string_equal(run("return tostring(congkhai.sortkey('Đất') > congkhai.sortkey('Dân'))"), "true");
	assert_string_equal(run("return require('congkhai').version"), CONGKHAI_VERSION);
}

/* congkhai.digest: equal values, however their tables were made (a list
 * built backwards lives in the hash part), give one digest; a change
 * anywhere gives another; what cannot be hashed is an error. */
static void
test_digest(void **st)
{
	static const struct { const char *a, *b; int same; } cases[] = {
		{ "{ 'a', 'b', 'c' }", "(function() local t = {}; t[3] = 'c'; t[2] = 'b'; t[1] = 'a'; return t end)()", 1 },
		{ "{ x = 1, y = { 2, 3 }, [true] = 'b', [1.5] = 0 }", "{ [1.5] = 0, [true] = 'b', y = { 2, 3 }, x = 1 }", 1 },
		{ "{ 1, 2, n = 'x' }", "{ n = 'x', [2] = 2, [1] = 1 }", 1 },
		{ "{ 1, nil, 3 }", "{ [3] = 3, [1] = 1 }", 1 },
		{ "{ [1] = 'a', [3] = 'c' }", "(function() local t = { 'a', 'b', 'c' }; t[2] = nil; return t end)()", 1 },
		{ "{ {}, {} }", "{ {}, {} }", 1 },
		{ "{ 'a', 'b' }", "{ 'b', 'a' }", 0 },
		{ "{ 1, 2 }", "{ 1, 2, 3 }", 0 },
		{ "{ 1, 2 }", "{ [1] = 1, [3] = 2 }", 0 },
		{ "{ 1 }", "{ 1.0 }", 0 },
		{ "{ x = { y = { z = 'a' } } }", "{ x = { y = { z = 'b' } } }", 0 },
		{ "{ a = 'bc' }", "{ ab = 'c' }", 0 },
		{ "'x', 'y'", "'xy'", 0 },
		{ "{ string.rep('a', 5000), 'b' }", "{ string.rep('a', 5000), 'c' }", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char src[512], a[80];
		snprintf(src, sizeof src, "return congkhai.digest(%s)", cases[i].a);
		snprintf(a, sizeof a, "%s", run(src));
		assert_int_equal(strlen(a), 64);
		snprintf(src, sizeof src, "return congkhai.digest(%s)", cases[i].b);
		if (cases[i].same)
			assert_string_equal(run(src), a);
		else
			assert_string_not_equal(run(src), a);
	}
	assert_non_null(strstr(run("local t = { 1 }; t[2] = { t }; return congkhai.digest(t)"), "holds itself"));
	assert_non_null(strstr(run("return congkhai.digest({ f = print })"), "cannot digest a function"));
	assert_non_null(strstr(run("local t = {}; for i = 1, 70 do t = { t } end; return congkhai.digest(t)"),
	    "nested deeper"));
	assert_non_null(strstr(run("return congkhai.digest({ [{}] = 1 })"), "a table key of type table"));
	/* a table met twice, not inside itself, is no cycle */
	assert_int_equal(strlen(run("local s = { 1 }; return congkhai.digest({ s, s, { s } })")), 64);
}

/* Issue 8: text in a template that closes the generated function runs in
 * the compiling plugin's sandbox, not at chunk level with real globals. */
static void
test_template_escape(void **st)
{
	static const char *const cases[][2] = {
		{ "{% end and os.execute('id > /tmp/congkhai-pwned') and function(_ENV) local _o, _n = {}, 0 %}",
		  "sandbox: os.execute is not allowed" },
		{ "{% end and debug.getinfo(1) and function(_ENV) local _o, _n = {}, 0 %}",
		  "sandbox: debug is not allowed" },
		{ "{% end and package.loadlib('x', 'y') and function(_ENV) local _o, _n = {}, 0 %}",
		  "sandbox: package is not allowed" },
		{ "{% end and io.popen('id') and function(_ENV) local _o, _n = {}, 0 %}",
		  "sandbox: io.popen is not allowed" },
	};
	char src[512];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(src, sizeof src, "local ok, e = pcall(congkhai.template, [==[%s]==]) "
		    "if ok then return tostring(e({})) else return tostring(e) end", cases[i][0]);
		const char *r = run(src);
		if (!strstr(r, cases[i][1]))
			fail_msg("%s: got \"%s\", wanted \"%s\"", cases[i][0], r, cases[i][1]);
	}
	assert_int_equal(access("/tmp/congkhai-pwned", F_OK), -1);
	/* {%-%}: a tag that is only the trim marks */
	assert_string_equal(run("return congkhai.template('a{%-%}b')({})"), "ab");
	assert_string_equal(run("return congkhai.template('{%--%}')({})"), "");
}

/* Issue 8: memory safety of the module under hostile metatables and values. */
static void
test_hostile_values(void **st)
{
	/* ix:add re-entered from __index of the page it is reading */
	assert_string_equal(run(
	    "local ix = congkhai.index() local n = 0 "
	    "local p = setmetatable({ url = '/a/', title = 'A', text = 'x' }, { __index = function(t, k) "
	    "  n = n + 1 for i = 1, 50 do ix:add({ url = '/b' .. i .. '/', title = 'B', text = '' }) end end }) "
	    "ix:add(p) return tostring(n)"), "0");
	/* json walks raw: __index that empties the table never runs */
	assert_string_equal(run(
	    "local t = setmetatable({ a = 'x', b = 'y', c = 'z' }, { __index = function(t, k) "
	    "  for kk in pairs(t) do rawset(t, kk, nil) end collectgarbage() end }) "
	    "return congkhai.json({ t = t, u = t })"),
	    "{\"t\":{\"a\":\"x\",\"b\":\"y\",\"c\":\"z\"},\"u\":{\"a\":\"x\",\"b\":\"y\",\"c\":\"z\"}}");
	/* dates out of range, in both languages */
	i18n_set_language("en");
	assert_non_null(strstr(run("return congkhai.date(math.maxinteger, 'long')"), "between the years 1 and 9999"));
	assert_non_null(strstr(run("return congkhai.date(math.mininteger, 'month')"), "between the years 1 and 9999"));
	assert_string_equal(run("return congkhai.date(253402300799, 'long')"), "31 December 9999");
	i18n_set_language("vi");
	assert_non_null(strstr(run("return congkhai.date(2^62)"), "between the years 1 and 9999"));
}

/* Issue 8: one plugin cannot change what another sees. */
static void
test_isolation(void **st)
{
	/* the string metatable is locked: no hijacking string methods */
	assert_string_equal(run("return tostring(getmetatable(''))"), "false");
	assert_non_null(strstr(run("getmetatable('').__index = { upper = function() return 'evil' end }"),
	    "attempt to index a boolean value"));
	assert_string_equal(run("string.upper = function() return 'evil' end return ('a'):upper()"), "A");
	/* rawset on one plugin's congkhai leaves the next plugin's escape alone */
	run("rawset(congkhai, 'escape', tostring) rawset(congkhai, 'template', nil)");
	assert_string_equal(run("return congkhai.template('{{ x }}')({ x = '<b>' })"), "&lt;b&gt;");
	/* the file metatable is locked too */
	assert_string_equal(run("return tostring(getmetatable(congkhai.index()))"), "false");
}

/* Issue 8: budgets. Stops cannot be caught by pcall or xpcall. */
static void
test_budgets(void **st)
{
	host.seconds = 0.3;
	const char *r = run("while true do end");
	if (!strstr(r, "ran out of time"))
		fail_msg("got %s", r);
	assert_non_null(strstr(run("while true do pcall(function() while true do end end) end"), "ran out of time"));
	assert_non_null(strstr(run("local s = 0 while true do xpcall(function() while true do s = s + 1 end end, "
	    "function() return 'caught' end) end"), "ran out of time"));
	assert_non_null(strstr(run("local s = ('x'):rep(1000) while true do s:gsub('x', 'y') end"), "ran out of time"));
	host.seconds = LHOST_SECONDS;
	size_t limit = host.mem_limit;
	host.mem_limit = host.mem + (64u << 20);
	r = run("local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1e6) .. i end");
	if (!strstr(r, "ran out of memory"))
		fail_msg("got %s", r);
	r = run("local ok = pcall(string.rep, 'x', 1 << 30) return 'caught'");
	if (!strstr(r, "ran out of memory"))
		fail_msg("got %s", r);
	assert_non_null(strstr(run("while true do pcall(string.rep, 'x', 1 << 30) end"), "ran out of memory"));
	host.mem_limit = limit;
	/* finalizers would run outside any hook's budget */
	assert_non_null(strstr(run("setmetatable({}, { __gc = function() while true do end end })"),
	    "sandbox: __gc metamethods are not allowed"));
	assert_string_equal(run("local mt = {} setmetatable({}, mt) mt.__gc = function() end return 'ok'"), "ok");
	host.seconds = 0.3;
	r = run("do local x <close> = setmetatable({}, { __close = function() while true do end end }) "
	    "while true do end end");
	if (!strstr(r, "ran out of time"))
		fail_msg("got %s", r);
	host.seconds = LHOST_SECONDS;
	/* the state is still usable after a stop */
	assert_string_equal(run("return tostring(1 + 1)"), "2");
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_forbidden), cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_escape), cmocka_unit_test(test_templates),
		cmocka_unit_test(test_module), cmocka_unit_test(test_template_escape),
		cmocka_unit_test(test_hostile_values), cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_budgets), cmocka_unit_test(test_digest),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
