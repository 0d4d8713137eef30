/*
 * yaml.c — YAML text → struct val, on libyaml's event parser.
 *
 * Keeps the line and column of every key and value for diagnostics.
 * Scalars keep their text; only plain (unquoted) scalars are resolved:
 * null/~/empty → V_NULL, true/false → V_BOOL, decimal integers → V_INT.
 * Everything else, floats included, stays text, so `code: 1.001193` is
 * the string "1.001193". The tree is built with an explicit stack, not
 * recursion, and nesting deeper than MAX_DEPTH is refused. Anchors and
 * aliases are refused: content files have no use for them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>
#include "congkhai.h"

#define MAX_DEPTH 64

struct frame {
	struct val *v;          /* the open list or map */
	char *key;              /* map: key read, value pending */
	int key_line, key_col;
	size_t *slots;          /* a large map's keys by hash: kid index + 1, 0 empty */
	size_t nslots;          /* a power of two, at least twice the keys */
	size_t seed;
};

/* The duplicate-key check looks keys up by hash once a map has SMALL_MAP
 * of them: one by one, a data file of 100,000 keys took 25 s (and 8 MiB of
 * them minutes). The hash is seeded per map, so that no file can be
 * written to make every key collide. */
#define SMALL_MAP 16

static size_t
key_hash(const char *s, size_t seed)
{
	uint64_t h = 14695981039346656037u ^ seed;    /* FNV-1a, then mixed */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return (size_t)h;
}

static void
slot_put(struct frame *f, size_t i)
{
	size_t m = f->nslots - 1, h = key_hash(f->v->kids[i].key, f->seed) & m;
	while (f->slots[h])
		h = (h + 1) & m;
	f->slots[h] = i + 1;
}

/* The kid of f's map named key, or NULL. Keeps the index able to take one
 * more key: every key is looked up here before it is added (new_node). */
static struct val *
map_find(struct frame *f, const char *key)
{
	struct val *m = f->v;
	if (m->n < SMALL_MAP)
		return val_get(m, key);
	if (!f->slots || (m->n + 1) * 2 > f->nslots) {
		free(f->slots);
		for (f->nslots = 64; f->nslots < (m->n + 1) * 4; f->nslots *= 2)
			;
		f->slots = xcalloc(f->nslots, sizeof *f->slots);
		if (!f->seed)
			f->seed = ((size_t)(uintptr_t)f ^ (size_t)(uintptr_t)m->kids ^ (size_t)time(NULL) * 2654435761u) | 1;
		for (size_t i = 0; i < m->n; i++)
			slot_put(f, i);
	}
	size_t msk = f->nslots - 1;
	for (size_t h = key_hash(key, f->seed) & msk; f->slots[h]; h = (h + 1) & msk)
		if (strcmp(m->kids[f->slots[h] - 1].key, key) == 0)
			return &m->kids[f->slots[h] - 1];
	return NULL;
}

static void
frame_close(struct frame *f)
{
	free(f->key);
	free(f->slots);
	memset(f, 0, sizeof *f);
}

static int
is_plain_int(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!*p || strlen(p) > 18)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return !(s[0] == '0' && s[1] != '\0');   /* 0123 is text */
}

static void
resolve_scalar(struct val *v, const char *text, yaml_scalar_style_t style)
{
	v->str = xstrdup(text);
	v->type = V_STR;
	if (style != YAML_PLAIN_SCALAR_STYLE)
		return;
	if (!*text || !strcmp(text, "~") || !strcmp(text, "null") || !strcmp(text, "Null") ||
	    !strcmp(text, "NULL")) {
		v->type = V_NULL;
	} else if (!strcmp(text, "true") || !strcmp(text, "True") || !strcmp(text, "TRUE")) {
		v->type = V_BOOL;
		v->num = 1;
	} else if (!strcmp(text, "false") || !strcmp(text, "False") || !strcmp(text, "FALSE")) {
		v->type = V_BOOL;
		v->num = 0;
	} else if (is_plain_int(text)) {
		v->type = V_INT;
		v->num = strtoll(text, NULL, 10);
	}
}

/* The slot a new node goes into: the root, a list item, or a map value. */
static struct val *
new_node(struct frame *st, int depth, struct val **root, const yaml_mark_t *m, int off)
{
	struct val *v;
	if (depth == 0) {
		*root = val_new(V_NULL);
		v = *root;
	} else {
		struct frame *f = &st[depth - 1];
		v = val_append(f->v);
		if (f->v->type == V_MAP) {
			v->key = f->key;
			v->key_line = f->key_line;
			v->key_col = f->key_col;
			f->key = NULL;
			if (f->slots)
				slot_put(f, f->v->n - 1);
		}
	}
	v->line = (int)m->line + 1 + off;
	v->col = (int)m->column + 1;
	return v;
}

/* What an editor should do about the commonest YAML mistakes. */
static const char *
yaml_hint(const char *text, size_t len, const yaml_parser_t *p)
{
	size_t at = p->problem_mark.index;
	const char *pr = p->problem ? p->problem : "";
	if (strstr(pr, "tab") || (at < len && text[at] == '\t') || (at > 0 && at - 1 < len && text[at - 1] == '\t'))
		return "YAML does not allow tabs: indent with spaces";
	if (strstr(pr, "mapping values are not allowed"))
		return "a value that contains ': ' must be quoted, e.g. title: \"Luật: số 60\"";
	if (strstr(pr, "could not find expected ':'") || strstr(pr, "did not find expected key"))
		return "each line must be 'key: value'; check the indentation and any unclosed quote";
	return NULL;
}

struct val *
yaml_parse(const char *text, size_t len, int off, const char *display, struct diag *d)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct frame st[MAX_DEPTH];
	int depth = 0, done = 0, failed = 0;
	struct val *root = NULL;

	memset(st, 0, sizeof st);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && !failed) {
		if (!yaml_parser_parse(&p, &ev)) {
			const yaml_mark_t *m = &p.problem_mark;
			const char *hint = yaml_hint(text, len, &p);
			diag_error(d, display, (int)m->line + 1 + off, (int)m->column + 1,
			    "YAML: %s%s%s", p.problem ? p.problem : "syntax error", hint ? " — " : "",
			    hint ? tr(hint) : "");
			failed = 1;
			break;
		}
		const yaml_mark_t *m = &ev.start_mark;
		struct frame *top = depth ? &st[depth - 1] : NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = ev.type == YAML_STREAM_END_EVENT || root != NULL;
			break;
		case YAML_ALIAS_EVENT:
			diag_error(d, display, (int)m->line + 1 + off, (int)m->column + 1,
			    "YAML: %s", "anchors and aliases are not supported");
			failed = 1;
			break;
		case YAML_SCALAR_EVENT: {
			const char *s = (const char *)ev.data.scalar.value;
			if (top && top->v->type == V_MAP && !top->key) {
				if (map_find(top, s)) {
					diag_error(d, display, (int)m->line + 1 + off, (int)m->column + 1,
					    "duplicate key '%s'", s);
					failed = 1;
					break;
				}
				top->key = xstrdup(s);
				top->key_line = (int)m->line + 1 + off;
				top->key_col = (int)m->column + 1;
				break;
			}
			struct val *v = new_node(st, depth, &root, m, off);
			resolve_scalar(v, s, ev.data.scalar.style);
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			if (top && top->v->type == V_MAP && !top->key) {
				diag_error(d, display, (int)m->line + 1 + off, (int)m->column + 1,
				    "YAML: %s", "a key must be plain text");
				failed = 1;
				break;
			}
			if (depth == MAX_DEPTH) {
				diag_error(d, display, (int)m->line + 1 + off, (int)m->column + 1,
				    "YAML: %s", "nested too deeply");
				failed = 1;
				break;
			}
			struct val *v = new_node(st, depth, &root, m, off);
			v->type = ev.type == YAML_SEQUENCE_START_EVENT ? V_LIST : V_MAP;
			memset(&st[depth], 0, sizeof st[depth]);
			st[depth].v = v;
			depth++;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			frame_close(&st[--depth]);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	for (int i = 0; i < depth; i++)
		frame_close(&st[i]);
	yaml_parser_delete(&p);
	if (failed) {
		val_free(root);
		return NULL;
	}
	if (!root)
		root = val_new(V_NULL);
	return root;
}
