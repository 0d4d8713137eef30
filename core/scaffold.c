/*
 * scaffold.c — `congkhai new procedure|article|page TITLE`: writes a new
 * Markdown file with every front matter key and section explained in
 * comments, in the site's language. Never overwrites a file.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "congkhai.h"

static const char procedure_vi[] =
	"---\n"
	"code: \"\"              # mã thủ tục trên CSDL quốc gia, dạng 1.001193 (bắt buộc, không trùng)\n"
	"title: \"%s\"\n"
	"field: \"\"             # lĩnh vực, ví dụ Hộ tịch (bắt buộc)\n"
	"level: xã             # cấp thực hiện: tỉnh, huyện hoặc xã, hoặc danh sách [huyện, xã]\n"
	"agency: \"\"            # cơ quan thực hiện: một tên hoặc danh sách (bắt buộc)\n"
	"processing_time: \"\"   # thời hạn giải quyết, ví dụ 03 ngày làm việc (bắt buộc)\n"
	"fee: \"\"               # phí, lệ phí, ví dụ Miễn lệ phí hoặc 50.000 đồng (bắt buộc)\n"
	"online: một phần      # dịch vụ công trực tuyến: toàn trình, một phần hoặc không\n"
	"# channels:           # cách thức thực hiện theo từng kênh (không bắt buộc)\n"
	"#   - method: trực tiếp        # trực tiếp, trực tuyến hoặc bưu chính\n"
	"#     time: 03 ngày làm việc\n"
	"#     fee: 50.000 đồng\n"
	"#     note: \"\"\n"
	"# portal_url: https://dichvucong.gov.vn/...   # nơi nộp hồ sơ trực tuyến\n"
	"# decision: 1234/QĐ-UBND ngày 01/7/2024       # quyết định công bố\n"
	"# decision_file: qd/1234-qd-ubnd.pdf          # tệp PDF của quyết định, trong static/\n"
	"# effective: %s                       # ngày có hiệu lực (YYYY-MM-DD)\n"
	"# status: hiệu lực                            # hiệu lực hoặc bãi bỏ\n"
	"# replaces: 1.000000                          # mã thủ tục được thay thế\n"
	"# aliases: [/duong-dan-cu/]                   # đường dẫn cũ chuyển về trang này\n"
	"# tags: []\n"
	"# draft: true                                 # bản nháp: chỉ tạo trang khi có --drafts\n"
	"---\n"
	"Mô tả ngắn: thủ tục này dùng để làm gì, ai cần thực hiện.\n\n"
	"## Trình tự thực hiện\n\n1. Bước 1: ...\n2. Bước 2: ...\n\n"
	"## Cách thức thực hiện\n\n- Trực tiếp tại Bộ phận tiếp nhận và trả kết quả.\n\n"
	"## Thành phần hồ sơ\n\n- Tờ khai (01 bản chính).\n\n"
	"## Đối tượng thực hiện\n\nCá nhân.\n\n"
	"## Kết quả thực hiện\n\n...\n\n"
	"## Yêu cầu, điều kiện\n\nKhông.\n\n"
	"## Căn cứ pháp lý\n\n- ...\n\n"
	"## Mẫu đơn, tờ khai\n\n- ...\n";

static const char procedure_en[] =
	"---\n"
	"code: \"\"              # national procedure code, like 1.001193 (required, unique)\n"
	"title: \"%s\"\n"
	"field: \"\"             # field (lĩnh vực), e.g. Hộ tịch (required)\n"
	"level: xã             # level: tỉnh, huyện or xã, or a list [huyện, xã]\n"
	"agency: \"\"            # handling agency: a name or a list (required)\n"
	"processing_time: \"\"   # time limit, e.g. 03 ngày làm việc (required)\n"
	"fee: \"\"               # fees, e.g. Miễn lệ phí or 50.000 đồng (required)\n"
	"online: một phần      # online service: toàn trình, một phần or không\n"
	"# channels:           # per channel (optional)\n"
	"#   - method: trực tiếp        # trực tiếp, trực tuyến or bưu chính\n"
	"#     time: 03 ngày làm việc\n"
	"#     fee: 50.000 đồng\n"
	"# portal_url: https://dichvucong.gov.vn/...   # where to file online\n"
	"# decision: 1234/QĐ-UBND ngày 01/7/2024       # announcing decision\n"
	"# decision_file: qd/1234-qd-ubnd.pdf          # its PDF, under static/\n"
	"# effective: %s                       # effective date (YYYY-MM-DD)\n"
	"# status: hiệu lực                            # hiệu lực or bãi bỏ (abolished)\n"
	"# replaces: 1.000000                          # code this procedure replaces\n"
	"# aliases: [/old-path/]                       # old URLs that redirect here\n"
	"# draft: true                                 # built only with --drafts\n"
	"---\n"
	"What this procedure is for and who needs it.\n\n"
	"## Trình tự thực hiện\n\n1. ...\n\n"
	"## Thành phần hồ sơ\n\n- ...\n\n"
	"## Căn cứ pháp lý\n\n- ...\n";

static const char article_vi[] =
	"---\n"
	"title: \"%s\"\n"
	"date: %s\n"
	"kind: tin-tuc         # tin-tuc, thong-bao, van-ban (công văn), chien-dich hoặc video\n"
	"summary: \"\"           # một hai câu tóm tắt cho danh sách và nguồn tin\n"
	"# image: anh/ten-anh.jpg         # ảnh trong static/\n"
	"# tags: []\n"
	"# Với công văn (kind: van-ban):\n"
	"# number: 1234/UBND-VP           # số hiệu\n"
	"# issuer: UBND thành phố          # cơ quan ban hành\n"
	"# signer: \"\"                     # người ký\n"
	"# recipients: [Các phòng chuyên môn, UBND các phường, xã]   # nơi nhận\n"
	"# draft: true\n"
	"---\n"
	"Nội dung bài viết.\n";

static const char article_en[] =
	"---\n"
	"title: \"%s\"\n"
	"date: %s\n"
	"kind: tin-tuc         # tin-tuc, thong-bao, van-ban (official letter), chien-dich or video\n"
	"summary: \"\"           # one or two sentences for lists and feeds\n"
	"# image: images/name.jpg         # under static/\n"
	"# number: 1234/UBND-VP           # official letters: number, issuer, signer, recipients\n"
	"# issuer: \"\"\n"
	"# signer: \"\"\n"
	"# recipients: []\n"
	"# draft: true\n"
	"---\n"
	"The article.\n";

static const char page_vi[] =
	"---\n"
	"title: \"%s\"\n"
	"# menu: 5             # vị trí trên thanh điều hướng chính (số)\n"
	"# summary: \"\"\n"
	"---\n"
	"Nội dung trang.\n";

static const char page_en[] =
	"---\n"
	"title: \"%s\"\n"
	"# menu: 5             # position in the main navigation\n"
	"# summary: \"\"\n"
	"---\n"
	"The page.\n";

static const char new_help[] =
	"usage: congkhai new procedure|article|page TITLE... [-C DIR]\n"
	"\n"
	"Create a Markdown file for a new procedure (procedures/), article (news/)\n"
	"or standing page (pages/), named after the title's slug, with every key\n"
	"and section explained. An existing file is never overwritten.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n";

/* YAML double-quoted text: escape backslashes and quotes. */
static char *
yaml_quote(const char *s)
{
	struct buf b = {0};
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	return buf_steal(&b);
}

int
cmd_new(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "content", required_argument, NULL, 'C' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *dir = NULL;
	char root[PATH_MAX];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+C:h", longs, NULL)) != -1) {
		if (c == 'h') {
			fputs(new_help, stdout);
			return EXIT_OK;
		}
		if (c != 'C') {
			fputs(new_help, stderr);
			return EXIT_USAGE;
		}
		dir = optarg;
	}
	/* options may also follow the title */
	struct buf title = {0};
	const char *kind = NULL;
	for (int i = optind; i < argc; i++) {
		if ((!strcmp(argv[i], "-C") || !strcmp(argv[i], "--content")) && i + 1 < argc) {
			dir = argv[++i];
		} else if (!kind) {
			kind = argv[i];
		} else {
			if (title.len)
				buf_putc(&title, ' ');
			buf_puts(&title, argv[i]);
		}
	}
	const char *folder = !kind ? NULL : !strcmp(kind, "procedure") ? "procedures" :
	    !strcmp(kind, "article") ? "news" : !strcmp(kind, "page") ? "pages" : NULL;
	if (!folder || !title.len) {
		fputs(new_help, stderr);
		buf_free(&title);
		return EXIT_USAGE;
	}
	if (!dir)
		dir = site_default_dir(root, sizeof root);
	const char *lang = site_language_of(dir);
	if (!lang) {
		fprintf(stderr, "congkhai new: %s: %s\n", dir,
		    tr("no site here (no site.yaml); start one with 'congkhai init'"));
		buf_free(&title);
		return EXIT_USAGE;
	}
	int en = strcmp(lang, "en") == 0;
	char *nfc = text_nfc(title.s, title.len);
	buf_free(&title);
	if (!nfc) {
		fprintf(stderr, "congkhai new: %s\n", tr("the title is not valid UTF-8"));
		return EXIT_USAGE;
	}
	char *slug = text_slug(nfc), *q = yaml_quote(nfc);
	char today[16];
	time_t now = time(NULL);
	strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
	char *folder_path = xasprintf("%s/%s", dir, folder);
	char *path = xasprintf("%s/%s.md", folder_path, slug);
	int rc = EXIT_OK;
	FILE *f = NULL;
	mkdir(folder_path, 0755);
	if (!*slug) {
		fprintf(stderr, "congkhai new: %s\n", tr("the title gives an empty file name"));
		rc = EXIT_USAGE;
	} else if (!(f = fopen(path, "wx"))) {
		fprintf(stderr, "%s: error: %s\n", path,
		    errno == EEXIST ? tr("the file exists already; not overwritten") : strerror(errno));
		rc = EXIT_CONTENT;
	} else {
		if (!strcmp(folder, "procedures"))
			fprintf(f, en ? procedure_en : procedure_vi, q, today);
		else if (!strcmp(folder, "news"))
			fprintf(f, en ? article_en : article_vi, q, today);
		else
			fprintf(f, en ? page_en : page_vi, q);
		fclose(f);
		printf("%s\n", path);
	}
	free(nfc);
	free(slug);
	free(q);
	free(folder_path);
	free(path);
	return rc;
}
