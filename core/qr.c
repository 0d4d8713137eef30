/*
 * qr.c — draws libqrencode's symbols as SVG (qr.h). Owns nothing past the
 * call: the symbol is freed before returning, the string is the caller's.
 */
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "qr.h"

#define QR_QUIET 4   /* modules of white around the symbol (ISO/IEC 18004) */

/* v (0 <= v < 10000) in decimal at p; the end. The path has a few
 * thousand numbers, and printf took a third of the time the symbol takes
 * to encode. */
static char *
put_int(char *p, int v)
{
	if (v >= 1000)
		*p++ = (char)('0' + v / 1000 % 10);
	if (v >= 100)
		*p++ = (char)('0' + v / 100 % 10);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

char *
qr_svg(const char *text, size_t len)
{
	if (len == 0 || len > 4096)
		return NULL;
	QRcode *q = QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (!q)
		return NULL;
	int w = q->width, side = w + 2 * QR_QUIET;
	struct buf b = {0};
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "class=\"qr\" role=\"img\" shape-rendering=\"crispEdges\"><title>", side, side);
	for (size_t i = 0; i < len; i++) {
		switch (text[i]) {
		case '&': buf_puts(&b, "&amp;"); break;
		case '<': buf_puts(&b, "&lt;"); break;
		case '>': buf_puts(&b, "&gt;"); break;
		case '"': buf_puts(&b, "&quot;"); break;
		default:                     /* XML has no NUL or other C0 controls */
			if ((unsigned char)text[i] >= 0x20 || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')
				buf_putc(&b, text[i]);
		}
	}
	/* Each run of dark modules is a stroke one module wide along the
	 * middle of its row: "M x y.5hN" for a row's first, "m gap 0hN" for
	 * the next; half the bytes of a filled rectangle per run, which a
	 * posting board of a thousand codes feels. */
	buf_printf(&b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path stroke=\"#000\" d=\"", side, side);
	for (int y = 0; y < w; y++) {
		const unsigned char *row = q->data + (size_t)y * (size_t)w;
		/* at most w / 2 + 1 runs, each "M%d %d.5h%d" of 4-digit numbers */
		buf_reserve(&b, ((size_t)w / 2 + 1) * 18);
		char *p = b.s + b.len;
		for (int x = 0, end = -1; x < w; ) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (row[x + run] & 1))
				run++;
			if (end < 0) {
				*p++ = 'M';
				p = put_int(p, x + QR_QUIET);
				*p++ = ' ';
				p = put_int(p, y + QR_QUIET);
				memcpy(p, ".5", 2);
				p += 2;
			} else {
				*p++ = 'm';
				p = put_int(p, x - end);
				memcpy(p, " 0", 2);
				p += 2;
			}
			*p++ = 'h';
			p = put_int(p, run);
			x += run;
			end = x;
		}
		b.len = (size_t)(p - b.s);
		b.s[b.len] = '\0';
	}
	buf_puts(&b, "\"/></svg>");
	QRcode_free(q);
	return buf_steal(&b);
}
