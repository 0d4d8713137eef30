/*
 * diag.c — diagnostics for editors: `path:line:col: error: message` on
 * stderr, counted, and a one-line count at the end (SPEC §2). Messages are
 * English format strings translated through tr() before formatting. On a
 * terminal each message is followed by its source line with a caret under
 * the column, and "error"/"warning" are in colour unless NO_COLOR is set.
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

static void
emit(struct diag *d, const char *kind, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	struct buf b = {0};
	char msg[4096];
	int tty = isatty(2), colour = tty && !getenv("NO_COLOR");
	char k[32];
	snprintf(k, sizeof k, colour ? "\033[1;%sm%s\033[0m" : "%.0s%s", kind[0] == 'e' ? "31" : "33", kind);
	if (path && line > 0)
		buf_printf(&b, "%s:%d:%d: %s: ", path, line, col > 0 ? col : 1, k);
	else if (path)
		buf_printf(&b, "%s: %s: ", path, k);
	else
		buf_printf(&b, "congkhai: %s: ", k);
	vsnprintf(msg, sizeof msg, tr(fmt), ap);
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
	va_start(ap, fmt);
	emit(d, "error", path, line, col, fmt, ap);
	va_end(ap);
	d->errors++;
}

void
diag_warn(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	d->warnings++;
	if (d->quiet)
		return;
	va_start(ap, fmt);
	emit(d, "warning", path, line, col, fmt, ap);
	va_end(ap);
}

void
diag_summary(const struct diag *d)
{
	if (d->errors == 0 && d->warnings == 0)
		return;
	fprintf(stderr, tr("%d error(s), %d warning(s)"), d->errors, d->warnings);
	fputc('\n', stderr);
}
