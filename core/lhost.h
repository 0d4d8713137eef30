/*
 * lhost.h — what the Lua host's files share: the host (one per lua_State)
 * and the plugin record, the budgets, and the entry points of the sandbox,
 * the `congkhai` module, site:each and the template compiler. Only host.c,
 * lapi.c, leach.c, ltemplate.c, lsandbox.c and index.c include it.
 *
 * Context travels with the call, never in a global: every C function a
 * plugin can reach is a closure whose first upvalue is a light userdata,
 * the struct plugin it was made for (module functions, io.open, require,
 * templates) or the struct lhost (the methods of the shared site table).
 * The host itself is the allocator's userdata, so the budget hook and the
 * allocator find it with lua_getallocf().
 */
#ifndef LHOST_H
#define LHOST_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdatomic.h>
#include <time.h>
#include "congkhai.h"

struct lhost;

struct plugin {
	struct lhost *host;
	char  *name;
	char  *version;
	char  *dir;          /* built-in: filesystem folder; site-local: "plugins/NAME" */
	int    site_local;   /* read through the site's source (so --rev reads blobs) */
	char  *display;      /* init.lua as shown in messages */
	struct val *options;
	int    env_ref;      /* registry refs: sandbox environment, its congkhai */
	int    api_ref;      /*   table, the returned table of hooks, the names */
	int    mod_ref;      /*   templates see after their context */
	int    tnames_ref;
};

/* Budgets of one hook call (SPEC §7); CONGKHAI_HOOK_SECONDS and
 * CONGKHAI_HOOK_MIB override them (docs/security.md). */
#define LHOST_SECONDS        10.0   /* CPU seconds of one hook call ... */
#define LHOST_SECONDS_PAGE   0.002  /* ... plus this per page for whole-site hooks */
#define LHOST_MIB            1024   /* Lua heap growth over the loaded site */
#define LHOST_GRACE          5.0    /* seconds past a deadline before the watchdog acts */
/* Lua's collector is generational: a minor collection once the heap has
 * grown 20 %, a major one at 30 % over what was live after the last. A
 * build makes its garbage in short-lived strings (each page's HTML) over
 * long-lived tables (the site); Lua's default, incremental with a pause of
 * 200 %, let the heap reach twice what was live (bench/README.md, session 8). */
#define LHOST_GC_MINOR       20
#define LHOST_GC_MAJOR       30
/* KiB a render or finish hook grows the heap by, past which it is
 * collected fully once the hook returns (host.c, run_phases). */
#define LHOST_GC_AFTER       (16 * 1024)
/* The environment the host reads (fingerprint.c hashes it too). */
#define LHOST_ENV_PLUGINS    "CONGKHAI_PLUGIN_PATH"
#define LHOST_ENV_SECONDS    "CONGKHAI_HOOK_SECONDS"
#define LHOST_ENV_MIB        "CONGKHAI_HOOK_MIB"

struct lhost {
	struct site   *site;         /* NULL in unit tests */
	lua_State     *L;
	struct plugin *running;      /* whose code runs now, or NULL */
	size_t         mem;          /* bytes the state holds */
	size_t         mem_limit;    /* allocations beyond it fail */
	size_t         mem_budget;   /* bytes allowed over the baseline */
	double         seconds;      /* CPU budget of a hook, before per-page */
	double         deadline;     /* thread CPU time at which the hook stops */
	unsigned       calls;        /* hook events since the last clock read */
	timer_t        timer;        /* on the CPU clock of the thread running plugins ... */
	int            timed;        /* ... when made: it sets the hook at the deadline */
	int            stopped;      /* a budget ran out: not catchable by pcall */
	/* site:each (leach.c): the paths written by its items, what they
	 * appended (site:append) and where it goes, what the item running
	 * appended when the memo keeps it, the item running, whether this
	 * process is one of its workers, and how many times site.asof was
	 * read (lapi.c counts): an item that read it has a memo entry that
	 * holds for that day only */
	struct buf    *wrote;
	struct spool  *spool;
	struct buf    *appended;
	lua_Integer    item;
	int            worker;
	unsigned long  asof_reads;
	/* read by the watchdog thread (plugins_run): the running plugin and its
	 * deadline in nanoseconds of this thread's CPU clock, 0 when none */
	_Atomic(struct plugin *) watched;
	_Atomic long long        watched_ns;
};

/* host.c */
lua_State *lhost_open(struct lhost *h, struct site *s);   /* state, sandbox, budgets */
void lhost_close(struct lhost *h);
/* Call the function under nargs arguments as plugin p's code, with the
 * budgets on and a traceback; returns a lua_pcall status, the message on
 * top on failure. whole_site widens the CPU budget by the page count. */
int  lhost_call(struct plugin *p, int nargs, int nres, int whole_site);
/* The running thread's CPU clock, and the deadline moved on by the CPU
 * time spent since then: the core's own work for a plugin (writing its
 * files, where a slow file system spends kernel time) is not the hook's. */
double lhost_clock(void);
void lhost_exempt(struct lhost *h, double since);
/* The budget's timer for the calling thread, set to h->deadline: lhost_open
 * makes it, and a forked worker (leach.c) again, timers not being inherited. */
void lhost_time(struct lhost *h);
/* Raise the error of a stop (h->stopped: 1 time, 2 memory). */
int  lhost_raise_stop(lua_State *L, const struct lhost *h);
/* The plugin or host of the running C closure (its first upvalue). */
#define lhost_plugin(L) ((struct plugin *)lua_touserdata((L), lua_upvalueindex(1)))
#define lhost_of(L)     ((struct lhost *)lua_touserdata((L), lua_upvalueindex(1)))
/* Read a file of plugin p (rel to its folder). 0 on success. */
int  plugin_read(struct plugin *p, const char *rel, char **data, size_t *len);
/* Read rel from p's folder, else from the content tree. 0 on success. */
int  plugin_read_any(struct plugin *p, const char *rel, char **data, size_t *len);

/* lsandbox.c: once per state; then one environment per plugin, which
 * also makes p's congkhai table (p->env_ref, p->api_ref are set). */
void sandbox_init(lua_State *L);
void sandbox_new_env(lua_State *L, struct plugin *p);
int  sandbox_pcall(lua_State *L);    /* pcall that cannot catch a stop */

/* lapi.c: push a new `congkhai` module table for p; page and site tables. */
void lapi_push_module(lua_State *L, struct plugin *p);
void lapi_push_val(lua_State *L, const struct val *v);
void lapi_push_site(lua_State *L, struct lhost *h);   /* builds pages too */
char *lapi_escape(const char *s, size_t n, size_t *outlen);
char *lapi_json(lua_State *L, int idx);  /* the value's JSON, or NULL (message pushed) */
void lapi_merge(lua_State *L);          /* [dst, src] → [dst], src's fields copied */
/* The C page behind a page table at idx (site.pages' tables), or NULL;
 * it lives as long as the site. The stack is unchanged. */
const struct page *lapi_page(lua_State *L, int idx);
const struct section *lapi_section(lua_State *L, int idx);   /* the same of a section table */
int lapi_rawfield(lua_State *L, int idx, const char *k);   /* pushes t[k] raw, or a page's lazy field (html, text, intro); its type */

/* ldigest.c: congkhai.digest(...), the hex SHA-256 of Lua values, the
 * same for equal values in any build (tables by sorted keys, a page's
 * body by its bytes); an error for what has no such digest (functions,
 * userdata, cycles). */
int  ldigest_lua(lua_State *L);

/* leach.c: site:each(list, fn), in worker processes; what site:write
 * and site:copy tell it of every path written. */
int  leach_site_each(lua_State *L);
void leach_wrote(struct lhost *h, const char *rel);
/* site:append's data added to the end of rel: at once outside a call of
 * site:each, in item order inside one. 0, or -1 and *err (malloc'd). */
int  leach_append(struct lhost *h, const char *rel, const char *data, size_t len, char **err);

/* ltemplate.c: compile template text in p's sandbox; pushes a render function. */
int  template_compile(lua_State *L, struct plugin *p, const char *src, size_t len,
                      const char *name);
int  template_file(lua_State *L, struct plugin *p, const char *name);  /* override, then plugin */

/* index.c: adds `index` (a constructor) to p's module table on top of L. */
void index_lua_register(lua_State *L, struct plugin *p);

#endif
