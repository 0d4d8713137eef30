/*
 * congkhai.h — the shared model of the core: values, pages, the site,
 * diagnostics and the content source. Every core file includes this.
 *
 * Ownership: a struct site owns its pages; a page owns its strings, its
 * front matter tree and its history tree; a struct val owns its children.
 * Everything is freed by site_free(). Strings are UTF-8, NFC.
 */
#ifndef CONGKHAI_H
#define CONGKHAI_H

#include <stddef.h>
#include <stdarg.h>
#include <time.h>

/* Exit statuses of every command (SPEC §2). */
enum { EXIT_OK = 0, EXIT_CONTENT = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

#define MAX_FILE_SIZE (8u * 1024u * 1024u)

/* ---------------------------------------------------------------- buf.c */
/* A growable byte buffer; always NUL-terminated when len > 0 or after buf_cstr. */
struct buf { char *s; size_t len, cap; };
void  buf_add(struct buf *b, const char *s, size_t n);
void  buf_puts(struct buf *b, const char *s);
void  buf_putc(struct buf *b, char c);
void  buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_cstr(struct buf *b);           /* never NULL; buffer keeps ownership */
char *buf_steal(struct buf *b);          /* caller owns the result; b is reset */
void  buf_free(struct buf *b);
void  buf_reserve(struct buf *b, size_t more);   /* room for more bytes and a NUL past len */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write all n bytes at p to fd, again after EINTR: 0, or -1 with errno
 * (EIO when a write wrote nothing). */
int   write_full(int fd, const char *p, size_t n);
/* qsort's and bsearch's order of an array of strings (char *): strcmp's. */
int   strp_cmp(const void *a, const void *b);

/* ---------------------------------------------------------------- val.c */
/* A YAML value with its position, as parsed by yaml.c. Scalars keep their
 * text: `code: 1.001193` stays the string "1.001193". Plain scalars
 * true/false become V_BOOL, plain integers V_INT, null/~/empty V_NULL. */
enum val_type { V_NULL, V_BOOL, V_INT, V_STR, V_LIST, V_MAP };
struct val {
	enum val_type type;
	int line, col;           /* 1-based position in the source file */
	char *key;               /* set when this is the value of a map entry */
	int key_line, key_col;
	char *str;               /* V_STR text; scalar text for V_BOOL/V_INT too */
	long long num;           /* V_INT value; V_BOOL 0/1 */
	size_t n;                /* children of V_LIST / V_MAP */
	struct val *kids;
};
struct val *val_new(enum val_type t);
void        val_free(struct val *v);        /* frees v and children */
void        val_clear(struct val *v);       /* frees children and strings, keeps v */
struct val *val_get(const struct val *map, const char *key);   /* NULL if absent */
const char *val_str(const struct val *map, const char *key);   /* V_STR text or NULL */
struct val *val_append(struct val *list_or_map);               /* new zeroed child */
struct val *val_set_str(struct val *map, const char *key, const char *s); /* add or replace */
void        val_copy(struct val *dst, const struct val *src);  /* deep copy into dst */
const char *val_type_name(enum val_type t);
void        val_json(struct buf *b, const struct val *v);     /* JSON, keys in order */
void        json_escape(struct buf *b, const char *s, size_t n);   /* a JSON string */

/* --------------------------------------------------------------- diag.c */
/* Diagnostics: `path:line:col: error: message` on stderr; a count at the end.
 * Messages are written in English in the code and shown through tr(). */
struct diag {
	int errors, warnings;
	int quiet;
	struct buf *capture;
	struct buf *json;        /* when set, each message is also appended as a JSON object and ',' */
	struct buf *log;         /* when set, each message and print is also kept as a record */
};
/* With capture set, messages are appended to it instead of going to stderr
 * (worker threads each have their own; the site prints them in order). */
void diag_error(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag_warn(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag_summary(const struct diag *d);
/* Text a plugin prints (stderr, or capture), kept in the log as it is. */
void diag_print(struct diag *d, const char *text);
/* Say again what a log recorded (warnings only when not quiet), without
 * counting; -1, and nothing said, when the log is not well formed. */
int  diag_replay(struct diag *d, const char *log, size_t len);
/* Say and count what another process's log recorded, as if said here
 * (kept in d's log too); -1, and nothing said, when it is not well formed. */
int  diag_absorb(struct diag *d, const char *log, size_t len);
/* i18n.c: the message catalogue; tr() returns the Vietnamese (or English) text. */
void        i18n_set_language(const char *lang);   /* "vi" (default) or "en" */
const char *i18n_language(void);
const char *tr(const char *english);
const char *i18n_key_label(const char *key);       /* "fee" → "Phí, lệ phí" */

/* --------------------------------------------------------------- fold.c */
/* The one folding definition (SPEC §6): NFC, lower case, combining marks
 * removed, đ → d. Results are malloc'd. */
char *text_nfc(const char *s, size_t len);          /* NULL if not valid UTF-8 */
long  utf8_invalid_at(const char *s, size_t len);   /* byte offset or -1 */
char *text_fold(const char *s);
char *text_slug(const char *s);                     /* "Đăng ký" → "dang-ky" */
char *text_sortkey(const char *s);                  /* Vietnamese collation key */

/* ------------------------------------------------------------- source.c */
/* Where content comes from: the working tree or a committed git tree.
 * Paths are relative to the content root and '/'-separated. */
struct source_file { char *path; size_t size; };
struct source {
	const struct source_ops *ops;
	void *ctx;
	char *root;              /* content dir as given by the user (for display) */
};
struct source_ops {
	/* All regular files under `sub` (recursive, sorted by path). Problems
	 * (symlink escaping the tree, unreadable dir) are reported to d. */
	int  (*list)(struct source *s, const char *sub, struct source_file **out, size_t *n, struct diag *d);
	/* Whole file; *len excludes the NUL added at the end. 0 on success. */
	int  (*read)(struct source *s, const char *path, char **data, size_t *len);
	void (*close)(struct source *s);
};
struct source *source_open_fs(const char *root);
struct source *source_open_git(const char *root, const char *rev, struct diag *d); /* history.c */
int  source_list(struct source *s, const char *sub, struct source_file **out, size_t *n, struct diag *d);
int  source_read(struct source *s, const char *path, char **data, size_t *len);
void source_close(struct source *s);
void source_files_free(struct source_file *f, size_t n);
char *source_display(const struct source *s, const char *path); /* "content/x.md" */

/* --------------------------------------------------------------- page.c */
enum page_kind { PAGE_PROCEDURE, PAGE_ARTICLE, PAGE_PAGE };
extern const char *const page_kind_names[];   /* "procedure", "article", "page" */
char *page_slug(const char *path);                 /* "news/Tin mới.md" → "tin-moi" */
char *page_url(enum page_kind kind, const char *slug, const char *code);

/* A stretch of text: where a part stands in a page's unpacked body, or a
 * list item's or a heading's plain text in its section's text (the same
 * words as they stand there, so kept as where they stand, not as another
 * copy). */
struct span { size_t at, len; };
#define SPAN_NONE ((size_t)-1)   /* at: no such stretch */

/* A page's rendered body is kept packed (pack.h), as its parts one after
 * the other, each ending in a NUL: the intro's HTML and text, then each
 * section's heading, HTML and text. A part is read from the body unpacked
 * by page_body(p), as page_part(body, span): a C string. */
struct pack;

struct section {
	char  *title;            /* as written */
	char  *id;               /* slug of the title: "thanh-phan-ho-so" */
	int    known;            /* one of the SPEC's recognised sections */
	int    line;             /* heading line in the file */
	const struct pack *body; /* its page's rendered body, which the page owns */
	struct span head_html;   /* its heading, rendered: "<h2>Thành phần hồ sơ</h2>\n" */
	struct span html;        /* rendered body of the section (heading excluded) */
	struct span text;        /* plain text of the section */
	struct span *items;      /* plain text of top-level list items: stretches of text */
	struct span *groups;     /* per item: the "### " heading above its list, or SPAN_NONE */
	size_t nitems;
};

struct page {
	enum page_kind kind;
	char  *path;             /* "procedures/ho-tich/khai-sinh.md" */
	char  *display;          /* path for diagnostics: "content/procedures/..." */
	char  *url;              /* site-relative: "/thu-tuc/1.001193/" */
	char  *slug;             /* from the file name */
	struct val *meta;        /* front matter (a V_MAP), normalised by validate.c */
	int    body_line;        /* line where the body starts */
	char  *body;             /* Markdown source of the body; freed once rendered (site.c) */
	struct pack *rendered;   /* the parts of its body, rendered (see struct section) */
	struct span intro_html;  /* body before the first level-2 heading */
	struct span intro_text;  /* its plain text; the whole body: page_html, page_text */
	struct section *sections;
	size_t nsections;
	int    draft;
	char **links;            /* root-relative link targets in the body ("/thu-tuc/...") */
	int   *link_lines;       /* their lines in the file */
	size_t nlinks;
	struct val *history;     /* history.c fills it (a V_MAP); NULL without git */
};

/* ---------------------------------------------------------------- site.c */
struct site {
	char  *content_dir;      /* as given */
	char  *content_real;     /* realpath */
	struct source *src;
	struct val *config;      /* site.yaml (V_MAP) with defaults filled in */
	const char *language;    /* "vi" / "en", points into config */
	char  *base_url;         /* "https://x.gov.vn/sub/" (always ends in '/') */
	char  *base_path;        /* "/sub/" or "/" */
	int    unsafe_html, show_authors, drafts;
	int    strict;           /* check --strict: unverified facts are errors */
	const char **levels;     /* allowed levels (NULL-terminated; strings in config) */
	struct page *pages;      /* sorted by path */
	size_t npages;
	size_t unparsed;         /* content files that could not be parsed */
	struct val *data;        /* data/ files by name (V_MAP) */
	struct val *deleted;     /* history.c: deleted procedures (V_LIST of V_MAP) */
	struct val *history_info;/* history.c: repository facts (V_MAP) or NULL */
	time_t asof;             /* the build's as-of date (SPEC §8) */
	char  *out_dir;          /* final output directory */
	char  *out_tmp;          /* temporary sibling being written */
	char  *out_spare;        /* where the tree a build replaces is kept for the next, or NULL */
	struct spare *spare;     /* out_tmp's files and folders an earlier build left (spare.c) */
	char  *out_made;         /* the last folder made or found in it (output.c) */
	int    out_prev;         /* the site being replaced (output.c), an open directory + 1; 0: none */
	char  *prev_name;        /* the last folder of it opened (output.c) ... */
	int    prev_fd;          /* ... open + 1; 0: none */
	struct diag diag;
	const char *rev;         /* --rev or NULL */
	int    jobs;
	struct memo *memo;       /* site:each's memo while a build writes (memo.c), or NULL */
};
/* The content root when -C is not given: the nearest folder upward holding
 * site.yaml, or holding content/site.yaml (then that content/); else
 * content/ if it exists, else ".". Written to buf, relative to the cwd. */
const char *site_default_dir(char *buf, size_t n);
/* The default output for a content root: site/ beside a folder named
 * content, else site/ inside the root. Written to buf. */
const char *site_default_output(const char *content, char *buf, size_t n);
struct site *site_new(const char *content_dir);
void site_free(struct site *s);
/* Load site.yaml, every content file, data/; render Markdown; validate.
 * Returns 0 when no error was found (diagnostics are in s->diag). */
int  site_load(struct site *s);
int  site_load_with(struct site *s, const char *base_url_override);
int  site_load_config(struct site *s, const char *base_url_override);   /* site.yaml only */
struct page *site_find_code(struct site *s, const char *code);
/* The as-of date as a day, "YYYY-MM-DD" (UTC): what plugins see as site.asof. */
void site_asof_day(const struct site *s, char day[11]);
/* The language ("vi" or "en") of the site in dir, from its site.yaml alone
 * (for commands that write content without loading the site), also set as
 * the messages' language; NULL when dir holds no site.yaml. */
const char *site_language_of(const char *dir);

/* -------------------------------------------------------- the rest */
/* yaml.c */
struct val *yaml_parse(const char *text, size_t len, int line_offset,
                       const char *display, struct diag *d);
/* frontmatter.c: split, parse and check one Markdown file. */
int  page_parse(struct page *p, const char *data, size_t len, struct diag *d);
/* The bytes of a file up to the end of its front matter's closing fence
 * (the first later line that is "---" or "...", trailing blanks allowed,
 * ending in LF): page_parse of that prefix decides the front matter as of
 * the whole file. len when there is no such line. */
size_t page_front_matter_len(const char *s, size_t len);
/* markdown.c */
void  markdown_init(void);
char *markdown_html(const char *md, const char *base_path, int unsafe);
void  markdown_page(struct page *p, const char *base_path, int unsafe);
/* The whole body's HTML, and its plain text (malloc'd), joined from body,
 * p's page_body when the caller has it unpacked, else (NULL) from p's own. */
char *page_html(const struct page *p, const char *body);
char *page_text(const struct page *p, const char *body);
/* The rendered body of a page unpacked, malloc'd: the parts its spans
 * point into. */
char *page_body(const struct page *p);
#define page_part(body, span) ((const char *)(body) + (span).at)
/* Item k of section s, or its group when group is set, in body (s's page's
 * page_body): a pointer into the section's text and its length in *len;
 * NULL (no group) when it has none. */
const char *section_item(const char *body, const struct section *s, size_t k, int group,
    size_t *len);
void  page_free(struct page *p);         /* frees what p owns, not p itself */
char *markdown_text(const char *md);     /* plain text, as page_text gives it */
/* 0, or the line (1-based) of md from which its tables could be too large
 * for cmark-gfm: a row of more than MARKDOWN_MAX_CELLS cells, or more than
 * MARKDOWN_MAX_TABLE_CELLS in all. markdown_* then render its tables as text. */
#define MARKDOWN_MAX_CELLS       128
#define MARKDOWN_MAX_TABLE_CELLS 200000
int   markdown_table_limit(const char *md);
/* validate.c */
void validate_page(struct site *s, struct page *p);
void validate_site(struct site *s);
void validate_links(struct site *s);     /* after history: deleted pages count */
int  date_valid(const char *s, int *y, int *m, int *d);   /* YYYY-MM-DD, real */
int  code_valid(const char *code);                        /* 1.001193 */
/* The name in the NULL-terminated list within typo distance of word, or NULL. */
const char *did_you_mean(const char *word, const char *const *names);
/* data.c: data/ files into s->data */
void data_load(struct site *s);
/* output.c: atomic output (SPEC §8). */
int  output_check_dir(const char *out, const char *content_dir, struct diag *d);
int  output_begin(struct site *s, const char *home);   /* home: memo_home's, or NULL */
int  output_write(struct site *s, const char *rel, const char *data, size_t len, char **err);
/* A file of the temporary tree opened for writing (the checks of
 * output_write), or -1 and *err; output_put writes all of data to it. */
int  output_open(struct site *s, const char *rel, char **err);
int  output_put(int fd, const char *rel, const char *data, size_t len, char **err);
/* Add data to the end of rel (made when it is not there; a file carried
 * over from the old site is copied first, never written through); add
 * the file from (in the tree being built) to the end of rel and remove
 * it. 0, or -1 and *err (malloc'd). */
int  output_append(struct site *s, const char *rel, const char *data, size_t len, char **err);
int  output_take(struct site *s, const char *rel, const char *from, char **err);
int  output_copy_static(struct site *s);
/* The stat of rel as written in this build's tree (a regular file: 0);
 * and rel of the site being replaced linked into it when that file is
 * still the one whose stat was want (inode, device, size, mtime): 0. */
struct stat;
int  output_stat(struct site *s, const char *rel, struct stat *st);
void output_forget(struct site *s, const char *rel);   /* an earlier build's rel, if any, removed */
int  output_carry_file(struct site *s, const char *rel, const struct stat *want);
int  output_commit(struct site *s);
void output_abort(struct site *s);
void output_remove(const char *dir);     /* rm -r, never following links */
int  output_safe_relpath(const char *rel);
char *output_resolve(const char *path);  /* realpath, also of a path not there yet; NULL */
void output_tidy(const char *out);       /* remove the temporary trees of killed builds */
int  output_under(const char *dir, const char *path);   /* path is dir, or below it */
/* hooks.c: whether a commit message's subject is a change note citizens
 * can read (or minor:); -1 and *why (malloc'd) when not. */
int  hooks_check_subject(const char *msg, int english, char **why);
/* build.c: what build, check and serve share. The caller sets the site's
 * content_dir, out_dir, rev, drafts, jobs and diag. site_prepare loads,
 * attaches history and checks links; site_build also writes the output
 * and swaps it in, or leaves the previous one. Both return EXIT_*. */
int  site_prepare(struct site *s, const char *base_url);
int  site_build(struct site *s, const char *base_url);
/* plugin.c: load and run plugins. Returns an EXIT_* status. */
int  plugins_run(struct site *s);
int  plugins_list(struct site *s);          /* `congkhai plugins` */
int  plugins_check(struct site *s);         /* load only: names, hooks, options */
char *plugins_builtin_dir(void);            /* the built-in plugins' folder (malloc'd) */
/* history.c: attach history to pages; fill s->asof. 0 on success. */
int  history_attach(struct site *s);

#endif
