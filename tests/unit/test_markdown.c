/* Markdown: sections, list items, text, safety, base path. */
#include "unit.h"
#include "pack.h"

static void
test_sections(void **st)
{
	struct page p = { .body = xstrdup("Giới thiệu **ngắn**.\n\n## Trình tự thực hiện\n\n1. Nộp hồ sơ\n2. Nhận kết quả\n\n"
	    "## THÀNH PHẦN HỒ SƠ\n\n- Tờ khai\n- Giấy chứng sinh (bản chính)\n\nGhi chú.\n\n## Khác\n\ntext\n"),
	    .body_line = 10 };
	markdown_page(&p, "/", 0);
	char *body = page_body(&p);
	assert_int_equal(p.nsections, 3);
	assert_string_equal(p.sections[0].title, "Trình tự thực hiện");
	assert_string_equal(p.sections[0].id, "trinh-tu-thuc-hien");
	assert_true(p.sections[0].known);
	assert_int_equal(p.sections[0].line, 12);
	assert_int_equal(p.sections[0].nitems, 2);
	size_t len;
	const char *it = section_item(body, &p.sections[0], 1, 0, &len);
	assert_int_equal(len, strlen("Nhận kết quả"));
	assert_memory_equal(it, "Nhận kết quả", len);
	assert_null(section_item(body, &p.sections[0], 1, 1, &len));    /* no "### " above */
	assert_string_equal(p.sections[1].id, "thanh-phan-ho-so");
	assert_true(p.sections[1].known);
	it = section_item(body, &p.sections[1], 1, 0, &len);
	assert_int_equal(len, strlen("Giấy chứng sinh (bản chính)"));
	assert_memory_equal(it, "Giấy chứng sinh (bản chính)", len);
	assert_string_equal(page_part(body, p.sections[1].text), "Tờ khai Giấy chứng sinh (bản chính) Ghi chú.");
	assert_false(p.sections[2].known);
	assert_string_equal(page_part(body, p.intro_html), "<p>Giới thiệu <strong>ngắn</strong>.</p>\n");
	char *whole = page_html(&p, NULL), *from_body = page_html(&p, body);
	assert_non_null(strstr(whole, "<h2>Trình tự thực hiện</h2>"));
	assert_string_equal(from_body, whole);         /* joined from the caller's body alike */
	free(whole);
	free(from_body);
	whole = page_text(&p, NULL);
	from_body = page_text(&p, body);
	assert_non_null(strstr(whole, "Giới thiệu ngắn."));
	assert_string_equal(from_body, whole);
	free(whole);
	free(from_body);
	assert_non_null(strstr(page_part(body, p.sections[0].html), "<ol>"));
	assert_null(strstr(page_part(body, p.sections[0].html), "<h2>"));
	assert_string_equal(page_part(body, p.sections[0].head_html), "<h2>Trình tự thực hiện</h2>\n");
	free(body);
	page_free(&p);
}

/* Items and their "### " groups are stretches of the section's text: one
 * that also stands earlier in it, an empty one, one in a group. */
static void
test_items_in_text(void **st)
{
	struct page p = { .body = xstrdup("## Thành phần hồ sơ\n\nTờ khai và Bản sao.\n\n- Tờ khai\n-\n- Bản *sao*\n\n"
	    "### Phải   nộp\n\n1. Tờ khai\n\n## Khác\n\n- a\n") };
	markdown_page(&p, "/", 0);
	char *body = page_body(&p);
	const struct section *s = &p.sections[0];
	const char *text = page_part(body, s->text);
	assert_int_equal(s->nitems, 4);
	static const char *const want[] = { "Tờ khai", "", "Bản sao", "Tờ khai" };
	for (size_t k = 0; k < 4; k++) {
		size_t len;
		const char *it = section_item(body, s, k, 0, &len);
		assert_int_equal(len, strlen(want[k]));
		assert_memory_equal(it, want[k], len);
		assert_true(it >= text && it + len <= text + strlen(text));
	}
	size_t len;
	assert_null(section_item(body, s, 2, 1, &len));
	const char *g = section_item(body, s, 3, 1, &len);
	assert_non_null(g);
	assert_int_equal(len, strlen("Phải nộp"));
	assert_memory_equal(g, "Phải nộp", len);
	assert_int_equal(p.sections[1].nitems, 1);
	free(body);
	page_free(&p);
}

/* A pack gives back its bytes, NULs and all; an empty one and none give
 * ""; a rendered body is kept smaller than it is. */
static void
test_pack(void **st)
{
	static const char bytes[] = "Thủ tục\0hành chính\0\0Thủ tục hành chính";
	struct pack *k = pack_make(bytes, sizeof bytes);
	assert_int_equal(pack_size(k), sizeof bytes);
	char *s = pack_open(k);
	assert_memory_equal(s, bytes, sizeof bytes);
	assert_int_equal(s[sizeof bytes], '\0');
	free(s);
	free(k);
	k = pack_make("", 0);
	s = pack_open(k);
	assert_string_equal(s, "");
	free(s);
	free(k);
	s = pack_open(NULL);
	assert_string_equal(s, "");
	free(s);
	struct buf md = {0};
	for (int i = 0; i < 40; i++)
		buf_printf(&md, "## Mục %d\n\n- Tờ khai đăng ký khai sinh theo mẫu số %d\n- Giấy chứng sinh\n\n", i, i);
	struct page p = { .body = buf_steal(&md) };
	markdown_page(&p, "/", 0);
	char *html = page_html(&p, NULL);
	assert_true(p.rendered->len < pack_size(p.rendered) / 2);
	assert_true(pack_size(p.rendered) > strlen(html));
	free(html);
	page_free(&p);
}

static void
test_safety(void **st)
{
	char *h = markdown_html("<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y]( JaVaScRiPt:x) "
	    "![i](data:text/html,x) [ok](https://a.vn/) <b onclick=x>b</b>\n", "/", 0);
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "javascript"));
	assert_null(strstr(h, "JaVaScRiPt"));
	assert_null(strstr(h, "data:"));
	assert_null(strstr(h, "onclick"));
	assert_non_null(strstr(h, "<a href=\"https://a.vn/\">ok</a>"));
	assert_non_null(strstr(h, "<p>x y "));     /* the link texts stay */
	free(h);
	h = markdown_html("<b>raw</b> [x](javascript:y)\n", "/", 1);   /* unsafe_html */
	assert_non_null(strstr(h, "<b>raw</b>"));
	assert_null(strstr(h, "javascript"));
	free(h);
	/* issue 8: a dropped link inside a dropped image (freed with it, then
	 * unwrapped: use after free, an endless loop in the release build) */
	h = markdown_html("![a [b](javascript:x)](javascript:y) after\n\n"
	    "[![i [j](data:x)](file:y)](javascript:z) end\n", "/", 0);
	assert_null(strstr(h, "href=\"javascript"));
	assert_null(strstr(h, "href=\"data:"));
	assert_null(strstr(h, "src="));
	assert_non_null(strstr(h, "after"));
	assert_non_null(strstr(h, "end"));
	free(h);
}

static void
test_base_path(void **st)
{
	char *h = markdown_html("[a](/thu-tuc/1.001193/) [b](//cdn.vn/x) [c](rel/) ![d](/anh.png)\n", "/cong-khai/", 0);
	assert_non_null(strstr(h, "href=\"/cong-khai/thu-tuc/1.001193/\""));
	assert_non_null(strstr(h, "href=\"//cdn.vn/x\""));
	assert_non_null(strstr(h, "href=\"rel/\""));
	assert_non_null(strstr(h, "src=\"/cong-khai/anh.png\""));
	free(h);
}

static void
test_links_recorded(void **st)
{
	struct page p = { .body = xstrdup("a\n\n[x](/thu-tuc/1.000894/#b) [y](https://x.vn/)\n"), .body_line = 5 };
	markdown_page(&p, "/sub/", 0);
	assert_int_equal(p.nlinks, 1);
	assert_string_equal(p.links[0], "/thu-tuc/1.000894/#b");
	assert_int_equal(p.link_lines[0], 7);
	page_free(&p);
}

static void
test_table_and_text(void **st)
{
	char *t = markdown_text("| Tên giấy tờ | Bản chính |\n|---|---|\n| Tờ khai | 1 |\n\n~~cũ~~ mới\n");
	assert_string_equal(t, "Tên giấy tờ Bản chính Tờ khai 1 cũ mới");
	free(t);
	char *h = markdown_html("| a | b |\n|---|---|\n| 1 | 2 |\n", "/", 0);
	assert_non_null(strstr(h, "<table>"));
	free(h);
}

/* A GFM table too large for cmark-gfm renders as text: a row of more than
 * 128 cells (quadratic time), or a wide header over many lines, every one
 * padded to a row of the header's width (500 KB: 8 GB of nodes). */
static char *
wide_text(int cols, int rows, const char *row, const char *nl)
{
	struct buf b = {0};
	for (int r = 0; r < 2; r++) {
		buf_putc(&b, '|');
		for (int c = 0; c < cols; c++)
			buf_puts(&b, r ? "-|" : "x|");
		buf_puts(&b, nl);
	}
	for (int r = 0; r < rows; r++) {
		buf_puts(&b, row);
		buf_puts(&b, nl);
	}
	return buf_steal(&b);
}

static void
test_table_limits(void **st)
{
	const char *ok = "> | a | b |\n> |:-:|---|\n> | 1 | 2 |\n\n| c |\n| - |\n";
	assert_int_equal(markdown_table_limit(ok), 0);
	char *h = markdown_html(ok, "/", 0);
	assert_non_null(strstr(h, "<table>"));
	free(h);

	char *md = wide_text(MARKDOWN_MAX_CELLS, 3, "|y|", "\n");   /* 129 pipes a row */
	assert_int_equal(markdown_table_limit(md), 1);
	h = markdown_html(md, "/", 0);
	assert_null(strstr(h, "<table>"));
	assert_non_null(strstr(h, "|x|x|"));                        /* kept as text */
	free(h);
	free(md);
	md = wide_text(MARKDOWN_MAX_CELLS - 1, 3, "|y|", "\n");     /* 128 pipes: a table */
	assert_int_equal(markdown_table_limit(md), 0);
	h = markdown_html(md, "/", 0);
	assert_non_null(strstr(h, "<table>"));
	free(h);
	free(md);

	/* 100 columns over 5,000 lines: 500,000 cells */
	md = wide_text(100, 5000, "x", "\n");
	int at = markdown_table_limit(md);
	assert_true(at > 2 && at < 5002);
	h = markdown_html(md, "/", 0);
	assert_null(strstr(h, "<table>"));
	assert_true(strlen(h) < 100000);
	free(h);
	char *t = markdown_text(md);
	assert_true(strlen(t) < 100000);
	free(t);
	free(md);
	md = wide_text(100, 5000, "x", "\r");                       /* lines that end in CR */
	assert_true(markdown_table_limit(md) > 2);
	free(md);
	md = wide_text(100, 5000, "x", "\r\n");
	assert_true(markdown_table_limit(md) > 2);
	free(md);
	md = wide_text(100, 5000, "x", "\n\n");                     /* a blank line ends a table */
	assert_int_equal(markdown_table_limit(md), 0);
	free(md);
	/* a delimiter row may hold cmark-gfm's other blanks (\v, \f) */
	assert_true(markdown_table_limit("|a|a|a|\n|-\v|-\f|-|\nx\n") == 0);
	struct buf b = {0};
	buf_puts(&b, "|a|a|a|a|a|a|a|a|a|a|a|a|a|a|a|a|a|a|a|a|\n|-\v|-\f|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|\n");
	for (int i = 0; i < 20000; i++)
		buf_puts(&b, "x\n");
	assert_true(markdown_table_limit(b.s) > 2);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_sections), cmocka_unit_test(test_items_in_text), cmocka_unit_test(test_pack),
		cmocka_unit_test(test_safety),
		cmocka_unit_test(test_base_path), cmocka_unit_test(test_links_recorded),
		cmocka_unit_test(test_table_and_text), cmocka_unit_test(test_table_limits),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
