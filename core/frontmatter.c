/*
 * frontmatter.c — one Markdown file's bytes → page->meta and page->body.
 *
 * Checks the bytes are UTF-8 (reporting the first bad byte's offset and
 * line), drops a BOM, turns CRLF into LF, NFC-normalises, splits the YAML
 * front matter between `---` lines from the body and parses it. Errors go
 * to d with p->display as the path. Owns nothing beyond what it stores in p.
 */
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"

/* line and column (1-based, the column in characters) of offset off in
 * the raw bytes, as an editor shows them: lines end in LF, CR LF or CR,
 * and a BOM is no character */
static void
position(const char *s, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = off >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; i < off; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) {
			(*line)++;
			*col = 1;
		} else if (s[i] != '\r' && ((unsigned char)s[i] & 0xC0) != 0x80)   /* columns count characters */
			(*col)++;
	}
}

/* Copy without a BOM and with CRLF / lone CR turned into LF. */
static char *
normalise_newlines(const char *s, size_t len, size_t *outlen)
{
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	char *o = xmalloc(len + 1);
	size_t j = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r') {
			o[j++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else
			o[j++] = s[i];
	}
	o[j] = '\0';
	*outlen = j;
	return o;
}

/* Is the line at s a fence ("---" or "..." with optional trailing blanks)? */
static int
is_fence(const char *s, int allow_dots)
{
	if (strncmp(s, "---", 3) != 0 && !(allow_dots && strncmp(s, "...", 3) == 0))
		return 0;
	for (s += 3; *s == ' ' || *s == '\t'; s++)
		;
	return *s == '\n' || *s == '\0';
}

size_t
page_front_matter_len(const char *s, size_t len)
{
	/* page_parse's first closing fence can come no later: every line up to
	 * this one reads the same once CRs are turned into LFs and the text is
	 * made NFC, which no LF and no fence character takes part in */
	const char *nl = memchr(s, '\n', len);
	while (nl) {
		const char *l = nl + 1;
		size_t left = len - (size_t)(l - s), k = 3;
		if (left > 3 && (memcmp(l, "---", 3) == 0 || memcmp(l, "...", 3) == 0)) {
			while (k < left && (l[k] == ' ' || l[k] == '\t'))
				k++;
			if (k < left && l[k] == '\n')
				return (size_t)(l - s) + k + 1;
		}
		nl = memchr(l, '\n', left);
	}
	return len;
}

int
page_parse(struct page *p, const char *data, size_t len, struct diag *d)
{
	long bad = utf8_invalid_at(data, len);
	if (bad >= 0) {
		int line, col;
		position(data, (size_t)bad, &line, &col);
		diag_error(d, p->display, line, col, "invalid UTF-8 at byte offset %ld", bad);
		return -1;
	}
	const char *nul = memchr(data, '\0', len);      /* would cut every string short */
	if (nul) {
		int line, col;
		position(data, (size_t)(nul - data), &line, &col);
		diag_error(d, p->display, line, col, "a NUL byte (\\0) in the file; remove it");
		return -1;
	}
	size_t n;
	char *raw = normalise_newlines(data, len, &n);
	size_t blank = strspn(raw, " \t\n");
	if (blank == n) {
		diag_error(d, p->display, 1, 1, "empty file");
		free(raw);
		return -1;
	}
	char *text = text_nfc(raw, n);
	free(raw);
	if (!is_fence(text, 0)) {
		diag_error(d, p->display, 1, 1, "missing front matter: the file must start with a line '---'");
		free(text);
		return -1;
	}
	char *fm = strchr(text, '\n');
	fm = fm ? fm + 1 : text + strlen(text);
	char *end = fm;
	int line = 2;
	while (*end && !is_fence(end, 1)) {
		char *nl = strchr(end, '\n');
		if (!nl) {
			end += strlen(end);
			break;
		}
		end = nl + 1;
		line++;
	}
	if (!*end) {
		diag_error(d, p->display, 1, 1, "front matter is not closed by a line '---'");
		free(text);
		return -1;
	}
	struct val *meta = yaml_parse(fm, (size_t)(end - fm), 1, p->display, d);
	if (!meta) {
		free(text);
		return -1;
	}
	if (meta->type != V_MAP) {
		diag_error(d, p->display, meta->line ? meta->line : 2, meta->col ? meta->col : 1,
		    "front matter must be a mapping of keys to values, not %s", val_type_name(meta->type));
		val_free(meta);
		free(text);
		return -1;
	}
	char *body = strchr(end, '\n');
	body = body ? body + 1 : end + strlen(end);
	p->meta = meta;
	p->body = xstrdup(body);
	p->body_line = line + 1;
	free(text);
	return 0;
}
