/* qr.c: the SVG of a symbol, its path drawn into a grid here and checked
 * module by module against libqrencode's own symbol, for texts whose
 * symbols have one-, two- and three-digit coordinates; refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qrencode.h>
#include "unit.h"
#include "qr.h"

/* The modules a path of qr_svg's strokes covers, drawn into a side x side
 * grid: "M x y.5" and "m dx 0" move, "hN" draws N modules of row y from
 * x on; anything else fails the test. */
static unsigned char *
draw(const char *d, int side)
{
	unsigned char *g = calloc((size_t)side * (size_t)side, 1);
	assert_non_null(g);
	int x = -1, y = -1;
	while (*d && *d != '"') {
		char c = *d++;
		char *end;
		long a = strtol(d, &end, 10), b;
		assert_true(end > d);
		d = end;
		if (c == 'M') {
			assert_true(strncmp(d, " ", 1) == 0);
			b = strtol(d + 1, &end, 10);
			assert_true(strncmp(end, ".5", 2) == 0);
			d = end + 2;
			x = (int)a;
			y = (int)b;
		} else if (c == 'm') {
			assert_true(strncmp(d, " 0", 2) == 0 && x >= 0);
			d += 2;
			x += (int)a;
		} else {
			assert_int_equal(c, 'h');
			assert_true(a > 0 && x >= 0 && y >= 0 && x + a <= side && y < side);
			for (long i = 0; i < a; i++)
				g[(size_t)y * (size_t)side + (size_t)(x + i)] = 1;
			x += (int)a;
		}
	}
	return g;
}

static void
check(const char *text)
{
	char *svg = qr_svg(text, strlen(text));
	assert_non_null(svg);
	QRcode *q = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, QR_ECLEVEL_M);
	assert_non_null(q);
	int side = q->width + 8;       /* 4 modules of quiet zone */
	char view[64];
	snprintf(view, sizeof view, "viewBox=\"0 0 %d %d\"", side, side);
	assert_non_null(strstr(svg, view));
	const char *d = strstr(svg, "<path stroke=\"#000\" d=\"");
	assert_non_null(d);
	d += strlen("<path stroke=\"#000\" d=\"");
	unsigned char *g = draw(d, side);
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			int in = x >= 4 && y >= 4 && x < side - 4 && y < side - 4;
			int dark = in && (q->data[(y - 4) * q->width + (x - 4)] & 1);
			if (g[y * side + x] != dark)
				fail_msg("module (%d, %d) of \"%s\": drawn %d, symbol %d", x, y, text, g[y * side + x], dark);
		}
	assert_string_equal(d + strcspn(d, "\""), "\"/></svg>");
	free(g);
	QRcode_free(q);
	free(svg);
}

static void
test_paths(void **st)
{
	(void)st;
	check("https://x.gov.vn/thu-tuc/1.001193/");
	char long_text[1201];
	for (int i = 0; i < 1200; i++)              /* a symbol over 100 modules wide */
		long_text[i] = (char)('a' + i * 7 % 26);
	long_text[1200] = '\0';
	check(long_text);
}

static void
test_title(void **st)
{
	(void)st;
	char *svg = qr_svg("a<b&\"c\">", 8);
	assert_non_null(svg);
	assert_non_null(strstr(svg, "<title>a&lt;b&amp;&quot;c&quot;&gt;</title>"));
	free(svg);
	assert_null(qr_svg("", 0));
	char big[5000];
	memset(big, 'x', sizeof big);
	assert_null(qr_svg(big, sizeof big));
}

int
main(void)
{
	const struct CMUnitTest t[] = { cmocka_unit_test(test_paths), cmocka_unit_test(test_title) };
	return cmocka_run_group_tests(t, NULL, NULL);
}
