/*
 * lhost.h — what the Lua host's files share: the plugin record, the
 * current-plugin pointer used to resolve relative paths, and the entry
 * points of the sandbox, the `congkhai` module and the template compiler.
 * Only host.c, lapi.c, ltemplate.c and lsandbox.c include it.
 */
#ifndef LHOST_H
#define LHOST_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include "congkhai.h"

struct plugin {
	char  *name;
	char  *version;
	char  *dir;          /* built-in: filesystem folder; site-local: "plugins/NAME" */
	int    site_local;   /* read through the site's source (so --rev reads blobs) */
	char  *display;      /* init.lua as shown in messages */
	struct val *options;
	int    env_ref;      /* registry refs: sandbox environment, returned table */
	int    mod_ref;
};

/* The plugin whose code is running (hooks, templates, reads), or NULL. */
extern struct plugin *lhost_current;
extern struct site   *lhost_site;

/* Read a file of plugin p (rel to its folder). 0 on success. */
int  plugin_read(struct plugin *p, const char *rel, char **data, size_t *len);
/* Read rel from the current plugin's folder, else from the content tree. */
int  lhost_read(const char *rel, char **data, size_t *len);

/* lsandbox.c: push a new sandboxed environment table for plugin p. */
void sandbox_push_env(lua_State *L, struct plugin *p);
void sandbox_init(lua_State *L);             /* once per state */

/* lapi.c: push the `congkhai` module table; page and site tables. */
void lapi_push_module(lua_State *L);
void lapi_push_val(lua_State *L, const struct val *v);
void lapi_push_site(lua_State *L, struct site *s);   /* builds pages too */
char *lapi_escape(const char *s, size_t n, size_t *outlen);
void lapi_merge(lua_State *L);          /* [dst, src] → [dst], src's fields copied */

/* ltemplate.c: compile template text; pushes a render function. */
int  template_compile(lua_State *L, const char *src, size_t len, const char *name);
int  template_file(lua_State *L, const char *name);  /* override, then plugin */

#endif
