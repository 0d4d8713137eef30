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
	buf_printf(&b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", side, side);
	for (int y = 0; y < w; y++) {
		const unsigned char *row = q->data + (size_t)y * (size_t)w;
		for (int x = 0; x < w; ) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (row[x + run] & 1))
				run++;
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
			x += run;
		}
	}
	buf_puts(&b, "\"/></svg>");
	QRcode_free(q);
	return buf_steal(&b);
}
