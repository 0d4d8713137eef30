/*
 * markdown.c — Markdown → HTML, text and sections, on cmark-gfm.
 *
 * GFM tables, autolinks, strikethrough. Raw HTML is dropped unless the
 * site says unsafe_html (cmark's safe mode); links and images with a
 * javascript:, vbscript:, data: or file: URL are always unwrapped to
 * their text; root-relative links ("/thu-tuc/...") get the site's base
 * path. A page's body is split into sections at level-2 headings.
 * The parse tree is owned here and freed before returning; every string
 * stored in the page is malloc'd and owned by the page.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include "congkhai.h"
#include "pack.h"

/* The SPEC's recognised procedure sections, by slug of their title. */
static const char *const known_sections[] = {
	"trinh-tu-thuc-hien", "cach-thuc-thuc-hien", "thanh-phan-ho-so",
	"doi-tuong-thuc-hien", "ket-qua-thuc-hien", "yeu-cau-dieu-kien",
	"can-cu-phap-ly", "mau-don-to-khai", NULL };

/* Whether two heading slugs are the same words, a syllable-final i and y
 * being one letter (lí/lý, kí/ký: both spellings are in use). */
static int
same_heading(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int ea = a[1] == '-' || a[1] == '\0', eb = b[1] == '-' || b[1] == '\0';
		int iy = (*a == 'i' || *a == 'y') && (*b == 'i' || *b == 'y') && ea && eb;
		if (*a != *b && !iy)
			return 0;
	}
	return *a == *b;
}

/* Register cmark-gfm's extensions; call before starting threads. */
void
markdown_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* cmark-gfm's table extension takes time quadratic in a row's cells (a
 * 2 MB row of 20,000 cells: minutes), and it pads every row below a
 * header to the header's width, so a wide header over many short lines
 * makes millions of nodes (500 KB of text: 8 GB and 40 s). Tables are
 * turned off, and render as text, where either could happen. Counted
 * generously, line by line as cmark splits lines (LF, CR LF or CR): a
 * line of more than MARKDOWN_MAX_CELLS pipes is too wide; a delimiter row
 * ("|---|:-:|", after the blanks and '>' of containers) of n pipes may
 * start a table n + 1 cells wide, and every line up to the next blank one
 * may be a row of the widest such table; MARKDOWN_MAX_TABLE_CELLS in all. */
int
markdown_table_limit(const char *md)
{
	size_t total = 0, width = 0;
	int line = 1;
	if (!strchr(md, '|'))
		return 0;                        /* no pipe, no cell: most pages */
	for (const char *l = md; *l; line++) {
		const char *e = l + strcspn(l, "\r\n"), *c = l;
		while (c < e && (*c == ' ' || *c == '\t' || *c == '>'))
			c++;
		size_t pipes = 0;
		int delim = 1, dash = 0, blank = 1;
		for (; c < e; c++) {
			if (*c == '|')
				pipes++;
			else if (*c == '-')
				dash = 1;
			else if (*c != ':' && *c != ' ' && *c != '\t' && *c != '\v' && *c != '\f')
				delim = 0;               /* cmark-gfm's spacechar: [ \t\v\f] */
			if (*c != ' ' && *c != '\t')
				blank = 0;
		}
		if (pipes > MARKDOWN_MAX_CELLS)
			return line;
		if (blank)
			width = 0;
		else {
			if (delim && dash && pipes && pipes + 1 > width) {
				width = pipes + 1;
				total += width;          /* the header row above */
			}
			total += width;
			if (total > MARKDOWN_MAX_TABLE_CELLS)
				return line;
		}
		l = e[0] == '\r' && e[1] == '\n' ? e + 2 : *e ? e + 1 : e;
	}
	return 0;
}

static cmark_parser *
new_parser(int options, const char *md)
{
	static const char *const exts[] = { "table", "autolink", "strikethrough", "tagfilter" };
	markdown_init();
	cmark_parser *p = cmark_parser_new(options);
	for (size_t i = markdown_table_limit(md) != 0; i < sizeof exts / sizeof exts[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	return p;
}

static int
dangerous_url(const char *url)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "data:", "file:" };
	char scheme[16];
	size_t j = 0;
	/* browsers ignore control characters and blanks inside the scheme */
	for (const unsigned char *u = (const unsigned char *)url; *u && j < sizeof scheme - 1; u++)
		if (*u > ' ')
			scheme[j++] = (char)*u;
	scheme[j] = '\0';
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncasecmp(scheme, schemes[i], strlen(schemes[i])) == 0)
			return 1;
	return 0;
}

/* Replace node by its children (links) or by nothing (images). */
static void
unwrap(cmark_node *n)
{
	if (cmark_node_get_type(n) == CMARK_NODE_LINK) {
		cmark_node *c;
		while ((c = cmark_node_first_child(n)) != NULL)
			cmark_node_insert_before(n, c);
	}
	cmark_node_free(n);
}

/* Sanitise and rebase every link and image; record internal links in p. */
static void
fix_links(cmark_node *doc, const char *base, struct page *p)
{
	cmark_node **drop = NULL;
	size_t ndrop = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
			continue;
		const char *url = cmark_node_get_url(n);
		if (!url)
			continue;
		if (dangerous_url(url)) {
			drop = xrealloc(drop, (ndrop + 1) * sizeof *drop);
			drop[ndrop++] = n;
			continue;
		}
		if (url[0] == '/' && url[1] != '/') {
			if (p) {
				p->links = xrealloc(p->links, (p->nlinks + 1) * sizeof *p->links);
				p->link_lines = xrealloc(p->link_lines, (p->nlinks + 1) * sizeof *p->link_lines);
				p->links[p->nlinks] = xstrdup(url);
				p->link_lines[p->nlinks++] = cmark_node_get_start_line(n) + p->body_line - 1;
			}
			if (strcmp(base, "/") != 0) {
				char *u = xasprintf("%s%s", base, url + 1);
				cmark_node_set_url(n, u);
				free(u);
			}
		}
	}
	cmark_iter_free(it);
	/* innermost first: a dropped node may sit inside another ([b](x) in an
	 * image's alt text), which unwrapping the outer one would free */
	for (size_t i = ndrop; i-- > 0;)
		unwrap(drop[i]);
	free(drop);
}

static cmark_node *
parse(const char *md, int options, cmark_parser **pp)
{
	cmark_parser *p = new_parser(options, md);
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	*pp = p;
	return doc;
}

/* Plain text of a subtree: literals, with blocks and breaks as spaces. */
static char *
plain_text(cmark_node *root)
{
	struct buf b = {0};
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
		    t == CMARK_NODE_CODE_BLOCK)) {
			const char *s = cmark_node_get_literal(n);
			if (s)
				buf_puts(&b, s);
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK ||
		    (ev == CMARK_EVENT_EXIT && (t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)) {
			buf_putc(&b, ' ');   /* blocks (table cells too) end in a space */
		}
	}
	cmark_iter_free(it);
	/* collapse white space */
	char *s = buf_cstr(&b), *o = s;
	int sp = 1;
	for (char *c = s; *c; c++) {
		if (*c == ' ' || *c == '\n' || *c == '\t') {
			if (!sp)
				*o++ = ' ';
			sp = 1;
		} else {
			*o++ = *c;
			sp = 0;
		}
	}
	if (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
	b.len = (size_t)(o - s);
	return buf_steal(&b);
}

static int
render_options(int unsafe)
{
	return CMARK_OPT_DEFAULT | (unsafe ? CMARK_OPT_UNSAFE : 0);
}

char *
markdown_html(const char *md, const char *base_path, int unsafe)
{
	cmark_parser *p;
	cmark_node *doc = parse(md, render_options(unsafe), &p);
	fix_links(doc, base_path ? base_path : "/", NULL);
	char *h = cmark_render_html(doc, render_options(unsafe), cmark_parser_get_syntax_extensions(p));
	char *r = xstrdup(h);
	free(h);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return r;
}

char *
markdown_text(const char *md)
{
	cmark_parser *p;
	cmark_node *doc = parse(md, CMARK_OPT_DEFAULT, &p);
	fix_links(doc, "/", NULL);          /* as in a page: dangerous images go */
	char *t = plain_text(doc);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return t;
}

/* Where node n's plain text stands in text, its block's whole plain text,
 * searching from *at and moving *at past it. A block's text is whitespace-
 * delimited in its parent's (blocks end in a blank, collapsed), so it is
 * found; an earlier equal stretch found instead is the same bytes, and ends
 * no later than n's, so the next search still starts before the next node. */
static struct span
find_span(const char *text, size_t *at, cmark_node *n)
{
	char *t = plain_text(n);
	size_t len = strlen(t), lead = *at + strspn(text + *at, " \t\n");
	const char *f = NULL;
	for (size_t i = *at; !f && i <= lead; i++)       /* where it almost always is: */
		if (strncmp(text + i, t, len) == 0)      /* past the space between blocks */
			f = text + i;
	if (!f)
		f = memmem(text + *at, strlen(text + *at), t, len);
	free(t);
	if (!f)
		return (struct span){ SPAN_NONE, 0 };   /* not reached (see above) */
	*at = (size_t)(f - text) + len;
	return (struct span){ (size_t)(f - text), len };
}

static int
is_h2(cmark_node *n)
{
	return cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 2;
}

/* Append part s (malloc'd, taken) to the body being made, with its NUL. */
static struct span
add_part(struct buf *body, char *s)
{
	struct span sp = { body->len, strlen(s) };
	buf_add(body, s, sp.len + 1);
	free(s);
	return sp;
}

/* Move the top-level siblings [from, until) into a new document; append
 * its HTML to body as *html and, when text is not NULL, its plain text as
 * *text; with sec, also the section's list items. */
static void
render_range(cmark_node *from, cmark_node *until, cmark_parser *p, int opts,
    struct buf *body, struct span *html, struct span *text, struct section *sec)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *n = from;
	while (n && n != until) {
		cmark_node *next = cmark_node_next(n);
		cmark_node_append_child(doc, n);
		n = next;
	}
	*html = add_part(body, cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p)));
	char *t = text ? plain_text(doc) : NULL;
	if (sec) {
		struct span h3 = { SPAN_NONE, 0 };   /* the subsection a list sits in ("### Phải nộp") */
		size_t at = 0;
		for (cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c)) {
			if (cmark_node_get_type(c) == CMARK_NODE_HEADING)
				h3 = cmark_node_get_heading_level(c) == 3 ? find_span(t, &at, c) :
				    (struct span){ SPAN_NONE, 0 };
			if (cmark_node_get_type(c) != CMARK_NODE_LIST)
				continue;
			for (cmark_node *it = cmark_node_first_child(c); it; it = cmark_node_next(it)) {
				sec->items = xrealloc(sec->items, (sec->nitems + 1) * sizeof *sec->items);
				sec->groups = xrealloc(sec->groups, (sec->nitems + 1) * sizeof *sec->groups);
				sec->groups[sec->nitems] = h3;
				sec->items[sec->nitems++] = find_span(t, &at, it);
			}
		}
	}
	if (t)
		*text = add_part(body, t);
	cmark_node_free(doc);
}

/* A page's body is kept once, in parts: the intro and each section, each
 * as HTML and text, packed (struct section). The whole body's HTML and
 * text are the parts joined (page_html, page_text), which is what cmark
 * gives for the whole tree: its HTML renders block by block, and
 * plain_text's blanks collapse across the joins. fuzz_markdown checks
 * both against the whole tree. */
void
markdown_page(struct page *p, const char *base_path, int unsafe)
{
	int opts = render_options(unsafe);
	cmark_parser *parser;
	cmark_node *doc = parse(p->body ? p->body : "", opts, &parser);
	fix_links(doc, base_path ? base_path : "/", p);

	struct buf body = {0};
	cmark_node *first = cmark_node_first_child(doc), *h2 = first;
	while (h2 && !is_h2(h2))
		h2 = cmark_node_next(h2);
	render_range(first, h2, parser, opts, &body, &p->intro_html, &p->intro_text, NULL);
	while (h2) {
		cmark_node *next = cmark_node_next(h2);
		while (next && !is_h2(next))
			next = cmark_node_next(next);
		p->sections = xrealloc(p->sections, (p->nsections + 1) * sizeof *p->sections);
		struct section *s = &p->sections[p->nsections++];
		memset(s, 0, sizeof *s);
		s->title = plain_text(h2);
		s->id = text_slug(s->title);
		s->line = cmark_node_get_start_line(h2) + p->body_line - 1;
		for (const char *const *k = known_sections; *k && !s->known; k++)
			if (same_heading(*k, s->id)) {
				s->known = 1;              /* "Căn cứ pháp lí" is "Căn cứ pháp lý" */
				free(s->id);
				s->id = xstrdup(*k);
			}
		cmark_node *sbody = cmark_node_next(h2);
		render_range(h2, sbody, parser, opts, &body, &s->head_html, NULL, NULL);   /* frees h2 */
		render_range(sbody, next, parser, opts, &body, &s->html, &s->text, s);   /* items: in text */
		h2 = next;
	}
	cmark_node_free(doc);
	cmark_parser_free(parser);
	p->rendered = pack_make(body.s ? body.s : "", body.len);
	buf_free(&body);
	for (size_t i = 0; i < p->nsections; i++)
		p->sections[i].body = p->rendered;
}

char *
page_body(const struct page *p)
{
	return pack_open(p->rendered);
}

char *
page_html(const struct page *p, const char *body)
{
	char *own = body ? NULL : page_body(p);
	if (own)
		body = own;
	struct buf b = {0};
	buf_puts(&b, page_part(body, p->intro_html));
	for (size_t i = 0; i < p->nsections; i++) {
		buf_puts(&b, page_part(body, p->sections[i].head_html));
		buf_puts(&b, page_part(body, p->sections[i].html));
	}
	free(own);
	return buf_steal(&b);
}

const char *
section_item(const char *body, const struct section *s, size_t k, int group, size_t *len)
{
	struct span sp = group ? s->groups[k] : s->items[k];
	*len = sp.at == SPAN_NONE ? 0 : sp.len;
	return sp.at == SPAN_NONE ? (group ? NULL : "") : page_part(body, s->text) + sp.at;
}

char *
page_text(const struct page *p, const char *body)
{
	char *own = body ? NULL : page_body(p);
	if (own)
		body = own;
	struct buf b = {0};
	const char *part = page_part(body, p->intro_text);
	for (size_t i = 0; ; i++) {
		if (*part) {
			if (b.len)
				buf_putc(&b, ' ');
			buf_puts(&b, part);
		}
		if (i == 2 * p->nsections)
			break;
		const struct section *s = &p->sections[i / 2];
		part = i % 2 == 0 ? s->title : page_part(body, s->text);
	}
	free(own);
	return buf_steal(&b);
}
