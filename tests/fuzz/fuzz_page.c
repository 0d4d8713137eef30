/*
 * fuzz_page.c — one Markdown file with YAML front matter through what the
 * site loader does with each file (site.c, parse_job and finish_job):
 * page_parse (UTF-8, NUL bytes, newlines, NFC, front matter, YAML),
 * markdown_page (HTML, text, sections, links), validate_page, its URL,
 * then validate_site with the page alone. The kind of page follows the
 * front matter: a `code` makes a procedure, a `date` an article, else a
 * standing page, so a real file of any kind is a seed as it is. The site
 * is made once from a scratch content tree (site.yaml and a file under
 * static/ for decision_file); everything the page owns is freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "fuzz.h"

static struct site *site;
static struct buf msgs;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = fuzz_tmpdir();
	static const char yaml[] = "title: Thử\nbase_url: https://example.gov.vn/sub/\n";
	fuzz_write(dir, "site.yaml", yaml, sizeof yaml - 1);
	fuzz_write(dir, "static/qd/1450-qd-ubnd-2023.pdf", "%PDF-1.4\n", 9);
	site = site_new(dir);
	site->diag.capture = &msgs;
	if (site_load_config(site, NULL) != 0) {
		fputs(buf_cstr(&msgs), stderr);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct page p = { .display = xstrdup("content/procedures/x/thu-tuc.md"),
		.path = xstrdup("procedures/x/thu-tuc.md") };
	buf_free(&msgs);
	site->diag = (struct diag){ .capture = &msgs, .json = &msgs };
	if (page_parse(&p, (const char *)data, size, &site->diag) == 0) {
		p.kind = val_get(p.meta, "code") ? PAGE_PROCEDURE :
		    val_get(p.meta, "date") ? PAGE_ARTICLE : PAGE_PAGE;
		p.slug = page_slug(p.path);
		markdown_page(&p, site->base_path, site->unsafe_html);
		validate_page(site, &p);
		p.url = page_url(p.kind, p.slug, val_str(p.meta, "code"));
		struct buf json = {0};
		val_json(&json, p.meta);
		buf_free(&json);
		site->pages = &p;
		site->npages = 1;
		validate_site(site);
		site->pages = NULL;
		site->npages = 0;
	}
	page_free(&p);
	buf_free(&msgs);
	return 0;
}
