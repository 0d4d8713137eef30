/* qr.c: the SVG of a symbol, checked module by module against a path
 * drawn here with printf from libqrencode's own symbol, for texts whose
 * symbols have one-, two- and three-digit coordinates; refusals. */
#include <stdio.h>
#include <qrencode.h>
#include "unit.h"
#include "qr.h"

/* The path qr_svg should draw for text: one "M x yhNv1h-Nz" per run of
 * dark modules, 4 modules of quiet zone, rows top to bottom. */
static char *
expected_path(const char *text)
{
	QRcode *q = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, QR_ECLEVEL_M);
	assert_non_null(q);
	struct buf b = {0};
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width;) {
			int run = 0;
			while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
				run++;
			if (run)
				buf_printf(&b, "M%d %dh%dv1h-%dz", x + 4, y + 4, run, run);
			x += run ? run : 1;
		}
	QRcode_free(q);
	return buf_steal(&b);
}

static void
check(const char *text)
{
	char *svg = qr_svg(text, strlen(text));
	assert_non_null(svg);
	char *want = expected_path(text);
	const char *d = strstr(svg, " d=\"");
	assert_non_null(d);
	d += 4;
	assert_int_equal(strcspn(d, "\""), strlen(want));
	assert_memory_equal(d, want, strlen(want));
	assert_string_equal(d + strlen(want), "\"/></svg>");
	free(want);
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
