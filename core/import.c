/*
 * import.c — `congkhai import dvcqg|letter FILE...`: the command line, the
 * messages of both importers, reading an input file, and writing what an
 * importer made: every file of one input or none, never over an existing
 * file unless --force. Owns the import_ctx of one run (import.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "import.h"

static const char import_help[] =
	"usage: congkhai import dvcqg FILE.json... [-C DIR] [--force]\n"
	"       congkhai import letter FILE.txt... [-C DIR] [--force] [--date YYYY-MM-DD]\n"
	"\n"
	"Write content files from what an office already has:\n"
	"  dvcqg    procedures/<slug>.md from the national public service portal's\n"
	"           procedure detail JSON (dichvucong.gov.vn), one per procedure\n"
	"  letter   news/<slug>.md (kind: van-ban) from the plain text of an\n"
	"           official letter (công văn)\n"
	"A fact the input does not give is written 'chưa xác minh' (not yet\n"
	"verified) or reported as a warning, never guessed. Each path written is\n"
	"printed; an input with an error writes nothing.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n"
	"  -f, --force         overwrite files that exist already\n"
	"      --date DATE     letters: the date to use when the letter leaves it\n"
	"                      blank (an unsigned draft: 'ngày   tháng 8 năm 2022')\n";

char *
import_read(struct import_ctx *c, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		import_error(c, path, 0, 0, "cannot read: %s", f ? strerror(EISDIR) : strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	if ((size_t)st.st_size > MAX_FILE_SIZE) {
		import_error(c, path, 0, 0, "file is larger than 8 MiB (%zu bytes); refused", (size_t)st.st_size);
		fclose(f);
		return NULL;
	}
	char *data = xmalloc((size_t)st.st_size + 1);
	size_t n = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	data[n] = '\0';
	long bad = utf8_invalid_at(data, n);
	if (memchr(data, '\0', n) || bad >= 0) {
		if (bad >= 0)
			import_error(c, path, 0, 0, "invalid UTF-8 at byte offset %ld", bad);
		else
			import_error(c, path, 0, 0, "a NUL byte (\\0) in the file; remove it");
		free(data);
		return NULL;
	}
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		memmove(data, data + 3, n - 2);
		n -= 3;
	}
	*len = n;
	return data;
}

void
import_outs_free(struct import_out *outs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(outs[i].folder);
		free(outs[i].slug);
		buf_free(&outs[i].text);
	}
	free(outs);
}

/* text into path, through a temporary file beside it: over what is there
 * (rename), or only if nothing is (link fails with EEXIST). 0, or errno. */
static int
write_file(const char *path, const struct buf *text, int force)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp), err = 0;
	if (fd < 0) {
		err = errno;
		free(tmp);
		return err;
	}
	if (write_full(fd, text->s, text->len) != 0)
		err = errno;
	if (!err && (fchmod(fd, 0644) != 0 || fsync(fd) != 0))
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && (force ? rename(tmp, path) : link(tmp, path)) != 0)
		err = errno;
	if (err || !force)
		unlink(tmp);
	free(tmp);
	return err;
}

int
import_write(struct import_ctx *c, const char *input, struct import_out *outs, size_t n)
{
	char **paths = xcalloc(n, sizeof *paths);
	int rc = EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		paths[i] = xasprintf("%s/%s/%s.md", c->dir, outs[i].folder, outs[i].slug);
		struct stat st;
		int twice = 0;
		for (size_t j = 0; j < i; j++)
			twice |= strcmp(paths[j], paths[i]) == 0;
		if (twice) {
			import_error(c, input, 0, 0, "%s: another procedure of this import has the same file name", paths[i]);
			rc = EXIT_CONTENT;
		} else if (!c->force && lstat(paths[i], &st) == 0) {
			import_error(c, paths[i], 0, 0, "the file exists already; use --force to overwrite it");
			rc = EXIT_CONTENT;
		}
	}
	for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
		char *folder = xasprintf("%s/%s", c->dir, outs[i].folder);
		int err = mkdir(folder, 0755) != 0 && errno != EEXIST ? errno : 0;
		free(folder);
		if (!err)
			err = write_file(paths[i], &outs[i].text, c->force);
		if (err == EEXIST) {
			import_error(c, paths[i], 0, 0, "the file exists already; use --force to overwrite it");
			rc = EXIT_CONTENT;
		} else if (err) {
			import_error(c, paths[i], 0, 0, "cannot write: %s", strerror(err));
			rc = EXIT_INTERNAL;
		} else {
			printf("%s\n", paths[i]);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

/* ------------------------------------------------------ the command */

/* msg (translated), then arg quoted when given, then where help is. */
static int
bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "congkhai import: %s", msg);
	if (arg)
		fprintf(stderr, " '%s'", arg);
	fputc('\n', stderr);
	fprintf(stderr, tr("Try 'congkhai %s --help'."), "import");
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "content", required_argument, NULL, 'C' }, { "force", no_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct import_ctx c = {0};
	char root[PATH_MAX];
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":C:fh", longs, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(import_help, stdout); return EXIT_OK;
		case 'C': c.dir = optarg; break;
		case 'f': c.force = 1; break;
		case 'd': c.date = optarg; break;
		default:
			return bad_usage(tr(opt == ':' ? "missing value for" : "unknown option"), argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return bad_usage(tr("give dvcqg or letter, then one or more files"), NULL);
	const char *kind = argv[optind];
	int (*run)(struct import_ctx *, const char *) =
	    !strcmp(kind, "dvcqg") ? import_dvcqg : !strcmp(kind, "letter") ? import_letter : NULL;
	if (!run)
		return bad_usage(tr("unknown kind of import"), kind);
	int y, m, d;
	if (c.date && run != import_letter)
		return bad_usage(tr("--date is for letters only"), NULL);
	if (c.date && !date_valid(c.date, &y, &m, &d))
		return bad_usage(tr("--date takes a real date, YYYY-MM-DD"), c.date);
	if (!c.dir)
		c.dir = site_default_dir(root, sizeof root);
	if (!site_language_of(c.dir)) {
		fprintf(stderr, "congkhai import: %s: %s\n", c.dir,
		    tr("no site here (no site.yaml); start one with 'congkhai init'"));
		return EXIT_USAGE;
	}
	int rc = EXIT_OK;
	for (int i = optind + 1; i < argc; i++) {
		int r = run(&c, argv[i]);
		if (r > rc)
			rc = r;
	}
	diag_summary(&c.diag);
	return rc;
}
