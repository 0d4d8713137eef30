/* Validation and normalisation of front matter; output path safety. */
#include "unit.h"
#include "vocab.h"
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void
put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void
unput(const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	unlink(path);
}

static const char proc[] =
	"---\ncode: 1.001193\ntitle: Đăng ký khai sinh\nfield: Hộ tịch\nlevel: cấp Xã\n"
	"agency: UBND cấp xã\nprocessing_time: 1 ngày\nfee: 0\nonline: Toan trinh\n%s---\n"
	"## Trình tự thực hiện\n\n1. a\n\n## Thành phần hồ sơ\n\n- b\n\n## Căn cứ pháp lý\n\n- c\n";

static struct site *
load(const char *extra, int *errors)
{
	char text[2048];
	snprintf(text, sizeof text, proc, extra);
	put("procedures/a.md", text);
	struct site *s = site_new(dir);
	s->diag.quiet = 1;
	FILE *saved = stderr;
	stderr = fopen("/dev/null", "w");
	site_load(s);
	fclose(stderr);
	stderr = saved;
	*errors = s->diag.errors;
	return s;
}

static int
setup(void **st)
{
	strcpy(dir, "/tmp/ck-validate-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("site.yaml", "title: T\nbase_url: https://x.gov.vn/sub\n");
	return 0;
}

static int
teardown(void **st)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static void
test_normalised(void **st)
{
	int e;
	struct site *s = load("", &e);
	assert_int_equal(e, 0);
	assert_int_equal(s->npages, 1);
	struct page *p = &s->pages[0];
	assert_string_equal(p->url, "/thu-tuc/1.001193/");
	struct val *lv = val_get(p->meta, "level");
	assert_int_equal(lv->type, V_LIST);
	assert_string_equal(lv->kids[0].str, "xã");
	assert_string_equal(val_str(p->meta, "online"), "toàn trình");
	assert_string_equal(val_str(p->meta, "status"), "hiệu lực");
	assert_int_equal(val_get(p->meta, "agency")->type, V_LIST);
	assert_string_equal(val_str(p->meta, "fee"), "0");         /* an integer read as text */
	assert_string_equal(s->base_path, "/sub/");
	assert_string_equal(s->base_url, "https://x.gov.vn/sub/");
	site_free(s);
}

static void
test_errors(void **st)
{
	static const struct { const char *extra; int errors; } cases[] = {
		{ "status: đang xét\n", 1 },
		{ "effective: 2023-02-29\n", 1 },
		{ "effective: 2024-02-29\n", 0 },
		{ "efective: 2024-01-01\n", 1 },
		{ "draft: maybe\n", 1 },
		{ "channels:\n  - method: fax\n", 1 },
		{ "channels:\n  - method: trực tuyến\n    fee: 0 đồng\n", 0 },
		{ "replaces: 12345\n", 1 },
		{ "aliases: [thu-tuc/cu/]\n", 1 },
		{ "aliases: [/thu-tuc/cu/]\n", 0 },
		{ "portal_url: javascript:alert(1)\n", 1 },
		{ "decision_file: khong-co.pdf\n", 1 },
		{ "x-local: anything\n", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int e;
		struct site *s = load(cases[i].extra, &e);
		if (e != cases[i].errors)
			fail_msg("%s: %d errors, wanted %d", cases[i].extra, e, cases[i].errors);
		site_free(s);
	}
}

static void
test_decision_hash(void **st)
{
	put("static/qd/1.pdf", "abc");
	int e;
	struct site *s = load("decision_file: static/qd/1.pdf\n", &e);
	assert_int_equal(e, 0);
	assert_string_equal(val_str(s->pages[0].meta, "decision_sha256"),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(val_str(s->pages[0].meta, "decision_url"), "/qd/1.pdf");
	site_free(s);
}

static void
test_dates(void **st)
{
	int y, m, d;
	assert_true(date_valid("2024-02-29", &y, &m, &d));
	assert_false(date_valid("2023-02-29", &y, &m, &d));
	assert_false(date_valid("2024-13-01", &y, &m, &d));
	assert_false(date_valid("2024-04-31", &y, &m, &d));
	assert_false(date_valid("24-04-01", &y, &m, &d));
	assert_true(date_valid("2000-02-29", &y, &m, &d));
	assert_false(date_valid("1900-02-29", &y, &m, &d));
}

static void
test_relpaths(void **st)
{
	assert_true(output_safe_relpath("thu-tuc/index.html"));
	assert_false(output_safe_relpath("/etc/passwd"));
	assert_false(output_safe_relpath("../x"));
	assert_false(output_safe_relpath("a/../../x"));
	assert_false(output_safe_relpath("a//b"));
	assert_false(output_safe_relpath("./a"));
	assert_false(output_safe_relpath(""));
	assert_false(output_safe_relpath("a\\b"));
}

/* CSV: one key per distinct column name, in the order names first come,
 * the last cell of a name winning; a wide header is read in linear time. */
static void
test_data_csv(void **st)
{
	put("data/t.csv", "a,b,a,c\n1,2,3,4\n5\n\n6,7,8\n");
	int e;
	struct site *s = load("", &e);
	assert_int_equal(e, 0);
	struct val *t = val_get(s->data, "t");
	assert_non_null(t);
	assert_int_equal(t->type, V_LIST);
	assert_int_equal(t->n, 3);                       /* the blank line makes no row */
	struct val *r = &t->kids[0];
	assert_int_equal(r->n, 3);
	assert_string_equal(r->kids[0].key, "a");
	assert_string_equal(r->kids[0].str, "3");
	assert_string_equal(r->kids[1].key, "b");
	assert_string_equal(r->kids[2].key, "c");
	assert_string_equal(r->kids[2].str, "4");
	assert_int_equal(t->kids[1].n, 1);
	assert_string_equal(val_str(&t->kids[1], "a"), "5");
	assert_int_equal(t->kids[2].n, 2);
	assert_string_equal(val_str(&t->kids[2], "a"), "8");
	assert_string_equal(val_str(&t->kids[2], "b"), "7");
	site_free(s);
	unput("data/t.csv");

	/* 20,000 columns, twice over: was a search of the row per cell */
	struct buf b = {0};
	for (int row = 0; row < 3; row++) {
		for (int i = 0; i < 20000; i++)
			buf_printf(&b, "%sc%d", i ? "," : "", i % 10000);
		buf_putc(&b, '\n');
	}
	put("data/w.csv", buf_cstr(&b));
	buf_free(&b);
	s = load("", &e);
	assert_int_equal(e, 0);
	t = val_get(s->data, "w");
	assert_int_equal(t->n, 2);
	assert_int_equal(t->kids[0].n, 10000);
	assert_string_equal(t->kids[0].kids[9999].key, "c9999");
	assert_string_equal(t->kids[0].kids[9999].str, "c9999");
	site_free(s);
	unput("data/w.csv");
}

/* A data file with many keys: duplicates found by hash, at their line. */
static void
test_data_many_keys(void **st)
{
	struct buf b = {0};
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "k%d: %d\n", i, i);
	put("data/k.yaml", buf_cstr(&b));
	int e;
	struct site *s = load("", &e);
	assert_int_equal(e, 0);
	struct val *k = val_get(s->data, "k");
	assert_int_equal(k->n, 20000);
	assert_int_equal(val_get(k, "k19999")->num, 19999);
	site_free(s);
	buf_puts(&b, "k17: again\n");
	put("data/k.yaml", buf_cstr(&b));
	buf_free(&b);
	s = load("", &e);
	assert_int_equal(e, 1);
	assert_null(val_get(s->data, "k"));
	site_free(s);
	unput("data/k.yaml");
}

/* "chưa xác minh" said in any case, marks written apart or not, with
 * space around and a final stop; a long text is not it, even ending so. */
static void
test_unverified(void **st)
{
	struct buf pad = {0};
	for (int i = 0; i < 400; i++)
		buf_putc(&pad, i % 2 ? ' ' : '\n');
	buf_puts(&pad, "Chưa xác minh.");
	for (int i = 0; i < 300; i++)
		buf_putc(&pad, i % 3 ? ' ' : '.');
	assert_true(vocab_unverified("chưa xác minh"));
	assert_true(vocab_unverified("  CHƯA XÁC MINH.\n"));
	assert_true(vocab_unverified("chu\xcc\x9b\x61 xa\xcc\x81\x63 minh"));      /* NFD */
	assert_true(vocab_unverified(buf_cstr(&pad)));
	assert_false(vocab_unverified("chưa xác minh được"));
	assert_false(vocab_unverified("Hồ sơ gồm nhiều giấy tờ, có giấy tờ chưa xác minh"));
	assert_false(vocab_unverified(""));
	assert_false(vocab_unverified(NULL));
	buf_free(&pad);
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_normalised), cmocka_unit_test(test_errors),
		cmocka_unit_test(test_decision_hash), cmocka_unit_test(test_dates),
		cmocka_unit_test(test_relpaths), cmocka_unit_test(test_data_csv),
		cmocka_unit_test(test_data_many_keys), cmocka_unit_test(test_unverified),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
