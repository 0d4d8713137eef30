/*
 * fuzz_content.c — one content file through the whole loader: the first
 * byte picks where the rest goes (a procedure, an article, a standing
 * page, site.yaml, a YAML or CSV data file); the site is then loaded (front
 * matter, YAML, Markdown, validation, data) and its links checked, exactly
 * as `congkhai check` does, in a scratch content tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "congkhai.h"
#include "fuzz.h"

static const char site_yaml[] = "title: Thử\nbase_url: https://example.gov.vn/sub/\n";
static const char procedure[] =
	"---\ncode: 1.001193\ntitle: Đăng ký khai sinh\nfield: Hộ tịch\nlevel: xã\nagency: UBND xã\n"
	"processing_time: Trong ngày\nfee: Miễn phí\nonline: toàn trình\n---\n"
	"## Trình tự thực hiện\n- Nộp hồ sơ\n## Thành phần hồ sơ\n- Tờ khai\n## Căn cứ pháp lý\n- Luật\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	i18n_set_language("vi");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const targets[] = {
		"procedures/x/thu-tuc.md", "news/tin.md", "pages/trang.md", "site.yaml",
		"data/du-lieu.yaml", "data/bang.csv" };
	if (size < 1)
		return 0;
	size_t t = data[0] % (sizeof targets / sizeof *targets);
	char dir[600];
	static unsigned long round;
	snprintf(dir, sizeof dir, "%s/c%lu", fuzz_tmpdir(), round++ % 2);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
	fuzz_write(dir, "site.yaml", site_yaml, sizeof site_yaml - 1);
	fuzz_write(dir, "procedures/mau.md", procedure, sizeof procedure - 1);
	fuzz_write(dir, targets[t], data + 1, size - 1);
	struct site *s = site_new(dir);
	s->diag.quiet = 1;
	if (site_load_with(s, NULL) == 0 || s->config)
		validate_links(s);
	site_free(s);
	return 0;
}
