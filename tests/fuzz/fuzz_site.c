/*
 * fuzz_site.c — the same bytes as site.yaml through the settings loader
 * (site_load_config: YAML, known keys, language, base_url) and as the data
 * files data/d.yaml and data/d.csv through data_load (YAML, RFC 4180 CSV),
 * in one scratch content tree made once and rewritten for each input. Each
 * CSV row is checked against the header: one key per distinct column name,
 * in the order the names first come, with the value of its last cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "fuzz.h"

static char dir[600];

/* Split s in place at sep; the pieces in *out (malloc'd), their count returned. */
static size_t
split(char *s, int sep, char ***out)
{
	size_t n = 0;
	for (;;) {
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = s;
		s = strchr(s, sep);
		if (!s)
			return n;
		*s++ = '\0';
	}
}

/* CSV rows as data.c must make them from ASCII text without quotes or CR:
 * a map per non-empty line, its keys the distinct header names in the order
 * they first come, each with the value of its last cell in the row. */
static void
check_csv(const struct val *rows, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (data[i] == '"' || data[i] == '\r' || data[i] == '\0' || data[i] >= 0x80)
			return;
	char *text = xstrndup((const char *)data, size), **lines = NULL, **names = NULL;
	size_t nl = split(text, '\n', &lines), n = split(lines[0], ',', &names), r = 0;
	if (nl > 1 && !*lines[nl - 1])
		nl--;                              /* the end of the last line */
	for (size_t l = 1; l < nl; l++) {
		if (!*lines[l])
			continue;                      /* blank lines make no row */
		char **cells = NULL;
		size_t nc = split(lines[l], ',', &cells), k = 0;
		if (nc > n)
			nc = n;
		if (r >= rows->n)
			abort();
		const struct val *m = &rows->kids[r++];
		for (size_t i = 0; i < nc; i++) {
			size_t j = 0;
			while (strcmp(names[j], names[i]) != 0)
				j++;
			if (j < i)
				continue;                  /* not the first of its name */
			size_t last = i;
			for (size_t c = i + 1; c < nc; c++)
				if (strcmp(names[c], names[i]) == 0)
					last = c;
			const struct val *v = k < m->n ? &m->kids[k] : NULL;
			if (!v || !v->key || !v->str || strcmp(v->key, names[i]) || strcmp(v->str, cells[last])) {
				fprintf(stderr, "fuzz_site: CSV line %zu, key %zu: '%s' = '%s', not '%s' = '%s'\n",
				    l + 1, k, v && v->key ? v->key : "", v && v->str ? v->str : "", names[i], cells[last]);
				abort();
			}
			k++;
		}
		if (k != m->n)
			abort();
		free(cells);
	}
	if (r != rows->n)
		abort();
	free(names);
	free(lines);
	free(text);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "%s/content", fuzz_tmpdir());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf msgs = {0};
	fuzz_write(dir, "site.yaml", data, size);
	fuzz_write(dir, "data/d.yaml", data, size);
	fuzz_write(dir, "data/d.csv", data, size);
	i18n_set_language("vi");
	struct site *s = site_new(dir);
	s->diag.capture = &msgs;
	if (site_load_config(s, NULL) == 0 && (!s->base_path || s->base_path[0] != '/'))
		abort();                        /* a loaded config always has a base path */
	data_load(s);
	if (s->data->n && s->data->kids[0].type == V_LIST && size < 4096)
		check_csv(&s->data->kids[0], data, size);      /* d.csv comes before d.yaml */
	struct buf json = {0};
	val_json(&json, s->data);
	buf_free(&json);
	site_free(s);
	buf_free(&msgs);
	i18n_set_language("vi");
	return 0;
}
