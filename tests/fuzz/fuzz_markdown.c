/*
 * fuzz_markdown.c — markdown.c on arbitrary text: markdown_html with raw
 * HTML dropped (unsafe = 0, under a base path) and kept (unsafe = 1), and
 * markdown_text. A page keeps its body in parts (intro, sections): the
 * parts joined (page_html, page_text) must be what the whole tree gives,
 * byte for byte. In the safe rendering no <script> may survive and no
 * link or image may point at a javascript:, vbscript:, data: or file:
 * URL (blanks and control characters in the scheme ignored, as browsers do).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "congkhai.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	markdown_init();
	return 0;
}

/* Whether the attribute value starting at v (up to its closing quote)
 * names a dangerous scheme. */
static int
bad_url(const char *v)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "data:", "file:" };
	char scheme[16];
	size_t j = 0;
	for (; *v && *v != '"' && j < sizeof scheme - 1; v++)
		if ((unsigned char)*v > ' ')
			scheme[j++] = *v;
	scheme[j] = '\0';
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
		if (strncasecmp(scheme, schemes[i], strlen(schemes[i])) == 0)
			return 1;
	return 0;
}

static void
check_safe(const char *html, const char *md)
{
	const char *bad = NULL;
	for (const char *h = html; *h && !bad; h++) {
		if (*h != '<' && *h != ' ')
			continue;
		if (strncasecmp(h, "<script", 7) == 0)
			bad = "a <script> element";
		else if ((strncmp(h, " href=\"", 7) == 0 && bad_url(h + 7)) ||
		    (strncmp(h, " src=\"", 6) == 0 && bad_url(h + 6)))
			bad = "a dangerous URL";
	}
	if (bad) {
		fprintf(stderr, "fuzz_markdown: %s in the safe HTML of:\n%s\n--- HTML:\n%s\n", bad, md, html);
		abort();
	}
}

static void
check_same(const char *what, const char *whole, const char *joined, const char *md)
{
	if (strcmp(whole, joined) != 0) {
		fprintf(stderr, "fuzz_markdown: the page's %s is not the whole tree's, for:\n%s\n"
		    "--- whole:\n%s\n--- joined:\n%s\n", what, md, whole, joined);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *md = xstrndup((const char *)data, size);
	char *h = markdown_html(md, "/sub/", 0);
	check_safe(h, md);
	struct page p = { .body = xstrdup(md) };
	markdown_page(&p, "/sub/", 0);
	char *joined = page_html(&p, NULL);
	check_same("HTML", h, joined, md);
	free(joined);
	free(h);
	char *t = markdown_text(md);
	joined = page_text(&p, NULL);
	check_same("text", t, joined, md);
	free(joined);
	free(t);
	page_free(&p);
	free(markdown_html(md, "/", 1));
	free(md);
	return 0;
}
