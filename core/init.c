/*
 * init.c — `congkhai init [DIR]`: starts a new site (SPEC §2): DIR/content/
 * with site.yaml, the content folders, one procedure, one article and one
 * standing page that build cleanly as they are, and DIR/.gitignore for the
 * built site. Never overwrites: a DIR that already holds a site is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "congkhai.h"

static const char init_help[] =
	"usage: congkhai init [DIR]\n"
	"\n"
	"Start a new site in DIR (default: the current directory): DIR/content/ with\n"
	"site.yaml, the folders procedures/, news/, pages/, data/ and static/, one\n"
	"example of each kind of page, and DIR/.gitignore for the built site (site/).\n"
	"Nothing is overwritten.\n";

static const char site_yaml[] =
	"# Cài đặt của cổng (docs/content.md). Sửa tên, cơ quan và địa chỉ trang.\n"
	"title: Cổng công khai thủ tục hành chính\n"
	"organization: Ủy ban nhân dân xã\n"
	"base_url: https://example.gov.vn/\n"
	"language: vi\n"
	"contact:\n"
	"  phone: \"\"\n"
	"  email: \"\"\n"
	"# plugins: [default]   # thêm plugin: [default, ten-plugin]\n";

static const char procedure[] =
	"---\n"
	"code: \"1.001193\"\n"
	"title: Đăng ký khai sinh\n"
	"field: Hộ tịch\n"
	"level: xã\n"
	"agency: UBND cấp xã\n"
	"processing_time: Ngay trong ngày làm việc\n"
	"fee: Miễn lệ phí\n"
	"online: toàn trình\n"
	"---\n"
	"Thủ tục để cha, mẹ hoặc người thân đăng ký khai sinh cho trẻ em. Đây là ví dụ: hãy\n"
	"đối chiếu với Cơ sở dữ liệu quốc gia về thủ tục hành chính trước khi công khai.\n"
	"\n"
	"## Trình tự thực hiện\n"
	"\n"
	"1. Nộp hồ sơ tại Bộ phận tiếp nhận và trả kết quả của UBND cấp xã, hoặc trực tuyến.\n"
	"2. Công chức tư pháp - hộ tịch kiểm tra hồ sơ, ghi vào Sổ hộ tịch.\n"
	"3. Nhận Giấy khai sinh.\n"
	"\n"
	"## Thành phần hồ sơ\n"
	"\n"
	"- Tờ khai đăng ký khai sinh (01 bản chính)\n"
	"- Giấy chứng sinh (01 bản chính)\n"
	"\n"
	"## Căn cứ pháp lý\n"
	"\n"
	"- Luật Hộ tịch số 60/2014/QH13\n";

static const char article[] =
	"---\n"
	"title: Cổng công khai thủ tục hành chính đi vào hoạt động\n"
	"date: %s\n"
	"summary: Người dân tra cứu thủ tục, hồ sơ, thời hạn và lệ phí ngay trên cổng.\n"
	"---\n"
	"Từ hôm nay, người dân và doanh nghiệp có thể tra cứu các thủ tục hành chính, ví dụ\n"
	"[Đăng ký khai sinh](/thu-tuc/1.001193/), ngay trên cổng này.\n";

static const char page[] =
	"---\n"
	"title: Giới thiệu\n"
	"menu: 1\n"
	"---\n"
	"Cổng công khai các thủ tục hành chính do cơ quan tiếp nhận và giải quyết.\n";

static const char gitignore[] =
	"# congkhai: the built site and temporary trees of builds\n"
	"/site/\n"
	"/.site.tmp-*/\n";

/* Write text to dir/rel unless it exists. 0 written, 1 existed, -1 error. */
static int
put(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	for (char *p = path + 1; (p = strchr(p, '/')) != NULL; p++) {     /* mkdir -p */
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wx");
	int rc = 0;
	if (!f)
		rc = errno == EEXIST ? 1 : -1;
	else {
		fputs(text, f);
		rc = fclose(f) == 0 ? 0 : -1;
	}
	if (rc < 0)
		fprintf(stderr, "congkhai init: %s: %s\n", path, strerror(errno));
	else if (rc == 0)
		printf("  %s\n", path);
	free(path);
	return rc;
}

int
cmd_init(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(init_help, stdout);
		return EXIT_OK;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fputs(init_help, stderr);
		return EXIT_USAGE;
	}
	const char *dir = argc == 2 ? argv[1] : ".";
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "congkhai init: %s: %s\n", dir, strerror(errno));
		return EXIT_USAGE;
	}
	char *content = xasprintf("%s/content", dir);
	char *existing = xasprintf("%s/site.yaml", content);
	struct stat st;
	int taken = stat(existing, &st) == 0;
	free(existing);
	if (taken) {
		fprintf(stderr, "%s/site.yaml: %s\n", content, tr("error: a site is already here; nothing was changed"));
		free(content);
		return EXIT_CONTENT;
	}
	printf("%s\n", tr("congkhai init: created"));
	char today[16];
	time_t now = time(NULL);
	strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
	char *art = xasprintf(article, today);
	int bad = put(content, "site.yaml", site_yaml) < 0 ||
	    put(content, "procedures/ho-tich/dang-ky-khai-sinh.md", procedure) < 0 ||
	    put(content, "news/cong-di-vao-hoat-dong.md", art) < 0 ||
	    put(content, "pages/gioi-thieu.md", page) < 0 ||
	    put(content, "data/.gitkeep", "") < 0 || put(content, "static/.gitkeep", "") < 0;
	free(art);
	if (!bad) {
		char *gi = xasprintf("%s/.gitignore", dir);
		FILE *f = fopen(gi, "a+");
		if (f) {                           /* appended unless it is there */
			struct buf have = {0};
			char chunk[4096];
			size_t n;
			rewind(f);
			while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
				buf_add(&have, chunk, n);
			if (!strstr(buf_cstr(&have), "/site/")) {
				fputs(have.len && have.s[have.len - 1] != '\n' ? "\n" : "", f);
				fputs(gitignore, f);
				printf("  %s\n", gi);
			}
			buf_free(&have);
			fclose(f);
		}
		free(gi);
		printf(tr("Next: edit %s/site.yaml, then run 'congkhai build' in %s (or 'congkhai check')."),
		    content, dir);
		putchar('\n');
	}
	free(content);
	return bad ? EXIT_INTERNAL : EXIT_OK;
}
