/*
 * host.c — the Lua plugin host: which plugins run, where they come from,
 * loading them into their sandboxes and running their hooks (SPEC §7).
 *
 * One lua_State per build. Plugins are looked up in the site's plugins/
 * folder (read through the site's source, so `build --rev` reads
 * committed blobs), then in the built-in folder. Hooks run in phases:
 * every setup, then every page hook for each page in path order, then
 * every render, then every finish. A Lua error or a sandbox violation
 * stops the build with EXIT_INTERNAL and a message naming the plugin, its
 * file and line, with a traceback; site:error stops it with EXIT_CONTENT
 * once the hook returns. The state and every plugin record are freed
 * before returning.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lhost.h"

struct plugin *lhost_current;
struct site   *lhost_site;

static const char *const default_plugins[] = {
	"portal", "redirects", "changes", "feed", "sitemap", "robots", "search", NULL };
static const char *const hook_names[] = { "setup", "page", "render", "finish" };

/* ------------------------------------------------------------- files */

static int
read_fs(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*data = buf_steal(&b);
	return 0;
}

int
plugin_read(struct plugin *p, const char *rel, char **data, size_t *len)
{
	if (!output_safe_relpath(rel))
		return -1;
	if (p->site_local) {
		char *path = xasprintf("%s/%s", p->dir, rel);
		int rc = source_read(lhost_site->src, path, data, len);
		free(path);
		return rc;
	}
	char *path = xasprintf("%s/%s", p->dir, rel);
	char *real = realpath(path, NULL), *root = realpath(p->dir, NULL);
	int rc = -1;
	size_t n = root ? strlen(root) : 0;
	if (real && root && strncmp(real, root, n) == 0 && real[n] == '/')
		rc = read_fs(real, data, len);
	free(path);
	free(real);
	free(root);
	return rc;
}

int
lhost_read(const char *rel, char **data, size_t *len)
{
	if (lhost_current && plugin_read(lhost_current, rel, data, len) == 0)
		return 0;
	if (!output_safe_relpath(rel) || !lhost_site)
		return -1;
	return source_read(lhost_site->src, rel, data, len);
}

static int
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The built-in plugins' folder: $CONGKHAI_PLUGIN_PATH, a plugins/ folder
 * above the program (a build tree), or the installed share/ folder. */
static char *
builtin_dir(void)
{
	const char *env = getenv("CONGKHAI_PLUGIN_PATH");
	if (env && *env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = xstrdup(exe);
		for (int up = 0; up < 5; up++) {
			char *slash = strrchr(dir, '/');
			if (!slash || slash == dir)
				break;
			*slash = '\0';
			char *cand = xasprintf("%s/plugins/portal", dir);
			int ok = is_dir(cand);
			free(cand);
			if (ok) {
				char *r = xasprintf("%s/plugins", dir);
				free(dir);
				return r;
			}
			cand = xasprintf("%s/share/congkhai/plugins", dir);
			if (is_dir(cand)) {
				free(dir);
				return cand;
			}
			free(cand);
		}
		free(dir);
	}
	return xstrdup(CONGKHAI_DATADIR "/plugins");
}

/* ------------------------------------------------------------ errors */

static int
traceback(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg)
		msg = luaL_tolstring(L, 1, NULL);
	luaL_traceback(L, L, msg, 1);
	return 1;
}

static int
report_lua_error(lua_State *L, struct plugin *p)
{
	fprintf(stderr, tr("congkhai: error: plugin '%s' (%s) failed:"), p->name, p->display);
	fprintf(stderr, "\n%s\n", lua_tostring(L, -1));
	lua_pop(L, 1);
	return EXIT_INTERNAL;
}

/* Call the function below nargs arguments on the stack, with a traceback. */
static int
pcall_tb(lua_State *L, int nargs, int nres)
{
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, traceback);
	lua_insert(L, base);
	int rc = lua_pcall(L, nargs, nres, base);
	lua_remove(L, base);
	return rc;
}

/* ------------------------------------------------------------ loading */

static int
valid_name(const char *n)
{
	if (!*n)
		return 0;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '-' || *n == '_'))
			return 0;
	return 1;
}

static void
plugin_free(struct plugin *p)
{
	free(p->name);
	free(p->version);
	free(p->dir);
	free(p->display);
	val_free(p->options);
}

/* Find init.lua of NAME; fill p and its text. 0 found, -1 not found. */
static int
find_plugin(struct site *s, const char *name, const char *builtin, struct plugin *p,
    char **code, size_t *len)
{
	char *rel = xasprintf("plugins/%s/init.lua", name);
	if (source_read(s->src, rel, code, len) == 0) {
		p->site_local = 1;
		p->dir = xasprintf("plugins/%s", name);
		p->display = source_display(s->src, rel);
		free(rel);
		return 0;
	}
	free(rel);
	char *path = xasprintf("%s/%s/init.lua", builtin, name);
	if (read_fs(path, code, len) == 0) {
		p->dir = xasprintf("%s/%s", builtin, name);
		p->display = path;
		return 0;
	}
	free(path);
	return -1;
}

/* Load p's init.lua into its sandbox; keep env and module in the registry. */
static int
load_plugin(lua_State *L, struct plugin *p, const char *code, size_t len)
{
	char *chunk = xasprintf("@%s", p->display);
	int rc = luaL_loadbufferx(L, code, len, chunk, "t");
	free(chunk);
	if (rc != LUA_OK)
		return report_lua_error(L, p);
	sandbox_push_env(L, p);
	lua_pushvalue(L, -1);
	p->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_setupvalue(L, -2, 1);
	lhost_current = p;
	rc = pcall_tb(L, 0, 1);
	lhost_current = NULL;
	if (rc != LUA_OK)
		return report_lua_error(L, p);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		lua_pushfstring(L, "%s: init.lua must return a table of hooks", p->display);
		return report_lua_error(L, p);
	}
	lua_getfield(L, -1, "version");
	p->version = xstrdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "-");
	lua_pop(L, 1);
	p->mod_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return EXIT_OK;
}

/* The plugins site.yaml asks for, or the default set; load each. */
static int
load_all(lua_State *L, struct site *s, struct plugin **out, size_t *count)
{
	struct val *list = val_get(s->config, "plugins");
	char *builtin = builtin_dir();
	struct plugin *v = NULL;
	size_t n = 0, want = list && list->type == V_LIST ? list->n : 0;
	int explicit = list && list->type != V_NULL;
	int rc = EXIT_OK;
	char *disp = source_display(s->src, "site.yaml");
	if (explicit && list->type != V_LIST) {
		diag_error(&s->diag, disp, list->line, list->col, "'%s' must be %s, not %s", "plugins",
		    tr("a list"), tr(val_type_name(list->type)));
		rc = EXIT_CONTENT;
	}
	if (!explicit)
		for (want = 0; default_plugins[want]; want++)
			;
	for (size_t i = 0; rc == EXIT_OK && i < want; i++) {
		struct plugin p = {0};
		const struct val *e = explicit ? &list->kids[i] : NULL;
		const char *name = explicit ? NULL : default_plugins[i];
		if (e && e->type == V_STR)
			name = e->str;
		else if (e && e->type == V_MAP)
			name = val_str(e, "name");
		if (!name || !valid_name(name)) {
			diag_error(&s->diag, disp, e->line, e->col,
			    "a plugin entry must be a name or a mapping with 'name'");
			rc = EXIT_CONTENT;
			break;
		}
		p.name = xstrdup(name);
		p.options = val_new(V_MAP);
		for (size_t k = 0; e && e->type == V_MAP && k < e->n; k++)
			if (strcmp(e->kids[k].key, "name") != 0)
				val_copy(val_append(p.options), &e->kids[k]);
		char *code;
		size_t len;
		if (find_plugin(s, name, builtin, &p, &code, &len) != 0) {
			if (explicit) {
				diag_error(&s->diag, disp, e->line, e->col, "unknown plugin '%s'", name);
				rc = EXIT_CONTENT;
			}
			plugin_free(&p);
			continue;
		}
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n] = p;
		rc = load_plugin(L, &v[n], code, len);
		n++;
		free(code);
	}
	free(disp);
	free(builtin);
	*out = v;
	*count = n;
	return rc;
}

/* ------------------------------------------------------------ running */

/* Call hook h of p if it has one, with the arguments on the stack. */
static int
call_hook(lua_State *L, struct site *s, struct plugin *p, const char *h, int nargs)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->mod_ref);
	lua_getfield(L, -1, h);
	lua_remove(L, -2);
	if (!lua_isfunction(L, -1)) {
		lua_pop(L, 1 + nargs);
		return EXIT_OK;
	}
	lua_insert(L, -1 - nargs);
	int errors = s->diag.errors;
	lhost_current = p;
	int rc = pcall_tb(L, nargs, 0);
	lhost_current = NULL;
	if (rc != LUA_OK)
		return report_lua_error(L, p);
	return s->diag.errors > errors ? EXIT_CONTENT : EXIT_OK;
}

static int
run_phases(lua_State *L, struct site *s, struct plugin *v, size_t n, int site_idx)
{
	int rc = EXIT_OK;
	for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
		lua_pushvalue(L, site_idx);
		lapi_push_val(L, v[i].options);
		rc = call_hook(L, s, &v[i], "setup", 2);
	}
	lua_getfield(L, site_idx, "pages");
	int pages = lua_gettop(L);
	lua_Integer np = (lua_Integer)lua_rawlen(L, pages);
	for (lua_Integer k = 1; rc == EXIT_OK && k <= np; k++)
		for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
			lua_rawgeti(L, pages, k);
			lua_pushvalue(L, site_idx);
			rc = call_hook(L, s, &v[i], "page", 2);
		}
	lua_pop(L, 1);
	static const char *const last[] = { "render", "finish" };
	for (size_t h = 0; h < 2; h++)
		for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
			lua_pushvalue(L, site_idx);
			rc = call_hook(L, s, &v[i], last[h], 1);
		}
	return rc;
}

static lua_State *
new_state(struct site *s)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	sandbox_init(L);
	lhost_site = s;
	return L;
}

static void
close_state(lua_State *L, struct plugin *v, size_t n)
{
	lua_close(L);
	for (size_t i = 0; i < n; i++)
		plugin_free(&v[i]);
	free(v);
	lhost_site = NULL;
	lhost_current = NULL;
}

int
plugins_run(struct site *s)
{
	lua_State *L = new_state(s);
	struct plugin *v;
	size_t n;
	int rc = load_all(L, s, &v, &n);
	if (rc == EXIT_OK) {
		lapi_push_site(L, s);
		rc = run_phases(L, s, v, n, lua_gettop(L));
	}
	close_state(L, v, n);
	return rc;
}

int
plugins_list(struct site *s)
{
	lua_State *L = new_state(s);
	struct plugin *v;
	size_t n;
	int rc = load_all(L, s, &v, &n);
	for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
		printf("%-10s %-8s %-9s %s\n", v[i].name, v[i].version,
		    v[i].site_local ? "site" : "built-in", v[i].display);
		printf("%-10s hooks:", "");
		lua_rawgeti(L, LUA_REGISTRYINDEX, v[i].mod_ref);
		int any = 0;
		for (size_t h = 0; h < sizeof hook_names / sizeof *hook_names; h++) {
			lua_getfield(L, -1, hook_names[h]);
			if (lua_isfunction(L, -1)) {
				printf(" %s", hook_names[h]);
				any = 1;
			}
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		printf("%s\n", any ? "" : " -");
	}
	if (rc != EXIT_OK)
		diag_summary(&s->diag);
	close_state(L, v, n);
	return rc;
}
