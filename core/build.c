/*
 * build.c — the build pipeline that `build`, `check` and `serve` share:
 * load the content (working tree or --rev), attach history, check links,
 * then write the output through the plugins and swap it in (SPEC §8),
 * keeping site:each's memo for the next build (memo.c).
 * The caller owns the site and sets its content_dir, out_dir, rev,
 * drafts, jobs and diag before calling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "congkhai.h"
#include "memo.h"

int
site_prepare(struct site *s, const char *base_url)
{
	struct stat st;
	if (stat(s->content_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "congkhai: %s: %s\n", s->content_dir, tr("no such content directory"));
		return EXIT_USAGE;
	}
	if (s->rev && !s->src) {
		s->src = source_open_git(s->content_dir, s->rev, &s->diag);
		if (!s->src) {
			diag_summary(&s->diag);
			return EXIT_USAGE;
		}
	}
	if (site_load_with(s, base_url) != 0 && !s->config)
		return EXIT_CONTENT;
	if (history_attach(s) != 0)
		return s->diag.errors ? EXIT_CONTENT : EXIT_INTERNAL;
	validate_links(s);
	return s->diag.errors ? EXIT_CONTENT : EXIT_OK;
}

int
site_build(struct site *s, const char *base_url)
{
	if (output_check_dir(s->out_dir, s->content_dir, &s->diag) != 0)
		return EXIT_USAGE;
	int rc = site_prepare(s, base_url);
	char *home = rc == EXIT_OK ? memo_home(s) : NULL;   /* the spare's and the memo's */
	if (rc == EXIT_OK && (output_begin(s, home) != 0 || output_copy_static(s) != 0))
		rc = EXIT_INTERNAL;
	if (rc == EXIT_OK) {
		s->memo = memo_open(s, home);
		rc = plugins_run(s);
	}
	free(home);
	if (rc == EXIT_OK && s->diag.errors)
		rc = EXIT_CONTENT;
	if (rc == EXIT_OK && output_commit(s) != 0)
		rc = EXIT_INTERNAL;
	if (rc == EXIT_OK)
		memo_save(s->memo);           /* its entries name files of the site now standing */
	else
		output_abort(s);
	memo_free(s->memo);
	s->memo = NULL;
	return rc;
}
