/*
 * import.h — `congkhai import`: content files written from what offices
 * already have. import.c owns the command line, the context, the messages,
 * reading an input and writing without overwriting; import_text.c the
 * text both importers make (plain text from HTML, Markdown, front matter,
 * file names); import_dvcqg.c turns the national portal's procedure JSON
 * into procedures/, import_letter.c the plain text of an official letter
 * (công văn) into news/.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>
#include "congkhai.h"

/* One run of the command: where to write and how, and its diagnostics. */
struct import_ctx {
	const char *dir;         /* content directory */
	int force;               /* overwrite existing files */
	const char *date;        /* --date YYYY-MM-DD for letters that give none, or NULL */
	struct diag diag;
};

/* One file to write: folder under dir ("procedures"), slug, and text. */
struct import_out {
	char *folder, *slug;
	struct buf text;
};

int import_dvcqg(struct import_ctx *c, const char *file);    /* EXIT_* */
int import_letter(struct import_ctx *c, const char *file);   /* EXIT_* */

/* Messages go to the run's diagnostics, as path:line:col; like every
 * message they are written in English and shown through tr() (i18n.c). */
#define import_error(c, ...) diag_error(&(c)->diag, __VA_ARGS__)
#define import_warn(c, ...)  diag_warn(&(c)->diag, __VA_ARGS__)

/* The whole file, NFC, with a NUL after it; NULL (and an error) if it is
 * missing, too large, or not UTF-8. */
char *import_read(struct import_ctx *c, const char *path, size_t *len);

/* Front matter: map (a V_MAP of strings, lists and maps) as block YAML
 * between '---' lines, every string double-quoted. */
void import_front_matter(struct buf *b, const struct val *map);
struct val *import_add(struct val *map, const char *key, enum val_type t);
void import_add_str(struct val *map, const char *key, const char *s);   /* nothing if s is NULL */

/* Markdown: text with what Markdown would read as markup escaped; with
 * keep_emphasis, '*' and '_' are left as written (the text is Markdown). */
void import_md_inline(struct buf *b, const char *s, int keep_emphasis);
/* Lines of plain text as Markdown blocks: a line starting with -, +, * or •
 * is a list item, any other line a paragraph. */
void import_md_blocks(struct buf *b, const char *text, int keep_emphasis);
/* The text of a list item on line l, or NULL: "- x", "+ x", "* x", "• x",
 * "– x", and "-x" where x is a letter. */
const char *import_list_item(const char *l);
/* Plain text from a field that may hold HTML: tags dropped (block tags and
 * <br> end lines, <li> starts a list item), entities decoded, spaces
 * collapsed, blank lines removed. */
char *import_plain(const char *html);

/* Room for element n of an array p of n elements of size bytes: the
 * array doubles when n is a power of two, so appending stays linear. */
void *import_grow(void *p, size_t n, size_t size);

/* A file name for title: its slug, cut to a word at most 80 bytes long;
 * fallback's slug when the title gives none. */
char *import_slug(const char *title, const char *fallback);
/* Write every output; refuses an existing file unless c->force. Prints
 * each path written. EXIT_* */
int import_write(struct import_ctx *c, const char *input, struct import_out *outs, size_t n);
void import_outs_free(struct import_out *outs, size_t n);

#endif
