/*
 * hooks.c — the editor's git hooks: `congkhai hooks [-C DIR]` installs a
 * pre-commit hook that runs `congkhai check` on the content exactly as it
 * is staged (the index, not the working tree), and a commit-msg hook that
 * runs `congkhai check --commit-msg`, since a commit's subject is the
 * public change note (docs/history.md). And hooks_check_subject(), the
 * rule that second hook applies. Owns nothing beyond the call.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "congkhai.h"
#include "history.h"

#define HOOK_MARK "# installed by congkhai hooks"

static const char hooks_help[] =
	"usage: congkhai hooks [-C DIR]\n"
	"\n"
	"Install two git hooks in the repository that holds the content:\n"
	"  pre-commit   runs 'congkhai check' on the content as staged; a commit\n"
	"               with invalid content is refused\n"
	"  commit-msg   a commit that changes content needs a change note for\n"
	"               citizens as its subject, or 'minor:' / 'nhỏ:'\n"
	"Hooks that congkhai did not install are left alone.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n";

/* The first line of a commit message that is not a comment, trimmed. */
static char *
subject_of(const char *msg)
{
	const char *l = msg;
	while (*l) {
		size_t n = strcspn(l, "\n");
		const char *s = l;
		while (s < l + n && (*s == ' ' || *s == '\t'))
			s++;
		if (s < l + n && *s != '#') {
			const char *e = l + n;
			while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				e--;
			return xstrndup(s, (size_t)(e - s));
		}
		l += n + (l[n] == '\n');
	}
	return xstrdup("");
}

static int
ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

int
hooks_check_subject(const char *msg, int english, char **why)
{
	*why = NULL;
	char *subject = subject_of(msg), *folded = text_fold(subject);
	size_t words = 0;
	for (const char *c = subject; *c;) {
		c += strspn(c, " \t");
		if (*c)
			words++;
		c += strcspn(c, " \t");
	}
	int minor = folded && (strncmp(folded, "minor:", 6) == 0 || strncmp(folded, "nho:", 4) == 0);
	if (!*subject)
		*why = xstrdup(tr("the commit has no subject"));
	else if (!minor && words < 3)
		*why = xasprintf(tr("'%s' is too short for a change note that citizens read"), subject);
	else if (!minor && !english && ascii(subject))
		*why = xasprintf(tr("'%s' has no Vietnamese letters: write the change note in Vietnamese"),
		    subject);
	free(subject);
	free(folded);
	return *why ? -1 : 0;
}

/* Write one hook unless a hook congkhai did not install is there. */
static int
install(const char *dir, const char *name, const char *body)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (f) {
		char head[256] = "";
		size_t n = fread(head, 1, sizeof head - 1, f);
		head[n] = '\0';
		fclose(f);
		if (!strstr(head, HOOK_MARK)) {
			fprintf(stderr, "%s: %s\n", path, tr("error: a hook congkhai did not install is there; left alone"));
			free(path);
			return -1;
		}
	}
	f = fopen(path, "w");
	int rc = f && fputs(body, f) >= 0 ? 0 : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc == 0 && chmod(path, 0755) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "congkhai hooks: %s: %s\n", path, strerror(errno));
	else
		printf("  %s\n", path);
	free(path);
	return rc;
}

/* A path quoted for sh: 'it''s' style. */
static char *
sh_quote(const char *s)
{
	struct buf b = {0};
	buf_putc(&b, '\'');
	for (; *s; s++)
		if (*s == '\'')
			buf_puts(&b, "'\\''");
		else
			buf_putc(&b, *s);
	buf_putc(&b, '\'');
	return buf_steal(&b);
}

int
cmd_hooks(int argc, char **argv)
{
	const char *dir = NULL;
	char root[PATH_MAX];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(hooks_help, stdout);
			return EXIT_OK;
		}
		if ((!strcmp(argv[i], "-C") || !strcmp(argv[i], "--content")) && i + 1 < argc)
			dir = argv[++i];
		else {
			fputs(hooks_help, stderr);
			return EXIT_USAGE;
		}
	}
	if (!dir)
		dir = site_default_dir(root, sizeof root);
	git_libgit2_init();
	git_repository *repo = NULL;
	char *prefix = NULL;
	if (history_open_repo(dir, &repo, &prefix) != 0) {
		fprintf(stderr, "congkhai hooks: %s: %s\n", dir, tr("no git repository above the content directory"));
		git_libgit2_shutdown();
		return EXIT_USAGE;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *qexe = sh_quote(n > 0 ? exe : "congkhai"), *qprefix = sh_quote(*prefix ? prefix : ".");
	char *pre = xasprintf(
	    "#!/bin/sh\n" HOOK_MARK "\n"
	    "# Checks the content as it is staged; a commit with invalid content is refused.\n"
	    "tmp=$(mktemp -d) || exit 1\n"
	    "trap 'rm -rf \"$tmp\"' EXIT\n"
	    "git checkout-index -a --prefix=\"$tmp/\" || exit 1\n"
	    "%s check -q -C \"$tmp\"/%s 2>\"$tmp.err\"; rc=$?\n"
	    "sed \"s|$tmp/||g\" \"$tmp.err\" >&2; rm -f \"$tmp.err\"\n"
	    "exit $rc\n", qexe, qprefix);
	char *msg = xasprintf(
	    "#!/bin/sh\n" HOOK_MARK "\n"
	    "# The subject of a commit that changes content is its public change note.\n"
	    "git diff --cached --quiet -- %s && exit 0\n"
	    "exec %s check -C %s --commit-msg \"$1\"\n", qprefix, qexe, qprefix);
	const char *gitdir = git_repository_path(repo);
	char *hookdir = xasprintf("%shooks", gitdir);
	mkdir(hookdir, 0755);
	printf("%s\n", tr("congkhai hooks: installed"));
	int rc = install(hookdir, "pre-commit", pre) | install(hookdir, "commit-msg", msg);
	free(hookdir);
	free(pre);
	free(msg);
	free(qexe);
	free(qprefix);
	free(prefix);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc ? EXIT_CONTENT : EXIT_OK;
}
