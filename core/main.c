/*
 * main.c — the `congkhai` command line: one binary, one function per
 * command, options parsed with getopt_long. Owns nothing but argument
 * handling and the order in which a command calls the core.
 */
#include <getopt.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "congkhai.h"
#include "fingerprint.h"
#include "history.h"
#include "index.h"

/* jemalloc's options (the release binary links it, Makefile; other
 * builds never read this): memory freed goes back to the system after a
 * second rather than ten, and at once rather than kept "muzzy". A build
 * frees a phase's garbage (the portal's pages, the search index's keys)
 * just before the next phase allocates as much again, and the pages kept
 * dirty were counted in its peak twice: 226-230 -> 204-206 MiB at
 * 10,000 procedures with history, in the same time (bench/README.md). */
const char *malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static int cmd_build(int, char **);
static int cmd_check(int, char **);
static int cmd_plugins(int, char **);
int cmd_new(int, char **);     /* scaffold.c */
int cmd_init(int, char **);    /* init.c */
int cmd_hooks(int, char **);   /* hooks.c */
int cmd_serve(int, char **);   /* serve.c */
int cmd_import(int, char **);  /* import.c */

static const struct command commands[] = {
	{ "build",   cmd_build,   "build the site from content into an output directory" },
	{ "check",   cmd_check,   "validate all content and internal links without writing output" },
	{ "history", cmd_history, "the public change history of one page" },
	{ "hooks",   cmd_hooks,   "install git hooks that check content and change notes before a commit" },
	{ "import",  cmd_import,  "write procedures from the national portal's JSON, or letters from their text" },
	{ "init",    cmd_init,    "start a new site: site.yaml, the content folders, an example of each kind" },
	{ "new",     cmd_new,     "create a procedure, article or page file with every field explained" },
	{ "plugins", cmd_plugins, "list plugins in load order, where each came from, its hooks" },
	{ "search",  cmd_search,  "query the index of a built site" },
	{ "serve",   cmd_serve,   "build, serve on 127.0.0.1, rebuild on change, reload the browser" },
};

static void
usage(FILE *f)
{
	fputs("usage: congkhai COMMAND [OPTIONS]\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRun 'congkhai COMMAND --help' for a command's options; 'man congkhai'.\n"
	      "Exit status: 0 success, 1 invalid content, 2 usage error, 3 plugin or internal failure.\n", f);
}

static int
bad_usage(const char *cmd, const char *msg)
{
	if (msg)
		fprintf(stderr, "congkhai %s: %s\n", cmd, tr(msg));
	fprintf(stderr, tr("Try 'congkhai %s --help'."), cmd);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* ----------------------------------------------------------------- build */

static const char build_help[] =
	"usage: congkhai build [-C DIR] [-o DIR] [--rev REV] [--base-url URL] [--drafts] [-j N] [-q]\n"
	"\n"
	"Build the site from the content directory into the output directory.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n"
	"  -o, --output DIR    output directory (default: site/ beside content/); replaced atomically\n"
	"      --rev REV       build exactly the committed tree of REV (a git revision)\n"
	"      --base-url URL  override base_url from site.yaml\n"
	"      --drafts        include pages marked draft: true\n"
	"  -j, --jobs N        use N threads, and N processes for site:each\n"
	"  -q, --quiet         print errors only\n";

struct opts {
	const char *content, *output, *rev, *base_url, *commit_msg;
	int drafts, jobs, quiet, json, limit, strict;
	char found[PATH_MAX], out[PATH_MAX];   /* the content root found, the default output */
};

static int
parse_opts(const char *cmd, const char *help, const char *allowed, int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "content", required_argument, NULL, 'C' }, { "output", required_argument, NULL, 'o' },
		{ "rev", required_argument, NULL, 'r' }, { "base-url", required_argument, NULL, 'b' },
		{ "drafts", no_argument, NULL, 'd' }, { "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		{ "commit-msg", required_argument, NULL, 'm' }, { "json", no_argument, NULL, 'J' },
		{ "strict", no_argument, NULL, 'S' }, { NULL, 0, NULL, 0 } };
	memset(o, 0, sizeof *o);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = cpus > 0 && cpus < 64 ? (int)cpus : 1;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":C:o:j:qh", longs, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return 1;
		}
		if (c == '?' || c == ':' || !strchr(allowed, c)) {
			fprintf(stderr, "congkhai %s: %s '%s'\n", cmd,
			    tr(c == ':' ? "missing value for" : "unknown option"), argv[optind - 1]);
			return bad_usage(cmd, NULL);
		}
		switch (c) {
		case 'C': o->content = optarg; break;
		case 'o': o->output = optarg; break;
		case 'r': o->rev = optarg; break;
		case 'b': o->base_url = optarg; break;
		case 'd': o->drafts = 1; break;
		case 'q': o->quiet = 1; break;
		case 'm': o->commit_msg = optarg; break;
		case 'J': o->json = 1; break;
		case 'S': o->strict = 1; break;
		case 'j':
			o->jobs = atoi(optarg);
			if (o->jobs < 1 || o->jobs > 256)
				return bad_usage(cmd, "-j takes a number from 1 to 256");
			break;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "congkhai %s: %s '%s'\n", cmd, tr("unexpected argument"), argv[optind]);
		return bad_usage(cmd, NULL);
	}
	if (!o->content)
		o->content = site_default_dir(o->found, sizeof o->found);
	if (!o->output)
		o->output = site_default_output(o->content, o->out, sizeof o->out);
	return 0;
}

static double
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}


/* What the options say about the site being built or checked. */
static void
setup_site(struct site *s, const struct opts *o)
{
	s->drafts = o->drafts;
	s->jobs = o->jobs;
	s->rev = o->rev;
	s->diag.quiet = o->quiet;
}

static int
cmd_build(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("build", build_help, "Corbdjq", argc, argv, &o);
	if (rc)
		return rc == 1 ? EXIT_OK : rc;
	double t0 = now_ms();
	struct site *s = site_new(o.content);
	s->out_dir = xstrdup(o.output);
	setup_site(s, &o);
	/* nothing changed since the last build: its site stands, its messages
	 * are said again (fingerprint.c) */
	struct fp *fp = fp_begin(s, o.base_url);
	struct buf log = {0};
	size_t n[3] = { 0, 0, 0 };
	if (fp_unchanged(fp, s, n)) {
		rc = EXIT_OK;
	} else {
		s->diag.log = &log;
		rc = site_build(s, o.base_url);
		for (size_t i = 0; i < s->npages; i++)
			n[s->pages[i].kind]++;
		if (rc == EXIT_OK)
			fp_save(fp, s, &log, n);
	}
	fp_free(fp);
	buf_free(&log);
	if (rc == EXIT_USAGE && !s->config) {
		diag_summary(&s->diag);
	} else if (rc != EXIT_OK) {
		diag_summary(&s->diag);
		fprintf(stderr, "%s\n", tr("build failed; the previous site is unchanged"));
	} else {
		if (!o.quiet) {
			diag_summary(&s->diag);
			fprintf(stderr, tr("built %s: %zu procedures, %zu articles, %zu pages in %.0f ms"),
			    s->out_dir, n[0], n[1], n[2], now_ms() - t0);
			fputc('\n', stderr);
		}
	}
	site_free(s);
	return rc;
}

/* ----------------------------------------------------------------- check */

static const char check_help[] =
	"usage: congkhai check [-C DIR] [--strict] [--json] [--commit-msg FILE]\n"
	"\n"
	"Validate all content and internal links without writing output; every\n"
	"problem is reported as path:line:col: error: message. Exit 1 if any.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n"
	"      --strict        facts written 'chưa xác minh' (not yet verified) are errors\n"
	"      --json          also print every problem as JSON on standard output\n"
	"      --commit-msg F  check only that the subject in file F is a change note\n"
	"                      citizens can read, or starts with minor: (congkhai hooks)\n";

/* check --commit-msg FILE: the subject rule of hooks.c, in the site's language. */
static int
check_commit_msg(const struct opts *o)
{
	FILE *f = fopen(o->commit_msg, "rb");
	if (!f) {
		fprintf(stderr, "congkhai check: %s: %s\n", o->commit_msg, strerror(errno));
		return EXIT_USAGE;
	}
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 20))
		buf_add(&b, chunk, n);
	fclose(f);
	struct site *s = site_new(o->content);
	site_load_config(s, NULL);
	char *why;
	int rc = hooks_check_subject(buf_cstr(&b), strcmp(s->language ? s->language : "vi", "en") == 0, &why);
	if (rc != 0) {
		fprintf(stderr, "%s:1:1: error: %s\n", o->commit_msg, why);
		fprintf(stderr, "%s\n", tr("hint: e.g. 'Sửa đổi lệ phí theo Quyết định 1234/QĐ-UBND', or 'minor: ...' for a change citizens need not see"));
		free(why);
	}
	buf_free(&b);
	site_free(s);
	return rc ? EXIT_CONTENT : EXIT_OK;
}

static int
cmd_check(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("check", check_help, "CqmJS", argc, argv, &o);
	if (rc)
		return rc == 1 ? EXIT_OK : rc;
	if (o.commit_msg)
		return check_commit_msg(&o);
	struct site *s = site_new(o.content);
	struct buf json = {0};
	setup_site(s, &o);
	s->strict = o.strict;
	if (o.json)
		s->diag.json = &json;
	rc = site_prepare(s, o.base_url);
	if (rc != EXIT_USAGE && s->config) {   /* plugins, hooks and options, as build loads them */
		int prc = plugins_check(s);
		if (prc == EXIT_INTERNAL || (prc != EXIT_OK && rc == EXIT_OK))
			rc = prc;
	}
	diag_summary(&s->diag);
	if (rc == EXIT_OK) {
		size_t n[3] = { 0, 0, 0 };
		for (size_t i = 0; i < s->npages; i++)
			n[s->pages[i].kind]++;
		fprintf(stderr, tr("%s: %zu procedures, %zu articles, %zu pages: no errors"),
		    o.content, n[0], n[1], n[2]);
		fputc('\n', stderr);
	}
	if (o.json) {                          /* the objects each end with ',' */
		if (json.len)
			json.s[--json.len] = '\0';
		printf("[%s]\n", json.len ? json.s : "");
	}
	buf_free(&json);
	site_free(s);
	return rc;
}

/* --------------------------------------------------------------- plugins */

static const char plugins_help[] =
	"usage: congkhai plugins [-C DIR]\n"
	"\n"
	"List the plugins that a build runs, in load order, with where each came\n"
	"from (the site's plugins/ folder or the built-in ones) and its hooks.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n";

static int
cmd_plugins(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("plugins", plugins_help, "C", argc, argv, &o);
	if (rc)
		return rc == 1 ? EXIT_OK : rc;
	struct site *s = site_new(o.content);
	if (site_load_config(s, NULL) != 0) {      /* the list needs site.yaml only */
		diag_summary(&s->diag);
		site_free(s);
		return EXIT_CONTENT;
	}
	rc = plugins_list(s);
	site_free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("congkhai %s\n", CONGKHAI_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "congkhai: %s '%s'\n", tr("unknown command"), argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
