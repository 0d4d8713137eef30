/*
 * history.c — what git says about the content (SPEC §5): which repository
 * holds it, and the build's as-of date (SPEC §8): SOURCE_DATE_EPOCH when
 * set, else the built commit's time; without a repository the newest date
 * found in front matter. Never the wall clock. Owns nothing after return.
 */
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "congkhai.h"
#include "history.h"

int
history_open_repo(const char *dir, git_repository **repo, char **prefix)
{
	char *real = realpath(dir, NULL);
	if (!real || git_repository_open_ext(repo, real, 0, NULL) != 0) {
		free(real);
		return -1;
	}
	const char *wd = git_repository_workdir(*repo);
	if (!wd) {                       /* a bare repository has no content dir */
		git_repository_free(*repo);
		free(real);
		return -1;
	}
	size_t n = strlen(wd);
	if (strncmp(real, wd, n) == 0)
		*prefix = xstrdup(real + n);
	else if (strncmp(real, wd, n - 1) == 0 && real[n - 1] == '\0')
		*prefix = xstrdup("");
	else
		*prefix = xstrdup("");
	free(real);
	return 0;
}

/* The newest date among front matter dates, as seconds since the epoch. */
static time_t
newest_front_matter_date(struct site *s)
{
	char best[11] = "1970-01-01";
	static const char *const keys[] = { "date", "effective" };
	for (size_t i = 0; i < s->npages; i++)
		for (size_t k = 0; k < 2; k++) {
			const char *d = val_str(s->pages[i].meta, keys[k]);
			if (d && strlen(d) == 10 && strcmp(d, best) > 0 && k == 0)
				memcpy(best, d, 11);
		}
	struct tm tm = {0};
	tm.tm_year = atoi(best) - 1900;
	tm.tm_mon = atoi(best + 5) - 1;
	tm.tm_mday = atoi(best + 8);
	return timegm(&tm);
}

static int
source_date_epoch(time_t *t)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (!e || !*e)
		return 0;
	char *end;
	long long v = strtoll(e, &end, 10);
	if (*end || v < 0)
		return 0;
	*t = (time_t)v;
	return 1;
}

int
history_attach(struct site *s)
{
	git_libgit2_init();
	git_repository *repo = NULL;
	char *prefix = NULL;
	int have_epoch = source_date_epoch(&s->asof);
	if (history_open_repo(s->content_dir, &repo, &prefix) != 0) {
		diag_warn(&s->diag, s->content_dir, 0, 0, "no git repository: dates come from front matter");
		if (!have_epoch)
			s->asof = newest_front_matter_date(s);
		git_libgit2_shutdown();
		return 0;
	}
	git_object *obj = NULL;
	git_commit *commit = NULL;
	if (git_revparse_single(&obj, repo, s->rev ? s->rev : "HEAD") == 0 &&
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) == 0) {
		if (!have_epoch)
			s->asof = (time_t)git_commit_time(commit);
	} else if (!have_epoch) {
		s->asof = newest_front_matter_date(s);    /* an empty repository */
	}
	git_commit_free(commit);
	git_object_free(obj);
	free(prefix);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return 0;
}
