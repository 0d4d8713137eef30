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
 *
 * Budgets (SPEC §7): every call into plugin code runs with a CPU-time
 * deadline, and the state's allocator refuses to grow the heap past a
 * limit. A timer on the CPU clock of the thread running plugins signals
 * it at the deadline, and the handler sets a hook that stops the plugin
 * on its next call or instruction (as lua.c stops a script on SIGINT):
 * no hook runs before, as Lua's count hook costs on every instruction
 * (bench/README.md, session 17). Without a timer, a hook on calls and
 * every LHOST_TICK instructions reads the clock instead. Either
 * stops the hook with exit 3; sandbox_pcall lets no plugin catch that. A
 * hook cannot stop one C call that runs on (a pathological pattern in
 * string.find): during a build a watchdog thread ends the process, exit 3,
 * LHOST_GRACE seconds past the deadline; the next build removes the
 * temporary tree.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "confine.h"
#include "lhost.h"

#define LHOST_TICK 1000     /* instructions between budget checks, without a timer */

static const char *const default_plugins[] = {
	"portal", "results", "redirects", "changes", "feed", "opendata", "lobby", "sitemap", "robots", "search", NULL };
static const char *const hook_names[] = { "setup", "page", "render", "finish", NULL };

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
		if (!p->host->site)
			return -1;
		char *path = xasprintf("%s/%s", p->dir, rel);
		int rc = source_read(p->host->site->src, path, data, len);
		free(path);
		return rc;
	}
	return confine_read_path(p->dir, rel, MAX_FILE_SIZE * 4, data, len);
}

int
plugin_read_any(struct plugin *p, const char *rel, char **data, size_t *len)
{
	if (plugin_read(p, rel, data, len) == 0)
		return 0;
	if (!output_safe_relpath(rel) || !p->host->site)
		return -1;
	return source_read(p->host->site->src, rel, data, len);
}

static int
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The built-in plugins' folder: $CONGKHAI_PLUGIN_PATH, a plugins/ folder
 * above the program (a build tree), or the installed share/ folder. */
char *
plugins_builtin_dir(void)
{
	const char *env = getenv(LHOST_ENV_PLUGINS);
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

/* ------------------------------------------------------------ budgets */

double
lhost_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
lhost_exempt(struct lhost *h, double since)
{
	double spent = lhost_clock() - since;
	if (!h->running || spent <= 0)
		return;
	h->deadline += spent;
	if (atomic_load(&h->watched_ns))
		atomic_store(&h->watched_ns, (long long)(h->deadline * 1e9));
}

int
lhost_raise_stop(lua_State *L, const struct lhost *h)
{
	if (h->stopped == 2)
		return luaL_error(L, "sandbox: plugin '%s' ran out of memory: the plugins may use "
		    "%d MiB beyond the site's pages", h->running->name, (int)(h->mem_budget >> 20));
	char secs[32];
	snprintf(secs, sizeof secs, "%g", h->seconds);
	return luaL_error(L, "sandbox: plugin '%s' ran out of time: a hook may use %s s of CPU "
	    "(an endless loop?)", h->running->name, secs);
}

/* The budget's signal, from the timer of lhost_time to the thread
 * running plugins: its handler only sets the hook, which Lua allows in a
 * signal handler; h comes with the signal. */
#define LHOST_SIGNAL SIGVTALRM
#ifndef sigev_notify_thread_id           /* glibc before 2.35 names it so */
#define sigev_notify_thread_id _sigev_un._tid
#endif

static void budget_hook(lua_State *L, lua_Debug *ar);

/* The hook on the next call or instruction: the deadline has come, or a
 * stop is to be raised. */
static void
budget_now(lua_State *L)
{
	lua_sethook(L, budget_hook, LUA_MASKCALL | LUA_MASKCOUNT, 1);
}

static void
budget_signal(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	struct lhost *h = si->si_code == SI_TIMER ? si->si_value.sival_ptr : NULL;
	if (h && h->L)
		budget_now(h->L);
}

/* With a timer: the timer at CPU time at (its thread's), or stopped (at
 * 0), and no hook until it fires. Without one, nothing: the polling
 * hook stays. */
static void
budget_set(struct lhost *h, double at)
{
	if (!h->timed)
		return;
	lua_sethook(h->L, NULL, 0, 0);
	struct itimerspec t = {0};
	if (at > 0) {
		t.it_value.tv_sec = (time_t)at;
		t.it_value.tv_nsec = (long)((at - (double)t.it_value.tv_sec) * 1e9);
		if (t.it_value.tv_sec == 0 && t.it_value.tv_nsec == 0)
			t.it_value.tv_nsec = 1;
	}
	timer_settime(h->timer, TIMER_ABSTIME, &t, NULL);
}

void
lhost_time(struct lhost *h)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = budget_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = LHOST_SIGNAL;
	ev.sigev_value.sival_ptr = h;
	ev.sigev_notify_thread_id = gettid();
	h->timed = sigaction(LHOST_SIGNAL, &sa, NULL) == 0 &&
	    timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &h->timer) == 0;
	if (!h->timed)
		lua_sethook(h->L, budget_hook, LUA_MASKCALL | LUA_MASKCOUNT, LHOST_TICK);
	budget_set(h, h->running ? h->deadline : 0);
}

/* Past the deadline, raise. Set by the budget's signal (then on every
 * call and instruction) or, without a timer, on every 64 calls and every
 * LHOST_TICK instructions. A signal that came before the deadline
 * (lhost_exempt moved it on) sets the timer again. After a stop, Lua code
 * that still runs (a __close handler while unwinding) is stopped again on
 * its next tick; calls are let through so the traceback handler can run. */
static void
budget_hook(lua_State *L, lua_Debug *ar)
{
	void *ud;
	lua_getallocf(L, &ud);
	struct lhost *h = ud;
	if (!h->running) {
		budget_set(h, 0);          /* a signal after the call */
		return;
	}
	if (h->stopped) {
		if (ar->event == LUA_HOOKCOUNT)
			lhost_raise_stop(L, h);
		return;
	}
	if (!h->timed && ar->event != LUA_HOOKCOUNT && (++h->calls & 63) != 0)
		return;
	if (lhost_clock() > h->deadline) {
		h->stopped = 1;
		lhost_raise_stop(L, h);
	}
	budget_set(h, h->deadline);     /* a signal before it: lhost_exempt moved it on */
}

/* The allocator: counts the state's bytes and refuses to pass the limit. */
static void *
budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lhost *h = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		h->mem -= old;
		return NULL;
	}
	if (nsize > old && h->mem + (nsize - old) > h->mem_limit) {
		if (h->running) {
			h->stopped = 2;
			if (h->timed)              /* so that the stop is not caught */
				budget_now(h->L);
		}
		return NULL;
	}
	void *q = realloc(ptr, nsize);
	if (q)
		h->mem = h->mem - old + nsize;
	return q;
}

static double
env_number(const char *name, double dflt)
{
	const char *v = getenv(name);
	char *end;
	double x = v && *v ? strtod(v, &end) : 0;
	return v && *v && !*end && x > 0 ? x : dflt;
}

int
lhost_call(struct plugin *p, int nargs, int nres, int whole_site)
{
	struct lhost *h = p->host;
	lua_State *L = h->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, traceback);
	lua_insert(L, base);
	struct plugin *outer = h->running;
	double outer_deadline = h->deadline;
	if (!outer) {
		size_t pages = whole_site && h->site ? h->site->npages : 0;
		h->deadline = lhost_clock() + h->seconds + LHOST_SECONDS_PAGE * (double)pages;
		h->stopped = 0;
	}
	h->running = p;
	if (!outer) {
		atomic_store(&h->watched, p);
		atomic_store(&h->watched_ns, (long long)(h->deadline * 1e9));
		budget_set(h, h->deadline);
	}
	int rc = lua_pcall(L, nargs, nres, base);
	if (!outer) {
		atomic_store(&h->watched_ns, 0);
		budget_set(h, 0);
	}
	h->running = outer;
	if (!outer)                 /* a nested call keeps the deadline, moved on or not */
		h->deadline = outer_deadline;
	lua_remove(L, base);
	if (rc == LUA_ERRMEM || (rc != LUA_OK && h->stopped == 2)) {
		lua_pop(L, 1);
		lua_pushfstring(L, "sandbox: plugin '%s' ran out of memory: the plugins may use "
		    "%d MiB beyond the site's pages", p->name, (int)(h->mem_budget >> 20));
	}
	if (!outer)
		h->stopped = 0;
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

/* Load p's init.lua into its sandbox; keep the returned table. */
static int
load_plugin(lua_State *L, struct plugin *p, const char *code, size_t len)
{
	char *chunk = xasprintf("@%s", p->display);
	int rc = luaL_loadbufferx(L, code, len, chunk, "t");
	free(chunk);
	if (rc != LUA_OK)
		return report_lua_error(L, p);
	sandbox_new_env(L, p);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->env_ref);
	lua_setupvalue(L, -2, 1);
	if (lhost_call(p, 0, 1, 0) != LUA_OK)
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

/* The hooks and options a loaded plugin declares, against what it has and
 * what site.yaml gives it: a function that is not a hook (a misspelt one)
 * and an option it does not declare are content errors. */
static void
check_plugin(struct plugin *p, const char *disp)
{
	lua_State *L = p->host->L;
	struct site *s = p->host->site;
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->mod_ref);
	int mod = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, mod)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int hook = 0;
		for (size_t i = 0; k && hook_names[i]; i++)
			hook |= strcmp(k, hook_names[i]) == 0;
		if (k && !hook && lua_isfunction(L, -1)) {
			lua_Debug ar;
			lua_pushvalue(L, -1);
			lua_getinfo(L, ">S", &ar);
			const char *m = did_you_mean(k, hook_names);
			char *msg = m ? xasprintf(tr("unknown hook '%s'; did you mean '%s'?"), k, m) :
			    xasprintf(tr("unknown hook '%s': hooks are setup, page, render and finish "
			    "(keep helpers in local functions)"), k);
			diag_error(&s->diag, p->display, ar.linedefined > 0 ? ar.linedefined : 1, 1, "%s", msg);
			free(msg);
		}
		lua_pop(L, 1);
	}
	lua_getfield(L, mod, "options");
	int declared = lua_istable(L, -1);
	for (size_t i = 0; i < p->options->n; i++) {
		const struct val *o = &p->options->kids[i];
		int known = 0;
		if (declared) {
			lua_getfield(L, -1, o->key);
			known = !lua_isnil(L, -1);
			lua_pop(L, 1);
		}
		if (known)
			continue;
		char *names[32];
		size_t nn = 0;
		if (declared)
			for (lua_pushnil(L); lua_next(L, -2); lua_pop(L, 1))
				if (lua_type(L, -2) == LUA_TSTRING && nn < 31)
					names[nn++] = xstrdup(lua_tostring(L, -2));
		names[nn] = NULL;
		const char *m = did_you_mean(o->key, (const char *const *)names);
		if (!declared)
			diag_error(&s->diag, disp, o->key_line, o->key_col, "plugin '%s' takes no options", p->name);
		else if (m)
			diag_error(&s->diag, disp, o->key_line, o->key_col,
			    "plugin '%s' has no option '%s'; did you mean '%s'?", p->name, o->key, m);
		else
			diag_error(&s->diag, disp, o->key_line, o->key_col,
			    "plugin '%s' has no option '%s'", p->name, o->key);
		for (size_t k = 0; k < nn; k++)
			free(names[k]);
	}
	lua_pop(L, 2);
}

/* The entries of site.yaml's plugins list, "default" standing for the
 * default set; or the default set when there is no list. */
struct entry { const char *name; const struct val *e; };

static struct entry *
plugin_entries(struct site *s, const char *disp, size_t *count)
{
	struct val *list = val_get(s->config, "plugins");
	size_t ndef = 0;
	while (default_plugins[ndef])
		ndef++;
	size_t cap = ndef + (list && list->type == V_LIST ? list->n * ndef : 0) + 1, n = 0;
	struct entry *v = xcalloc(cap, sizeof *v);
	if (list && list->type != V_NULL && list->type != V_LIST)
		diag_error(&s->diag, disp, list->line, list->col, "'%s' must be %s, not %s", "plugins",
		    tr("a list"), tr(val_type_name(list->type)));
	if (!list || list->type != V_LIST) {
		for (size_t i = 0; i < ndef; i++)
			v[n++] = (struct entry){ default_plugins[i], NULL };
		*count = n;
		return v;
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct val *e = &list->kids[i];
		const char *name = e->type == V_STR ? e->str : e->type == V_MAP ? val_str(e, "name") : NULL;
		if (name && strcmp(name, "default") == 0 && e->type == V_STR) {
			for (size_t k = 0; k < ndef; k++)
				v[n++] = (struct entry){ default_plugins[k], NULL };
		} else if (!name || !valid_name(name))
			diag_error(&s->diag, disp, e->line, e->col,
			    "a plugin entry must be a name or a mapping with 'name'");
		else
			v[n++] = (struct entry){ name, e };
	}
	*count = n;
	return v;
}

/* The plugins site.yaml asks for, or the default set; load each and check
 * its hooks and options. Content errors (an unknown plugin, option or
 * hook) are all reported; a plugin that fails to load stops it (exit 3). */
static int
load_all(struct lhost *h, struct plugin **out, size_t *count)
{
	lua_State *L = h->L;
	struct site *s = h->site;
	char *builtin = plugins_builtin_dir();
	char *disp = source_display(s->src, "site.yaml");
	int errors = s->diag.errors, rc = EXIT_OK;
	size_t want, n = 0;
	struct entry *ents = plugin_entries(s, disp, &want);
	/* sized once: closures hold pointers to these records */
	struct plugin *v = xcalloc(want + 1, sizeof *v);
	for (size_t i = 0; rc == EXIT_OK && i < want; i++) {
		struct plugin p = { .host = h, .env_ref = LUA_NOREF, .api_ref = LUA_NOREF,
		    .mod_ref = LUA_NOREF, .tnames_ref = LUA_NOREF };
		const struct val *e = ents[i].e;
		p.name = xstrdup(ents[i].name);
		p.options = val_new(V_MAP);
		for (size_t k = 0; e && e->type == V_MAP && k < e->n; k++)
			if (strcmp(e->kids[k].key, "name") != 0)
				val_copy(val_append(p.options), &e->kids[k]);
		char *code;
		size_t len;
		if (find_plugin(s, p.name, builtin, &p, &code, &len) != 0) {
			const char *m = did_you_mean(p.name, default_plugins);
			if (e && m)
				diag_error(&s->diag, disp, e->line, e->col,
				    "unknown plugin '%s'; did you mean '%s'?", p.name, m);
			else if (e)
				diag_error(&s->diag, disp, e->line, e->col, "unknown plugin '%s'", p.name);
			plugin_free(&p);
			continue;
		}
		v[n] = p;
		rc = load_plugin(L, &v[n], code, len);
		free(code);
		if (rc == EXIT_OK)
			check_plugin(&v[n], disp);
		n++;
	}
	free(ents);
	free(disp);
	free(builtin);
	*out = v;
	*count = n;
	return rc == EXIT_OK && s->diag.errors > errors ? EXIT_CONTENT : rc;
}

/* The options a plugin's setup receives: its declared defaults, then what
 * site.yaml gives. Pushes a table. */
static void
push_options(lua_State *L, struct plugin *p)
{
	lua_newtable(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->mod_ref);
	if (lua_getfield(L, -1, "options") == LUA_TTABLE) {
		lua_remove(L, -2);
		lapi_merge(L);
	} else
		lua_pop(L, 2);
	lapi_push_val(L, p->options);
	lapi_merge(L);
}

/* ------------------------------------------------------------ running */

/* Call hook h of p if it has one, with the arguments on the stack. */
static int
call_hook(struct plugin *p, const char *h, int nargs)
{
	lua_State *L = p->host->L;
	struct site *s = p->host->site;
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->mod_ref);
	lua_getfield(L, -1, h);
	lua_remove(L, -2);
	if (!lua_isfunction(L, -1)) {
		lua_pop(L, 1 + nargs);
		return EXIT_OK;
	}
	lua_insert(L, -1 - nargs);
	int errors = s->diag.errors;
	if (lhost_call(p, nargs, 0, strcmp(h, "page") != 0) != LUA_OK)
		return report_lua_error(L, p);
	return s->diag.errors > errors ? EXIT_CONTENT : EXIT_OK;
}

static int
run_phases(struct lhost *h, struct plugin *v, size_t n, int site_idx)
{
	lua_State *L = h->L;
	int rc = EXIT_OK;
	for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
		lua_pushvalue(L, site_idx);
		push_options(L, &v[i]);
		rc = call_hook(&v[i], "setup", 2);
	}
	lua_getfield(L, site_idx, "pages");
	int pages = lua_gettop(L);
	lua_Integer np = (lua_Integer)lua_rawlen(L, pages);
	for (lua_Integer k = 1; rc == EXIT_OK && k <= np; k++)
		for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
			lua_rawgeti(L, pages, k);
			lua_pushvalue(L, site_idx);
			rc = call_hook(&v[i], "page", 2);
		}
	lua_pop(L, 1);
	static const char *const last[] = { "render", "finish" };
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
			int before = lua_gc(L, LUA_GCCOUNT);
			lua_pushvalue(L, site_idx);
			rc = call_hook(&v[i], last[k], 1);
			/* What a render made is garbage once it returns (the
			 * portal's pages, its site:each results): collected now,
			 * it is not carried into the next plugin's heap. At 10,000
			 * pages with history the peak is ~60 MB lower; a collection
			 * costs 15-20 ms, so only after a hook that grew the heap
			 * (bench/README.md, session 13). */
			if (lua_gc(L, LUA_GCCOUNT) - before > LHOST_GC_AFTER)
				lua_gc(L, LUA_GCCOLLECT);
		}
	return rc;
}

lua_State *
lhost_open(struct lhost *h, struct site *s)
{
	memset(h, 0, sizeof *h);
	h->site = s;
	h->mem_limit = (size_t)-1;
	h->seconds = env_number(LHOST_ENV_SECONDS, LHOST_SECONDS);
	h->mem_budget = (size_t)(env_number(LHOST_ENV_MIB, LHOST_MIB) * 1048576.0);
	h->L = lua_newstate(budget_alloc, h);
	if (!h->L) {
		fprintf(stderr, "congkhai: error: out of memory\n");
		exit(EXIT_INTERNAL);
	}
	lua_gc(h->L, LUA_GCGEN, LHOST_GC_MINOR, LHOST_GC_MAJOR);
	luaL_openlibs(h->L);
	sandbox_init(h->L);
	lhost_time(h);
	return h->L;
}

void
lhost_close(struct lhost *h)
{
	if (h->timed)
		timer_delete(h->timer);
	h->timed = 0;
	if (h->L)
		lua_close(h->L);
	h->L = NULL;
}

static void
free_plugins(struct plugin *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		plugin_free(&v[i]);
	free(v);
}

/* ------------------------------------------------------------ watchdog */

struct watchdog {
	struct lhost *h;
	clockid_t clock;         /* the CPU clock of the thread running plugins */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int quit;
};

static void *
watchdog(void *arg)
{
	struct watchdog *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->quit) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
		long long due = atomic_load(&w->h->watched_ns);
		struct timespec now;
		if (w->quit || due == 0 || clock_gettime(w->clock, &now) != 0 ||
		    (long long)now.tv_sec * 1000000000LL + now.tv_nsec < due + (long long)(LHOST_GRACE * 1e9))
			continue;
		struct plugin *p = atomic_load(&w->h->watched);
		fprintf(stderr, tr("congkhai: error: plugin '%s' (%s) ran out of time in a call that "
		    "could not be stopped (a very slow string pattern?); the build is abandoned"),
		    p ? p->name : "?", p ? p->display : "?");
		fprintf(stderr, "\n%s\n", tr("build failed; the previous site is unchanged"));
		_exit(EXIT_INTERNAL);              /* the next build removes the temporary tree */
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int
plugins_run(struct site *s)
{
	struct lhost h;
	lua_State *L = lhost_open(&h, s);
	struct watchdog w = { &h, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	pthread_t wt;
	int watching = pthread_getcpuclockid(pthread_self(), &w.clock) == 0 &&
	    pthread_create(&wt, NULL, watchdog, &w) == 0;
	struct plugin *v;
	size_t n;
	int rc = load_all(&h, &v, &n);
	if (rc == EXIT_OK) {
		lapi_push_site(L, &h);
		h.mem_limit = h.mem + h.mem_budget;   /* the pages are loaded: the baseline */
		rc = run_phases(&h, v, n, lua_gettop(L));
	}
	if (watching) {
		pthread_mutex_lock(&w.lock);
		w.quit = 1;
		pthread_cond_signal(&w.wake);
		pthread_mutex_unlock(&w.lock);
		pthread_join(wt, NULL);
	}
	lhost_close(&h);
	free_plugins(v, n);
	return rc;
}

int
plugins_check(struct site *s)
{
	struct lhost h;
	lhost_open(&h, s);
	struct plugin *v;
	size_t n;
	int rc = load_all(&h, &v, &n);
	lhost_close(&h);
	free_plugins(v, n);
	return rc;
}

int
plugins_list(struct site *s)
{
	struct lhost h;
	lua_State *L = lhost_open(&h, s);
	struct plugin *v;
	size_t n;
	int rc = load_all(&h, &v, &n);
	for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
		printf("%-10s %-8s %-9s %s\n", v[i].name, v[i].version,
		    v[i].site_local ? "site" : "built-in", v[i].display);
		printf("%-10s hooks:", "");
		lua_rawgeti(L, LUA_REGISTRYINDEX, v[i].mod_ref);
		int any = 0;
		for (size_t k = 0; hook_names[k]; k++) {
			lua_getfield(L, -1, hook_names[k]);
			if (lua_isfunction(L, -1)) {
				printf(" %s", hook_names[k]);
				any = 1;
			}
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		printf("%s\n", any ? "" : " -");
	}
	if (rc != EXIT_OK)
		diag_summary(&s->diag);
	lhost_close(&h);
	free_plugins(v, n);
	return rc;
}
