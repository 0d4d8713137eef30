/*
 * data.c — the files of data/: YAML (.yaml, .yml) as value trees and CSV
 * (.csv, RFC 4180: quoted fields, "" for a quote, a header row) as a list
 * of maps keyed by the header. Each becomes site->data[name], name being
 * the file name without its extension. CSV cells are text.
 */
#include <string.h>
#include <stdlib.h>
#include "congkhai.h"

/* One CSV record starting at *p; fields appended to row (a V_LIST). */
static int
csv_record(const char **pp, struct val *row, int *line)
{
	const char *p = *pp;
	struct buf cell = {0};
	for (;;) {
		buf_free(&cell);
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p) {
					buf_free(&cell);
					return -1;
				}
				if (*p == '"' && p[1] == '"') {
					buf_putc(&cell, '"');
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					if (*p == '\n')
						(*line)++;
					buf_putc(&cell, *p++);
				}
			}
			while (*p && *p != ',' && *p != '\n')
				p++;
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				buf_putc(&cell, *p++);
			if (*p == '\r')
				p++;
		}
		struct val *v = val_append(row);
		v->type = V_STR;
		v->line = *line;
		v->str = buf_steal(&cell);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n') {
			p++;
			(*line)++;
		}
		break;
	}
	*pp = p;
	return 0;
}

struct column { const char *name; size_t i; };

static int
column_cmp(const void *a, const void *b)
{
	const struct column *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Where each column's cell goes in a row's map: slot[i] is the place of
 * the first column of that name (a later one of the same name replaces its
 * value, as val_set_str would). Sorted once, not searched for every cell:
 * a header of 30,000 names took seconds a row. */
static size_t *
column_slots(const struct val *header)
{
	size_t n = header->n, *first = xcalloc(n + 1, sizeof *first), *slot = xcalloc(n + 1, sizeof *slot);
	struct column *c = xcalloc(n + 1, sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = (struct column){ header->kids[i].str, i };
	if (n)
		qsort(c, n, sizeof *c, column_cmp);
	for (size_t k = 0; k < n; k++)
		first[c[k].i] = k > 0 && strcmp(c[k].name, c[k - 1].name) == 0 ? first[c[k - 1].i] : c[k].i;
	for (size_t i = 0, places = 0; i < n; i++)
		slot[i] = first[i] == i ? places++ : slot[first[i]];
	free(c);
	free(first);
	return slot;
}

static struct val *
csv_parse(const char *text, const char *display, struct diag *d)
{
	struct val header = { .type = V_LIST }, *rows = val_new(V_LIST);
	const char *p = text;
	int line = 1;
	if (csv_record(&p, &header, &line) != 0) {
		diag_error(d, display, line, 1, "CSV: unterminated quoted field");
		val_clear(&header);
		val_free(rows);
		return NULL;
	}
	size_t *slot = column_slots(&header);
	while (*p) {
		struct val rec = { .type = V_LIST };
		int start = line;
		if (csv_record(&p, &rec, &line) != 0) {
			diag_error(d, display, start, 1, "CSV: unterminated quoted field");
			val_clear(&rec);
			val_clear(&header);
			val_free(rows);
			free(slot);
			return NULL;
		}
		if (!(rec.n == 1 && !*rec.kids[0].str)) {     /* skip blank lines */
			struct val *m = val_append(rows);
			m->type = V_MAP;
			m->line = start;
			size_t cells = rec.n < header.n ? rec.n : header.n;
			for (size_t i = 0; i < cells; i++)      /* the places in use: 0 .. n - 1 */
				if (slot[i] + 1 > m->n)
					m->n = slot[i] + 1;
			m->kids = m->n ? xcalloc(m->n, sizeof *m->kids) : NULL;
			for (size_t i = 0; i < cells; i++) {
				struct val *k = &m->kids[slot[i]];
				if (!k->key)
					k->key = xstrdup(header.kids[i].str);
				free(k->str);
				k->type = V_STR;
				k->str = rec.kids[i].str;     /* taken from rec */
				rec.kids[i].str = NULL;
			}
		}
		val_clear(&rec);
	}
	val_clear(&header);
	free(slot);
	return rows;
}

static const char *
extension(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && !strchr(dot, '/') ? dot + 1 : "";
}

void
data_load(struct site *s)
{
	struct source_file *f;
	size_t n;
	s->data = val_new(V_MAP);
	if (source_list(s->src, "data", &f, &n, &s->diag) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *ext = extension(f[i].path);
		int yaml = !strcmp(ext, "yaml") || !strcmp(ext, "yml"), csv = !strcmp(ext, "csv");
		if (!yaml && !csv)
			continue;
		char *disp = source_display(s->src, f[i].path), *text;
		size_t len;
		if (f[i].size > MAX_FILE_SIZE) {
			diag_error(&s->diag, disp, 0, 0, "file is larger than 8 MiB (%zu bytes); refused", f[i].size);
		} else if (source_read(s->src, f[i].path, &text, &len) != 0) {
			diag_error(&s->diag, disp, 0, 0, "cannot read: %s", f[i].path);
		} else {
			long bad = utf8_invalid_at(text, len);
			struct val *v = NULL;
			if (bad >= 0)
				diag_error(&s->diag, disp, 0, 0, "invalid UTF-8 at byte offset %ld", bad);
			else {
				char *nfc = text_nfc(text, len);
				v = yaml ? yaml_parse(nfc, strlen(nfc), 0, disp, &s->diag) :
				    csv_parse(nfc, disp, &s->diag);
				free(nfc);
			}
			if (v) {
				const char *base = strrchr(f[i].path, '/') + 1;
				char *name = xstrndup(base, strlen(base) - strlen(ext) - 1);
				struct val *slot = val_append(s->data);
				*slot = *v;
				slot->key = name;
				free(v);
			}
			free(text);
		}
		free(disp);
	}
	source_files_free(f, n);
}
