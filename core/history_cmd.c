/*
 * history_cmd.c — `congkhai history [-C DIR] [--json] CODE-or-PATH`: the
 * public change history of one page (or of a deleted procedure), as the
 * portal shows it, for editors and scripts. Loads the site as a build does,
 * and its history, but works out field changes for that page only.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "history.h"

static const char help[] =
	"usage: congkhai history [-C DIR] [--json] CODE-or-PATH\n"
	"\n"
	"Print the public change history of one page: the procedure with that code,\n"
	"or the page of that file (relative to the content directory or as given).\n"
	"Deleted procedures are found by their code too.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n"
	"      --json          a JSON array of entries: date, note, commit, changes\n";

static void
dmy(const char *iso, char out[11])
{
	snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void
print_text(const char *title, const struct val *h)
{
	char d1[11];
	printf("%s\n", title);
	const char *pub = val_str(h, "published"), *upd = val_str(h, "updated");
	if (pub) {
		dmy(pub, d1);
		printf("%s: %s\n", tr("Published"), d1);
	}
	if (upd) {
		dmy(upd, d1);
		printf("%s: %s\n", tr("Last updated"), d1);
	}
	const struct val *t = val_get(h, "truncated");
	if (t && t->num)
		printf("%s\n", tr("(history may be incomplete: a shallow or damaged repository)"));
	const struct val *e = val_get(h, "entries");
	for (size_t i = 0; e && i < e->n; i++) {
		const struct val *x = &e->kids[i];
		dmy(val_str(x, "date"), d1);
		printf("\n%s  %s  %s\n", d1, val_str(x, "commit"), val_str(x, "note"));
		const struct val *ch = val_get(x, "changes");
		for (size_t k = 0; ch && k < ch->n; k++) {
			const struct val *c = &ch->kids[k];
			if (val_str(c, "field")) {
				printf("    %s: %s → %s\n", i18n_key_label(val_str(c, "field")),
				    val_str(c, "old") ? val_str(c, "old") : "-", val_str(c, "new") ? val_str(c, "new") : "-");
				continue;
			}
			printf("    %s:", val_str(c, "section"));
			const struct val *a = val_get(c, "added"), *r = val_get(c, "removed");
			for (size_t j = 0; a && j < a->n; j++)
				printf("\n      + %s", a->kids[j].str);
			for (size_t j = 0; r && j < r->n; j++)
				printf("\n      - %s", r->kids[j].str);
			if (val_get(c, "text_changed"))
				printf(" %s", tr("text changed"));
			putchar('\n');
		}
	}
	const struct val *m = val_get(h, "minor_count");
	if (m && m->num)
		printf("\n%s %lld\n", tr("Minor changes not listed:"), m->num);
}

/* The page asked for: by code, or by path in the content directory or as
 * given (rel: that path without the content directory). */
struct wanted { const char *want, *rel; };

static int
is_wanted(const char *code, const char *path, void *arg)
{
	const struct wanted *w = arg;
	return (code && strcmp(code, w->want) == 0) || (path && strcmp(path, w->rel) == 0);
}

int
cmd_history(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "content", required_argument, NULL, 'C' }, { "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *dir = NULL;
	char root[PATH_MAX];
	int json = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "C:h", longs, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_OK;
		}
		if (c == 'C')
			dir = optarg;
		else if (c == 'J')
			json = 1;
		else {
			fputs(help, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(help, stderr);
		return EXIT_USAGE;
	}
	const char *want = argv[optind];
	if (!dir)
		dir = site_default_dir(root, sizeof root);
	struct site *s = site_new(dir);
	s->diag.quiet = 1;
	if (site_load(s) != 0 && !s->config) {
		diag_summary(&s->diag);
		site_free(s);
		return EXIT_CONTENT;
	}
	size_t dl = strlen(dir);
	struct wanted wd = { want, strncmp(want, dir, dl) == 0 && want[dl] == '/' ? want + dl + 1 : want };
	history_attach_some(s, is_wanted, &wd);
	const struct val *h = NULL;
	const char *title = NULL;
	int found = 0;
	for (size_t i = 0; i < s->npages && !found; i++) {
		struct page *p = &s->pages[i];
		if (is_wanted(p->kind == PAGE_PROCEDURE ? val_str(p->meta, "code") : NULL, p->path, &wd)) {
			found = 1;
			h = p->history;
			title = val_str(p->meta, "title");
		}
	}
	for (size_t i = 0; !found && s->deleted && i < s->deleted->n; i++) {
		const struct val *d = &s->deleted->kids[i];
		if (is_wanted(val_str(d, "code"), val_str(d, "path"), &wd)) {
			found = 1;
			h = val_get(d, "history");
			title = val_str(d, "title");
		}
	}
	int rc = EXIT_OK;
	if (!found) {
		fprintf(stderr, "congkhai history: %s: %s\n", want, tr("no such page or procedure code"));
		rc = EXIT_CONTENT;
	} else if (json) {
		struct buf b = {0};
		const struct val *e = h ? val_get(h, "entries") : NULL;
		if (e)
			val_json(&b, e);
		else
			buf_puts(&b, "[]");
		printf("%s\n", buf_cstr(&b));
		buf_free(&b);
	} else if (h) {
		print_text(title ? title : want, h);
	} else {
		printf("%s\n%s\n", title ? title : want, tr("No history: not committed to git yet."));
	}
	site_free(s);
	return rc;
}
