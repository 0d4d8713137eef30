/*
 * val.c — the value tree that YAML front matter, site.yaml, data files and
 * history are kept in (struct val, see congkhai.h). A value owns its
 * strings and its children; children of a list or map live in one array
 * owned by the parent, so a pointer to a child is valid until the parent
 * grows (val_append) or is freed.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"

struct val *
val_new(enum val_type t)
{
	struct val *v = xcalloc(1, sizeof *v);
	v->type = t;
	return v;
}

void
val_clear(struct val *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		val_clear(&v->kids[i]);
	free(v->kids);
	free(v->key);
	free(v->str);
	v->kids = NULL;
	v->key = v->str = NULL;
	v->n = 0;
}

void
val_free(struct val *v)
{
	val_clear(v);
	free(v);
}

struct val *
val_get(const struct val *map, const char *key)
{
	if (!map || map->type != V_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (map->kids[i].key && strcmp(map->kids[i].key, key) == 0)
			return &map->kids[i];
	return NULL;
}

const char *
val_str(const struct val *map, const char *key)
{
	const struct val *v = val_get(map, key);
	return v && v->type == V_STR ? v->str : NULL;
}

/* Children are added one at a time, but the array grows by doubling: its
 * capacity is what the allocator says the block holds, whoever allocated it
 * (val_copy and others allocate exactly n). Grown by one each time, a list
 * of 30,000 items took 30 s under ASan, whose realloc always copies. */
struct val *
val_append(struct val *v)
{
	size_t room = v->kids ? malloc_usable_size(v->kids) / sizeof *v->kids : 0;
	if (v->n + 1 > room)
		v->kids = xrealloc(v->kids, (v->n < 4 ? 4 : v->n * 2) * sizeof *v->kids);
	struct val *k = &v->kids[v->n++];
	memset(k, 0, sizeof *k);
	return k;
}

struct val *
val_set_str(struct val *map, const char *key, const char *s)
{
	struct val *k = val_get(map, key);
	if (k) {
		char *name = k->key;
		int kl = k->key_line, kc = k->key_col, l = k->line, c = k->col;
		k->key = NULL;
		val_clear(k);
		k->key = name;
		k->key_line = kl, k->key_col = kc, k->line = l, k->col = c;
	} else {
		k = val_append(map);
		k->key = xstrdup(key);
	}
	k->type = V_STR;
	k->str = xstrdup(s);
	return k;
}

void
val_copy(struct val *dst, const struct val *src)
{
	*dst = *src;
	dst->key = src->key ? xstrdup(src->key) : NULL;
	dst->str = src->str ? xstrdup(src->str) : NULL;
	dst->kids = NULL;
	if (src->n) {
		dst->kids = xcalloc(src->n, sizeof *dst->kids);
		for (size_t i = 0; i < src->n; i++)
			val_copy(&dst->kids[i], &src->kids[i]);
	}
}

const char *
val_type_name(enum val_type t)
{
	static const char *const names[] = {
		"null", "boolean", "integer", "text", "list", "mapping" };
	return names[t];
}

/* s[0..n) as a JSON string. '<' is escaped too, so JSON is safe inside
 * HTML <script> and attributes. The one JSON string writer of the core. */
void
json_escape(struct buf *b, const char *s, size_t n)
{
	size_t run = 0;                 /* the bytes from run on need no escape */
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<')
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else
			buf_printf(b, "\\u%04x", c);
	}
	buf_add(b, s + run, n - run);
	buf_putc(b, '"');
}

/* JSON text of v, keys in their order (append to b). */
void
val_json(struct buf *b, const struct val *v)
{
	switch (v ? v->type : V_NULL) {
	case V_NULL: buf_puts(b, "null"); break;
	case V_BOOL: buf_puts(b, v->num ? "true" : "false"); break;
	case V_INT:  buf_printf(b, "%lld", v->num); break;
	case V_STR:  json_escape(b, v->str, strlen(v->str)); break;
	case V_LIST:
	case V_MAP:
		buf_putc(b, v->type == V_LIST ? '[' : '{');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				buf_putc(b, ',');
			if (v->type == V_MAP) {
				json_escape(b, v->kids[i].key, strlen(v->kids[i].key));
				buf_putc(b, ':');
			}
			val_json(b, &v->kids[i]);
		}
		buf_putc(b, v->type == V_LIST ? ']' : '}');
		break;
	}
}
