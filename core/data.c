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
	while (*p) {
		struct val rec = { .type = V_LIST };
		int start = line;
		if (csv_record(&p, &rec, &line) != 0) {
			diag_error(d, display, start, 1, "CSV: unterminated quoted field");
			val_clear(&rec);
			val_clear(&header);
			val_free(rows);
			return NULL;
		}
		if (!(rec.n == 1 && !*rec.kids[0].str)) {     /* skip blank lines */
			struct val *m = val_append(rows);
			m->type = V_MAP;
			m->line = start;
			for (size_t i = 0; i < rec.n && i < header.n; i++)
				val_set_str(m, header.kids[i].str, rec.kids[i].str);
		}
		val_clear(&rec);
	}
	val_clear(&header);
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
