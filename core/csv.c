/*
 * csv.c — quoting of CSV fields (csv.h). Owns no memory: it appends to
 * the caller's buffer.
 */
#include <string.h>
#include "csv.h"

void
csv_field(struct buf *b, const char *s, size_t n)
{
	int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		buf_add(b, s, n);
		return;
	}
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}
