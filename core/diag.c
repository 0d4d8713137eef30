/*
 * diag.c — diagnostics for editors: `path:line:col: error: message` on
 * stderr, counted, and a one-line count at the end (SPEC §2). Messages are
 * English format strings translated through tr() before formatting. On a
 * terminal each message is followed by its source line with a caret under
 * the column, and "error"/"warning" are in colour unless NO_COLOR is set.
 *
 * With d->log set, every message (a warning too when quiet) and every
 * line a plugin prints is also kept there as a record, so that a build
 * that is not redone (fingerprint.c) can say again what the last one said,
 * formatted for the terminal of the day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "congkhai.h"

/* The line of path, and a caret under column col (in characters). */
static void
excerpt(struct buf *b, const char *path, int line, int col)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	char *l = NULL;
	size_t cap = 0;
	ssize_t n = 0;
	int k = 0;
	while (k < line && (n = getline(&l, &cap, f)) > 0)
		k++;
	fclose(f);
	if (k == line && n > 0) {
		while (n > 0 && (l[n - 1] == '\n' || l[n - 1] == '\r'))
			l[--n] = '\0';
		if (n > 240)
			n = 240, l[240] = '\0';
		buf_printf(b, "%5d | %s\n      | ", line, l);
		for (ssize_t i = 0, chars = 1; i < n && chars < col; i++)
			if (((unsigned char)l[i] & 0xC0) != 0x80) {     /* a character's first byte */
				buf_putc(b, l[i] == '\t' ? '\t' : ' ');
				chars++;
			}
		buf_puts(b, "^\n");
	}
	free(l);
}

/* A record of the log: kind ('e', 'w' or 'p'), then NUL-terminated
 * fields: for 'e' and 'w' '1' and the path or '0' and "", the line, the
 * column, the message; for 'p' the text printed. */
static void
record(struct diag *d, char kind, const char *path, int line, int col, const char *msg)
{
	if (!d->log)
		return;
	buf_putc(d->log, kind);
	if (kind != 'p') {
		buf_putc(d->log, path ? '1' : '0');
		buf_add(d->log, path ? path : "", path ? strlen(path) + 1 : 1);
		buf_printf(d->log, "%d", line);
		buf_putc(d->log, '\0');
		buf_printf(d->log, "%d", col);
		buf_putc(d->log, '\0');
	}
	buf_add(d->log, msg, strlen(msg) + 1);
}

static void
emit(struct diag *d, const char *kind, const char *path, int line, int col, const char *msg)
{
	struct buf b = {0};
	int tty = isatty(2), colour = tty && !getenv("NO_COLOR");
	char k[32];
	snprintf(k, sizeof k, colour ? "\033[1;%sm%s\033[0m" : "%.0s%s", kind[0] == 'e' ? "31" : "33", kind);
	if (path && line > 0)
		buf_printf(&b, "%s:%d:%d: %s: ", path, line, col > 0 ? col : 1, k);
	else if (path)
		buf_printf(&b, "%s: %s: ", path, k);
	else
		buf_printf(&b, "congkhai: %s: ", k);
	buf_puts(&b, msg);
	buf_putc(&b, '\n');
	if (d->json) {
		buf_puts(d->json, "{\"file\":");
		if (path)
			json_escape(d->json, path, strlen(path));
		else
			buf_puts(d->json, "null");
		buf_printf(d->json, ",\"line\":%d,\"column\":%d,\"severity\":\"%s\",\"message\":",
		    line > 0 ? line : 0, line > 0 && col > 0 ? col : 0, kind);
		json_escape(d->json, msg, strlen(msg));
		buf_puts(d->json, "},");
	}
	if (tty && path && line > 0)
		excerpt(&b, path, line, col > 0 ? col : 1);
	if (d->capture)
		buf_add(d->capture, b.s, b.len);
	else
		fputs(b.s, stderr);
	buf_free(&b);
}

void
diag_error(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	char msg[4096];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, tr(fmt), ap);
	va_end(ap);
	record(d, 'e', path, line, col, msg);
	emit(d, "error", path, line, col, msg);
	d->errors++;
}

void
diag_warn(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	char msg[4096];
	d->warnings++;
	if (d->quiet && !d->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, tr(fmt), ap);
	va_end(ap);
	record(d, 'w', path, line, col, msg);
	if (!d->quiet)
		emit(d, "warning", path, line, col, msg);
}

void
diag_print(struct diag *d, const char *text)
{
	record(d, 'p', NULL, 0, 0, text);
	if (d->capture)
		buf_puts(d->capture, text);
	else
		fputs(text, stderr);
}

/* The field at *p (NUL-terminated within end), or NULL; *p moves past it. */
static const char *
field(const char **p, const char *end)
{
	const char *f = *p, *nul = f < end ? memchr(f, '\0', (size_t)(end - f)) : NULL;
	if (!nul)
		return NULL;
	*p = nul + 1;
	return f;
}

/* A decimal int field, or -1 when it is not one. */
static int
number(const char *f)
{
	if (!f || !*f || strlen(f) > 9 || strspn(f, "0123456789") != strlen(f))
		return -1;
	return atoi(f);
}

/* Say what log records, after checking it all; with count, also count
 * and keep each message as if it were said here (diag_absorb). */
static int
say(struct diag *d, const char *log, size_t len, int count)
{
	for (int pass = 0; pass < 2; pass++) {     /* check it all, then say it */
		const char *p = log, *end = log + len;
		while (p < end) {
			char kind = *p++;
			const char *path = NULL, *has, *msg;
			int line = 0, col = 0;
			if (kind == 'e' || kind == 'w') {
				has = field(&p, end);
				if (!has || (has[0] != '0' && has[0] != '1'))
					return -1;
				path = has + 1;
				if (has[0] == '0' && *path)
					return -1;
				if (has[0] == '0')
					path = NULL;
				line = number(field(&p, end));
				col = number(field(&p, end));
				if (line < 0 || col < 0)
					return -1;
			} else if (kind != 'p')
				return -1;
			if (!(msg = field(&p, end)))
				return -1;
			if (pass == 0)
				continue;
			if (kind == 'p')
				diag_print(d, msg);
			else if (count && kind == 'e')
				diag_error(d, path, line, col, "%s", msg);
			else if (count)
				diag_warn(d, path, line, col, "%s", msg);
			else if (kind == 'e' || !d->quiet)
				emit(d, kind == 'e' ? "error" : "warning", path, line, col, msg);
		}
	}
	return 0;
}

int
diag_replay(struct diag *d, const char *log, size_t len)
{
	return say(d, log, len, 0);
}

int
diag_absorb(struct diag *d, const char *log, size_t len)
{
	return say(d, log, len, 1);
}

void
diag_summary(const struct diag *d)
{
	if (d->errors == 0 && d->warnings == 0)
		return;
	fprintf(stderr, tr("%d error(s), %d warning(s)"), d->errors, d->warnings);
	fputc('\n', stderr);
}
