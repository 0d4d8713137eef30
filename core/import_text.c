/*
 * import_text.c — the text conversions of `congkhai import` (import.h):
 * HTML fragments to plain lines, plain lines to Markdown blocks with
 * markup escaped, a front matter map to block YAML, and file names.
 * Owns nothing; every string it returns is malloc'd for the caller.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "import.h"

/* ------------------------------------------------------------ HTML */

/* The named entities that portal HTML uses: markup, typography, and the
 * Latin-1 letters of Vietnamese. Any other name stays as written. */
static const char *const entities[][2] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
	{ "nbsp", " " }, { "ndash", "–" }, { "mdash", "—" }, { "hellip", "…" },
	{ "lsquo", "‘" }, { "rsquo", "’" }, { "ldquo", "“" }, { "rdquo", "”" }, { "bull", "•" },
	{ "agrave", "à" }, { "aacute", "á" }, { "acirc", "â" }, { "atilde", "ã" },
	{ "egrave", "è" }, { "eacute", "é" }, { "ecirc", "ê" }, { "igrave", "ì" },
	{ "iacute", "í" }, { "ograve", "ò" }, { "oacute", "ó" }, { "ocirc", "ô" },
	{ "otilde", "õ" }, { "ugrave", "ù" }, { "uacute", "ú" }, { "yacute", "ý" },
	{ "Agrave", "À" }, { "Aacute", "Á" }, { "Acirc", "Â" }, { "Atilde", "Ã" },
	{ "Egrave", "È" }, { "Eacute", "É" }, { "Ecirc", "Ê" }, { "Igrave", "Ì" },
	{ "Iacute", "Í" }, { "Ograve", "Ò" }, { "Oacute", "Ó" }, { "Ocirc", "Ô" },
	{ "Otilde", "Õ" }, { "Ugrave", "Ù" }, { "Uacute", "Ú" }, { "Yacute", "Ý" },
};

static void
put_utf8(struct buf *b, unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp == 0xA0)
		cp = ' ';
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xC0 | (cp >> 6)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xE0 | (cp >> 12)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_putc(b, (char)(0xF0 | (cp >> 18)));
		buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* The entity at s ('&'), decoded into b; returns the bytes read, or 0
 * when s starts no entity. */
static size_t
entity(struct buf *b, const char *s)
{
	size_t n = 1;
	while (n < 12 && (isalnum((unsigned char)s[n]) || s[n] == '#'))
		n++;
	if (s[n] != ';' || n < 2)
		return 0;
	if (s[1] == '#') {
		char *end;
		int hex = s[2] == 'x' || s[2] == 'X';
		unsigned long cp = strtoul(s + 2 + hex, &end, hex ? 16 : 10);
		if (end != s + n || end == s + 2 + hex)
			return 0;
		put_utf8(b, cp);
		return n + 1;
	}
	for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
		if (strlen(entities[i][0]) == n - 1 && strncmp(entities[i][0], s + 1, n - 1) == 0) {
			buf_puts(b, entities[i][1]);
			return n + 1;
		}
	return 0;
}

/* The tag at s ('<'), replaced in b by what it means for plain text;
 * returns the bytes read, or 0 when s starts no tag ("< 5 ngày"). */
static size_t
tag(struct buf *b, const char *s)
{
	static const char *const blocks[] = { "br", "p", "div", "tr", "ul", "ol", "table",
		"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "hr", NULL };
	const char *p = s + 1;
	if (*p == '/')
		p++;
	if (!isalpha((unsigned char)*p) && *p != '!')
		return 0;
	const char *end = memchr(p, '>', strnlen(p, 1024));   /* a tag is short; "<" alone is text */
	if (!end)
		return 0;
	size_t n = 0;
	while (isalnum((unsigned char)p[n]))
		n++;
	if (n == 2 && strncasecmp(p, "li", 2) == 0 && s[1] != '/')
		buf_puts(b, "\n- ");
	else if ((n == 2 && (strncasecmp(p, "td", 2) == 0 || strncasecmp(p, "th", 2) == 0)))
		buf_putc(b, ' ');
	else
		for (const char *const *k = blocks; *k; k++)
			if (strlen(*k) == n && strncasecmp(p, *k, n) == 0) {
				buf_putc(b, '\n');
				break;
			}
	return (size_t)(end - s) + 1;
}

/* Each line trimmed and its runs of spaces made one; blank lines dropped. */
static char *
tidy_lines(const char *s)
{
	struct buf b = {0};
	while (*s) {
		size_t n = strcspn(s, "\n");
		int space = 0, any = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v') {
				space = 1;
				continue;
			}
			if (space && any)
				buf_putc(&b, ' ');
			buf_putc(&b, s[i]);
			space = 0;
			any = 1;
		}
		if (any)
			buf_putc(&b, '\n');
		s += n + (s[n] == '\n');
	}
	if (b.len)
		b.s[--b.len] = '\0';
	return buf_steal(&b);
}

char *
import_plain(const char *html)
{
	struct buf b = {0};
	for (const char *s = html; *s;) {
		size_t n = 0;
		if (*s == '<')
			n = tag(&b, s);
		else if (*s == '&')
			n = entity(&b, s);
		else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)  /* no-break space */
			buf_putc(&b, ' '), n = 2;
		if (n) {
			s += n;
			continue;
		}
		buf_putc(&b, *s++);
	}
	char *tidy = tidy_lines(buf_cstr(&b));
	buf_free(&b);
	char *nfc = text_nfc(tidy, strlen(tidy));
	if (nfc) {
		free(tidy);
		return nfc;
	}
	return tidy;
}

/* -------------------------------------------------------- Markdown */

/* An HTML entity would start at s ('&'): "&amp;", "&#39;". */
static int
entity_like(const char *s)
{
	size_t n = 1;
	while (n < 33 && (isalnum((unsigned char)s[n]) || s[n] == '#'))
		n++;
	return n > 1 && s[n] == ';';
}

void
import_md_inline(struct buf *b, const char *s, int keep_emphasis)
{
	const char *start = s;
	for (; *s; s++) {
		int esc = strchr("\\`<[~", *s) != NULL ||
		    (*s == '&' && entity_like(s)) ||
		    (!keep_emphasis && (*s == '*' || *s == '_')) ||
		    (s == start && (*s == '#' || *s == '>' || *s == '=' || *s == '|'));
		if (esc)
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

const char *
import_list_item(const char *l)
{
	static const char *const marks[] = { "- ", "+ ", "* ", "• ", "– ", NULL };
	for (const char *const *m = marks; *m; m++)
		if (strncmp(l, *m, strlen(*m)) == 0) {
			l += strlen(*m);
			while (*l == ' ')
				l++;
			return *l ? l : NULL;
		}
	if (l[0] == '-' && (isalpha((unsigned char)l[1]) || (unsigned char)l[1] >= 0xC0))
		return l + 1;
	return NULL;
}

void
import_md_blocks(struct buf *b, const char *text, int keep_emphasis)
{
	int prev = 0;                  /* 0 nothing yet, 1 paragraph, 2 list item */
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *line = xstrndup(text, n);
		text += n + (text[n] == '\n');
		char *l = line;
		while (*l == ' ')
			l++;
		if (*l) {
			const char *item = import_list_item(l);
			if (prev && !(item && prev == 2))
				buf_putc(b, '\n');
			if (item)
				buf_puts(b, "- ");
			import_md_inline(b, item ? item : l, keep_emphasis);
			buf_putc(b, '\n');
			prev = item ? 2 : 1;
		}
		free(line);
	}
}

/* ------------------------------------------------------------ YAML */

static void yaml_value(struct buf *b, const struct val *v, int indent);

/* The entries of map, each on its own line at indent; the first one
 * continues the current line when inline (a map inside a list item). */
static void
yaml_map(struct buf *b, const struct val *map, int indent, int inline_first)
{
	for (size_t i = 0; i < map->n; i++) {
		if (i > 0 || !inline_first)
			buf_printf(b, "%*s", indent, "");
		buf_printf(b, "%s:", map->kids[i].key);
		yaml_value(b, &map->kids[i], indent);
	}
}

/* v after "key:" or "- " (the line is open), then the line's end. */
static void
yaml_value(struct buf *b, const struct val *v, int indent)
{
	switch (v->type) {
	case V_NULL: buf_puts(b, "\n"); return;
	case V_BOOL: buf_puts(b, v->num ? " true\n" : " false\n"); return;
	case V_INT:  buf_printf(b, " %lld\n", v->num); return;
	case V_STR:                  /* a JSON string is a YAML double-quoted scalar */
		buf_putc(b, ' ');
		json_escape(b, v->str, strlen(v->str));
		buf_putc(b, '\n');
		return;
	case V_LIST:
		if (!v->n) {
			buf_puts(b, " []\n");
			return;
		}
		buf_putc(b, '\n');
		for (size_t i = 0; i < v->n; i++) {
			buf_printf(b, "%*s-", indent + 2, "");
			if (v->kids[i].type == V_MAP && v->kids[i].n) {
				buf_putc(b, ' ');
				yaml_map(b, &v->kids[i], indent + 4, 1);
			} else {
				yaml_value(b, &v->kids[i], indent + 2);
			}
		}
		return;
	case V_MAP:
		if (!v->n) {
			buf_puts(b, " {}\n");
			return;
		}
		buf_putc(b, '\n');
		yaml_map(b, v, indent + 2, 0);
		return;
	}
}

void
import_front_matter(struct buf *b, const struct val *map)
{
	buf_puts(b, "---\n");
	yaml_map(b, map, 0, 0);
	buf_puts(b, "---\n");
}

struct val *
import_add(struct val *map, const char *key, enum val_type t)
{
	struct val *v = val_append(map);
	v->type = t;
	if (key)
		v->key = xstrdup(key);
	return v;
}

void
import_add_str(struct val *map, const char *key, const char *s)
{
	if (s)
		import_add(map, key, V_STR)->str = xstrdup(s);
}

void *
import_grow(void *p, size_t n, size_t size)
{
	if (n && (n & (n - 1)))
		return p;
	return xrealloc(p, (n ? 2 * n : 1) * size);
}

/* ------------------------------------------------------- file names */

char *
import_slug(const char *title, const char *fallback)
{
	char *s = text_slug(title ? title : "");
	if (!*s && fallback) {
		free(s);
		s = text_slug(fallback);
	}
	size_t n = strlen(s);
	if (n > 80) {
		n = 80;
		while (n > 0 && s[n] != '-')
			n--;
		s[n ? n : 80] = '\0';
	}
	return s;
}
