/* The Lua host: sandbox (each forbidden call), templates, escaping, json,
 * date, number. Runs snippets in a plugin environment without a site. */
#include "unit.h"
#include "lhost.h"

static lua_State *L;
static struct plugin plug = { .name = "t", .dir = "/nonexistent", .display = "t/init.lua" };

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
	sandbox_push_env(L, &plug);
	lua_setupvalue(L, -2, 1);
	lhost_current = &plug;
	int rc = lua_pcall(L, 0, 1, 0);
	lhost_current = NULL;
	snprintf(out, sizeof out, "%s%s", rc == LUA_OK ? "" : "error: ",
	    lua_tostring(L, -1) ? lua_tostring(L, -1) : "(nil)");
	lua_pop(L, 1);
	return out;
}

static int
setup(void **st)
{
	L = luaL_newstate();
	luaL_openlibs(L);
	sandbox_init(L);
	return 0;
}

static int
teardown(void **st)
{
	lua_close(L);
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

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_forbidden), cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_escape), cmocka_unit_test(test_templates),
		cmocka_unit_test(test_module),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
