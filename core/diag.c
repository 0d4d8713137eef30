/*
 * diag.c — diagnostics for editors: `path:line:col: error: message` on
 * stderr, counted, and a one-line count at the end (SPEC §2). Messages are
 * English format strings translated through tr() before formatting.
 */
#include <stdio.h>
#include "congkhai.h"

static void
emit(struct diag *d, const char *kind, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	struct buf b = {0};
	char msg[4096];
	if (path && line > 0)
		buf_printf(&b, "%s:%d:%d: %s: ", path, line, col > 0 ? col : 1, kind);
	else if (path)
		buf_printf(&b, "%s: %s: ", path, kind);
	else
		buf_printf(&b, "congkhai: %s: ", kind);
	vsnprintf(msg, sizeof msg, tr(fmt), ap);
	buf_puts(&b, msg);
	buf_putc(&b, '\n');
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
