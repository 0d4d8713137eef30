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
	if (path && line > 0)
		fprintf(stderr, "%s:%d:%d: %s: ", path, line, col > 0 ? col : 1, kind);
	else if (path)
		fprintf(stderr, "%s: %s: ", path, kind);
	else
		fprintf(stderr, "congkhai: %s: ", kind);
	vfprintf(stderr, tr(fmt), ap);
	fputc('\n', stderr);
	(void)d;
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
