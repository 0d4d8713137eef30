/* Folding, slugs, NFC, UTF-8 validation and Vietnamese collation, checked
 * against tests/fixtures/fold-vectors.txt (shared with the browser tests). */
#include "unit.h"
#include <stdio.h>

static void
test_vectors(void **st)
{
	const char *root = getenv("CONGKHAI_ROOT");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/fold-vectors.txt", root ? root : ".");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = '\0';
		char *got = text_fold(line);
		if (strcmp(got, tab + 1) != 0)
			fail_msg("fold(%s) = %s, wanted %s", line, got, tab + 1);
		free(got);
		n++;
	}
	fclose(f);
	assert_true(n >= 150);
}

static void
test_slug(void **st)
{
	static const char *const cases[][2] = {
		{ "Đăng ký khai sinh", "dang-ky-khai-sinh" }, { "  Hộ tịch  ", "ho-tich" },
		{ "Giáo dục và Đào tạo", "giao-duc-va-dao-tao" }, { "UBND phường, xã", "ubnd-phuong-xa" },
		{ "Phòng Tài chính – Kế hoạch", "phong-tai-chinh-ke-hoach" }, { "1.001193", "1-001193" },
		{ "!!!", "" }, { "ĐƯỜNG BỘ", "duong-bo" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *s = text_slug(cases[i][0]);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
}

static void
test_nfc_and_utf8(void **st)
{
	const char nfd[] = "Ho\xcc\xa3\xcc\x82";       /* o + dot below + circumflex */
	char *n = text_nfc(nfd, sizeof nfd - 1);
	assert_string_equal(n, "H\xe1\xbb\x99");        /* ộ */
	free(n);
	/* the NFC fast path must still refuse what is not UTF-8 */
	assert_null(text_nfc("a\xc3(", 3));
	assert_null(text_nfc("\xe1\xbb", 2));
	assert_null(text_nfc("\xed\xa0\x80", 3));                /* a surrogate */
	assert_null(text_nfc("\xe0\x81\x81", 3));                /* overlong */
	const char *vi = "Đ\xe1\xbb\x99 \xe2\x80\x93 50.000\xe2\x82\xab";   /* fast path */
	n = text_nfc(vi, strlen(vi));
	assert_string_equal(n, "Độ – 50.000₫");
	free(n);
	assert_int_equal(utf8_invalid_at("abc", 3), -1);
	assert_int_equal(utf8_invalid_at("ab\xc3", 3), 2);
	assert_int_equal(utf8_invalid_at("\xe1\xbb\x99x\xff", 5), 4);
	assert_int_equal(utf8_invalid_at("\xc0\xaf", 2), 0);    /* overlong */
}

static int
before(const char *a, const char *b)
{
	char *ka = text_sortkey(a), *kb = text_sortkey(b);
	int r = strcmp(ka, kb) < 0;
	free(ka);
	free(kb);
	return r;
}

static void
test_collation(void **st)
{
	static const char *const order[] = {
		"a", "à", "ả", "ã", "á", "ạ", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i",
		"k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y" };
	for (size_t i = 1; i < sizeof order / sizeof *order; i++)
		if (!before(order[i - 1], order[i]))
			fail_msg("%s should sort before %s", order[i - 1], order[i]);
	assert_true(before("Chứng thực", "Đất đai"));
	assert_true(before("Dân số", "Đất đai"));
	assert_true(before("Hộ kinh doanh", "Hộ tịch"));
	assert_true(before("Hộ tịch", "Hồ sơ") == before("ho tich", "ho so"));
	assert_true(before("thu 2", "thu a"));
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_vectors), cmocka_unit_test(test_slug),
		cmocka_unit_test(test_nfc_and_utf8), cmocka_unit_test(test_collation),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
