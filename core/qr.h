/*
 * qr.h — QR codes as SVG (SPEC §7: congkhai.qr), for the printed sheets
 * and posting boards whose codes lead citizens back to the site.
 * libqrencode makes the symbol; this module only draws it.
 */
#ifndef QR_H
#define QR_H

#include <stddef.h>

/* An SVG image (malloc'd, NUL-terminated) of the QR code of text[0..len),
 * error correction level M, with the standard 4-module quiet zone. The
 * dark modules are one <path>, each row's runs one subpath, so the size
 * grows with the symbol, not with the number of modules. The text is the
 * image's <title>, escaped, without the control characters XML forbids. NULL when the text does not fit in a QR code
 * (more than about 2,300 bytes) or memory runs out. */
char *qr_svg(const char *text, size_t len);

#endif
