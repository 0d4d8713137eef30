/* Front matter and YAML: encodings, fences, types, positions. */
#include "unit.h"
#include <stdio.h>
#include <unistd.h>

static struct page pg;
static struct diag d;
static char errbuf[8192];

/* Parse text as a file; capture stderr in errbuf. */
static int
parse(const char *text, size_t len)
{
	memset(&pg, 0, sizeof pg);
	memset(&d, 0, sizeof d);
	pg.display = "x.md";
	fflush(stderr);
	FILE *tmp = tmpfile();
	int saved = dup(2);
	dup2(fileno(tmp), 2);
	int rc = page_parse(&pg, text, len, &d);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(errbuf, 1, sizeof errbuf - 1, tmp);
	errbuf[n] = '\0';
	fclose(tmp);
	return rc;
}

static void
done(void)
{
	val_free(pg.meta);
	free(pg.body);
}

static void
test_ok(void **st)
{
	const char *t = "---\ntitle: Đăng ký\ncode: 1.001193\nlevel: [xã, huyện]\nn: 5\nb: true\n---\nBody\n";
	assert_int_equal(parse(t, strlen(t)), 0);
	assert_string_equal(val_str(pg.meta, "code"), "1.001193");     /* not a float */
	assert_int_equal(val_get(pg.meta, "n")->type, V_INT);
	assert_int_equal(val_get(pg.meta, "n")->num, 5);
	assert_int_equal(val_get(pg.meta, "b")->type, V_BOOL);
	assert_int_equal(val_get(pg.meta, "level")->n, 2);
	assert_int_equal(val_get(pg.meta, "code")->line, 3);
	assert_int_equal(val_get(pg.meta, "code")->col, 7);
	assert_int_equal(val_get(pg.meta, "code")->key_col, 1);
	assert_string_equal(pg.body, "Body\n");
	assert_int_equal(pg.body_line, 8);
	done();
}

static void
test_bom_crlf(void **st)
{
	const char *t = "\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nX\r\nY\r\n";
	assert_int_equal(parse(t, strlen(t)), 0);
	assert_string_equal(val_str(pg.meta, "title"), "A");
	assert_string_equal(pg.body, "X\nY\n");
	done();
}

static void
test_nfc(void **st)
{
	/* "Hộ" written decomposed: o + U+0323 + U+0302 */
	const char *t = "---\ntitle: \"Ho\xcc\xa3\xcc\x82\"\n---\n";
	assert_int_equal(parse(t, strlen(t)), 0);
	assert_string_equal(val_str(pg.meta, "title"), "H\xe1\xbb\x99");
	done();
}

static void
test_invalid_utf8(void **st)
{
	const char t[] = "---\ntitle: ab\xff\n---\n";
	assert_int_equal(parse(t, sizeof t - 1), -1);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(errbuf, "x.md:2:10: error:"));
	assert_non_null(strstr(errbuf, "13"));      /* the byte offset */
}

/* A NUL byte would cut every string short (the body silently ended there):
 * an error at its line and column, as an editor counts them. */
static void
test_nul_byte(void **st)
{
	const char t[] = "---\ntitle: x\n---\nTr\xc6\xb0\xe1\xbb\x9b" "c\0sau\n";
	assert_int_equal(parse(t, sizeof t - 1), -1);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(errbuf, "x.md:4:6: error:"));
	assert_non_null(strstr(errbuf, "NUL"));
	assert_null(pg.meta);
	assert_null(pg.body);
	/* in the front matter, after a BOM and CR LF line ends */
	const char u[] = "\xEF\xBB\xBF---\r\nti\0tle: x\r\n---\r\nBody\r\n";
	assert_int_equal(parse(u, sizeof u - 1), -1);
	assert_non_null(strstr(errbuf, "x.md:2:3: error:"));
	/* old Mac line ends (CR alone), the NUL first on its line */
	const char w[] = "---\rtitle: x\r---\r\0\r";
	assert_int_equal(parse(w, sizeof w - 1), -1);
	assert_non_null(strstr(errbuf, "x.md:4:1: error:"));
	/* the last byte */
	const char z[] = "---\ntitle: x\n---\nabc\0";
	assert_int_equal(parse(z, sizeof z - 1), -1);
	assert_non_null(strstr(errbuf, "x.md:4:4: error:"));
}

static void
test_empty(void **st)
{
	assert_int_equal(parse("", 0), -1);
	assert_non_null(strstr(errbuf, "x.md:1:1: error:"));
	assert_int_equal(parse(" \n\n", 3), -1);
	assert_int_equal(d.errors, 1);
}

static void
test_no_front_matter(void **st)
{
	const char *t = "# Tiêu đề\n";
	assert_int_equal(parse(t, strlen(t)), -1);
	assert_non_null(strstr(errbuf, "x.md:1:1: error:"));
	assert_non_null(strstr(errbuf, "---"));
	const char *u = "---\ntitle: A\n";
	assert_int_equal(parse(u, strlen(u)), -1);
	assert_int_equal(d.errors, 1);
}

static void
test_not_mapping(void **st)
{
	const char *t = "---\n- a\n- b\n---\n";
	assert_int_equal(parse(t, strlen(t)), -1);
	assert_non_null(strstr(errbuf, "x.md:2:1: error:"));
	const char *u = "---\njust text\n---\n";
	assert_int_equal(parse(u, strlen(u)), -1);
	assert_int_equal(d.errors, 1);
}

static void
test_yaml_error_position(void **st)
{
	const char *t = "---\ntitle: A\nfee: [1, 2\n---\n";
	assert_int_equal(parse(t, strlen(t)), -1);
	assert_non_null(strstr(errbuf, "x.md:4:"));
	assert_non_null(strstr(errbuf, "YAML"));
}

static void
test_duplicate_key(void **st)
{
	const char *t = "---\ntitle: A\ntitle: B\n---\n";
	assert_int_equal(parse(t, strlen(t)), -1);
	assert_non_null(strstr(errbuf, "x.md:3:1: error:"));
	assert_non_null(strstr(errbuf, "title"));
}

static void
test_alias_refused(void **st)
{
	const char *t = "---\na: &x 1\nb: *x\n---\n";
	assert_int_equal(parse(t, strlen(t)), -1);
	assert_non_null(strstr(errbuf, "x.md:3:"));
}

/* Many keys: the duplicate check goes by hash past a few, and still finds
 * a duplicate at its line, the first one in the file. */
static void
test_many_keys(void **st)
{
	struct buf b = {0};
	buf_puts(&b, "---\n");
	for (int i = 0; i < 3000; i++)
		buf_printf(&b, "k%d: %d\n", i, i);
	buf_puts(&b, "m:\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "  k%d: %d\n", i, i);     /* the same names, in a map of their own */
	buf_puts(&b, "---\n");
	assert_int_equal(parse(b.s, b.len), 0);
	assert_int_equal(pg.meta->n, 3001);
	assert_int_equal(val_get(pg.meta, "k2999")->num, 2999);
	assert_int_equal(val_get(pg.meta, "m")->n, 100);
	done();
	b.len -= 4;                                      /* reopen the front matter */
	buf_puts(&b, "k20: again\nk5: again\n---\n");
	assert_int_equal(parse(b.s, b.len), -1);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(errbuf, "x.md:3103:1: error:"));
	assert_non_null(strstr(errbuf, "k20"));
	buf_free(&b);
}

static void
test_deep_nesting(void **st)
{
	char t[1024] = "---\na: ";
	for (int i = 0; i < 100; i++)
		strcat(t, "[");
	strcat(t, "\n---\n");
	assert_int_equal(parse(t, strlen(t)), -1);
	assert_int_equal(d.errors, 1);
}

int
main(void)
{
	i18n_set_language("en");
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_ok), cmocka_unit_test(test_bom_crlf), cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_nul_byte), cmocka_unit_test(test_empty),
		cmocka_unit_test(test_no_front_matter), cmocka_unit_test(test_not_mapping),
		cmocka_unit_test(test_yaml_error_position), cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_alias_refused), cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_deep_nesting),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
