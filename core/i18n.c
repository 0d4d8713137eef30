/*
 * i18n.c — the message catalogue. Code writes messages in English; editors
 * read them in the site's language (Vietnamese by default). A message not
 * in the catalogue is shown in English. Owns only static data.
 */
#include <string.h>
#include "congkhai.h"

static const char *const catalogue[][2] = {
	{ "%d error(s), %d warning(s)", "%d lỗi, %d cảnh báo" },
	{ "invalid UTF-8 at byte offset %ld", "UTF-8 không hợp lệ tại byte thứ %ld" },
	{ "empty file", "tệp rỗng" },
	{ "missing front matter: the file must start with a line '---'",
	  "thiếu phần khai báo (front matter): tệp phải bắt đầu bằng dòng '---'" },
	{ "front matter is not closed by a line '---'",
	  "phần khai báo chưa được đóng bằng dòng '---'" },
	{ "front matter must be a mapping of keys to values, not %s",
	  "phần khai báo phải là danh sách khóa: giá trị, không phải %s" },
	{ "YAML: %s", "YAML: %s" },
	{ "duplicate key '%s'", "khóa '%s' bị lặp" },
	{ "missing required key '%s'", "thiếu khóa bắt buộc '%s'" },
	{ "unknown key '%s'; did you mean '%s'?", "khóa '%s' không hợp lệ; có phải là '%s'?" },
	{ "unknown key '%s'", "khóa '%s' không hợp lệ" },
	{ "'%s' must be %s, not %s", "'%s' phải là %s, không phải %s" },
	{ "'%s' must be one of %s, not '%s'", "'%s' phải là một trong %s, không phải '%s'" },
	{ "'%s' is not a real date (YYYY-MM-DD): '%s'", "'%s' không phải ngày hợp lệ (YYYY-MM-DD): '%s'" },
	{ "'%s' must not be empty", "'%s' không được để trống" },
	{ "procedure code must look like 1.001193, not '%s'",
	  "mã thủ tục phải có dạng 1.001193, không phải '%s'" },
	{ "procedure code %s is also used by %s", "mã thủ tục %s đã được dùng ở %s" },
	{ "URL %s is also produced by %s", "đường dẫn %s trùng với %s" },
	{ "URL %s is reserved by the portal", "đường dẫn %s được dành riêng cho cổng" },
	{ "missing required section '## %s'", "thiếu mục bắt buộc '## %s'" },
	{ "file is larger than 8 MiB (%zu bytes); refused", "tệp lớn hơn 8 MiB (%zu byte); bị từ chối" },
	{ "symbolic link points outside the content tree; refused",
	  "liên kết tượng trưng trỏ ra ngoài thư mục nội dung; bị từ chối" },
	{ "alias %s would replace a page of the portal", "bí danh %s sẽ đè lên một trang của cổng thông tin" },
	{ "a NUL byte (\\0) in the file; remove it", "tệp có byte NUL (\\0); hãy xoá nó" },
	{ "tables in this file are shown as text: they would have more than %d cells in a row or %d in all",
	  "các bảng trong tệp này được hiển thị như văn bản: chúng sẽ có hơn %d ô trong một hàng hoặc %d ô tổng cộng" },
	{ "unknown hook '%s'; did you mean '%s'?", "hook '%s' không tồn tại; có phải ý bạn là '%s'?" },
	{ "unknown hook '%s': hooks are setup, page, render and finish (keep helpers in local functions)",
	  "hook '%s' không tồn tại: các hook là setup, page, render và finish (hàm phụ hãy để là hàm local)" },
	{ "plugin '%s' takes no options", "plugin '%s' không nhận tùy chọn nào" },
	{ "plugin '%s' has no option '%s'; did you mean '%s'?",
	  "plugin '%s' không có tùy chọn '%s'; có phải ý bạn là '%s'?" },
	{ "plugin '%s' has no option '%s'", "plugin '%s' không có tùy chọn '%s'" },
	{ "unknown plugin '%s'; did you mean '%s'?", "không có plugin '%s'; có phải ý bạn là '%s'?" },
	{ "refusing to write the site inside the content tree",
	  "không ghi trang vào bên trong thư mục nội dung" },
	{ "error: a site is already here; nothing was changed", "lỗi: ở đây đã có một cổng; không thay đổi gì" },
	{ "congkhai init: created", "congkhai init: đã tạo" },
	{ "Next: edit %s/site.yaml, then run 'congkhai build' in %s (or 'congkhai check').",
	  "Tiếp theo: sửa %s/site.yaml, rồi chạy 'congkhai build' trong %s (hoặc 'congkhai check')." },
	{ "the commit has no subject", "lần commit không có tiêu đề" },
	{ "'%s' is too short for a change note that citizens read",
	  "'%s' quá ngắn cho một ghi chú thay đổi mà người dân đọc" },
	{ "'%s' has no Vietnamese letters: write the change note in Vietnamese",
	  "'%s' không có chữ tiếng Việt: hãy viết ghi chú thay đổi bằng tiếng Việt" },
	{ "hint: e.g. 'Sửa đổi lệ phí theo Quyết định 1234/QĐ-UBND', or 'minor: ...' for a change citizens need not see",
	  "gợi ý: ví dụ 'Sửa đổi lệ phí theo Quyết định 1234/QĐ-UBND', hoặc 'nhỏ: ...' cho thay đổi người dân không cần thấy" },
	{ "error: a hook congkhai did not install is there; left alone",
	  "lỗi: đã có một hook không do congkhai cài; giữ nguyên" },
	{ "no git repository above the content directory", "không có kho git chứa thư mục nội dung" },
	{ "congkhai hooks: installed", "congkhai hooks: đã cài" },
	{ "built in %.0f ms", "đã tạo trong %.0f ms" },
	{ "cannot listen on 127.0.0.1, port", "không mở được cổng trên 127.0.0.1, cổng số" },
	{ "Serving %s on %s (drafts shown); Ctrl-C stops.",
	  "Đang phục vụ %s tại %s (hiện cả bản nháp); Ctrl-C để dừng." },
	{ "'## %s' is not a known section; did you mean '## %s'?",
	  "'## %s' không phải mục đã biết; có phải ý bạn là '## %s'?" },
	{ "YAML does not allow tabs: indent with spaces", "YAML không cho phép ký tự tab: hãy thụt lề bằng dấu cách" },
	{ "a value that contains ': ' must be quoted, e.g. title: \"Luật: số 60\"",
	  "giá trị có chứa ': ' phải đặt trong dấu ngoặc kép, ví dụ title: \"Luật: số 60\"" },
	{ "each line must be 'key: value'; check the indentation and any unclosed quote",
	  "mỗi dòng phải có dạng 'khóa: giá trị'; hãy xem lại thụt lề và dấu ngoặc kép chưa đóng" },
	{ "Markdown files outside procedures/, news/ and pages/ are not built",
	  "tệp Markdown ngoài procedures/, news/ và pages/ không được tạo thành trang" },
	{ "no such content directory", "không có thư mục nội dung này" },
	{ "no site here (no site.yaml); start one with 'congkhai init'",
	  "ở đây chưa có cổng nào (không có site.yaml); hãy tạo bằng 'congkhai init'" },
	{ "Try 'congkhai %s --help'.", "Xem 'congkhai %s --help'." },
	{ "unexpected argument", "đối số không mong đợi" },
	{ "unknown command", "không có lệnh" },
	{ "unknown option", "không có tùy chọn" },
	{ "missing value for", "thiếu giá trị cho" },
	{ "-j takes a number from 1 to 256", "-j nhận một số từ 1 đến 256" },
	{ "the title is not valid UTF-8", "tiêu đề không phải UTF-8 hợp lệ" },
	{ "the title gives an empty file name", "tiêu đề cho ra tên tệp rỗng" },
	{ "--limit takes a number from 1 to 10000", "--limit nhận một số từ 1 đến 10000" },
	{ "--port takes a number from 1 to 65535", "--port nhận một số từ 1 đến 65535" },
	{ "symbolic link to a folder is not followed",
	  "liên kết tượng trưng tới một thư mục không được đi theo" },
	{ "cannot read: %s", "không đọc được: %s" },
	{ "broken internal link '%s'", "liên kết nội bộ không tồn tại '%s'" },
	{ "alias '%s' must be a path starting with '/'", "bí danh '%s' phải là đường dẫn bắt đầu bằng '/'" },
	{ "'%s' names %s, which is not a procedure of this site",
	  "'%s' nêu %s, không phải thủ tục của trang này" },
	{ "file '%s' not found under static/", "không tìm thấy tệp '%s' trong static/" },
	{ "each channel must be a mapping with 'method'", "mỗi cách thức phải là danh sách khóa có 'method'" },
	{ "site.yaml not found in %s", "không tìm thấy site.yaml trong %s" },
	{ "'base_url' must be an http:// or https:// address with a host, or a path such as /sub/",
	  "'base_url' phải là địa chỉ http:// hoặc https:// có tên máy chủ, hoặc một đường dẫn như /sub/" },
	{ "no git repository: dates come from front matter",
	  "không có kho git: ngày tháng lấy từ phần khai báo" },
	{ "data file %s: %s", "tệp dữ liệu %s: %s" },
	{ "CSV: unterminated quoted field", "CSV: trường trong ngoặc kép chưa được đóng" },
	{ "a plugin entry must be a name or a mapping with 'name'",
	  "mỗi plugin phải là một tên hoặc danh sách khóa có 'name'" },
	{ "procedure '%s' is abolished but names no replacement", "thủ tục '%s' đã bãi bỏ" },
	{ "file name gives an empty slug", "tên tệp cho đường dẫn rỗng" },
	/* congkhai import (import.c, import_dvcqg.c, import_letter.c) */
	{ "the file exists already; use --force to overwrite it", "tệp đã tồn tại; dùng --force để ghi đè" },
	{ "JSON: %s", "JSON: %s" },
	{ "no procedure here: expected an object with 'code' and 'name' (or {\"data\": ...} or a list of them)",
	  "không có thủ tục nào: cần một đối tượng có 'code' và 'name' (hoặc {\"data\": ...} hay một danh sách)" },
	{ "the procedure has no '%s'", "thủ tục không có '%s'" },
	{ "procedure %s: %s not given; written '%s'", "thủ tục %s: không có %s; ghi '%s'" },
	{ "procedure %s: it can be filed online, but the JSON does not say whether wholly (toàn trình) or in part (một phần); written '%s'",
	  "thủ tục %s: có thể nộp trực tuyến, nhưng JSON không cho biết toàn trình hay một phần; ghi '%s'" },
	{ "procedure %s: submission method '%s' is not known; left out of channels",
	  "thủ tục %s: cách nộp '%s' không xác định; không đưa vào channels" },
	{ "no title found: no 'V/v' subject and no headline", "không tìm thấy tiêu đề: không có trích yếu 'V/v' hay dòng tiêu đề" },
	{ "no date found (', ngày ... tháng ... năm ...'); give it with --date YYYY-MM-DD",
	  "không tìm thấy ngày (', ngày ... tháng ... năm ...'); hãy cho biết bằng --date YYYY-MM-DD" },
	{ "the date is left blank ('%s'); give it with --date YYYY-MM-DD",
	  "ngày ban hành để trống ('%s'); hãy cho biết bằng --date YYYY-MM-DD" },
	{ "--date %s does not agree with the letter's '%s'", "--date %s không khớp với '%s' của văn bản" },
	{ "'%s' is not a real date", "'%s' không phải ngày hợp lệ" },
	{ "the letter is dated %s; --date is not used", "văn bản ghi ngày %s; không dùng --date" },
	{ "no số hiệu found", "không tìm thấy số hiệu" },
	{ "the số hiệu is left blank ('%s'); none written", "số hiệu để trống ('%s'); không ghi" },
	{ "no issuer found", "không tìm thấy cơ quan ban hành" },
	{ "no signer found", "không tìm thấy người ký" },
	{ "no recipients (Kính gửi) found", "không tìm thấy nơi nhận (Kính gửi)" },
	{ "no 'V/v' subject found; the title is the headline", "không tìm thấy trích yếu 'V/v'; tiêu đề lấy từ dòng đầu" },
	{ "the letter has no text", "văn bản không có nội dung" },
	{ "--date is for letters only", "--date chỉ dùng cho công văn (letter)" },
	{ "--date takes a real date, YYYY-MM-DD", "--date nhận một ngày có thật, dạng YYYY-MM-DD" },
	{ "give dvcqg or letter, then one or more files", "hãy cho biết dvcqg hoặc letter, rồi một hoặc nhiều tệp" },
	{ "unknown kind of import", "không có kiểu nhập" },
	{ "%s: another procedure of this import has the same file name", "%s: một thủ tục khác trong lần nhập này có cùng tên tệp" },
	{ "'%s' is not yet verified (%s)", "'%s' chưa được xác minh (%s)" },
	{ "a list of level names, e.g. [tỉnh, xã]", "một danh sách tên cấp, ví dụ [tỉnh, xã]" },
	{ "a mapping with date and decision", "danh sách khóa có date và decision" },
	{ "each item of '%s' must be a mapping with '%s'", "mỗi mục của '%s' phải là danh sách khóa có '%s'" },
	{ "'repealed' needs 'status: bãi bỏ'", "'repealed' cần 'status: bãi bỏ'" },
	{ "'sources' names '%s', which is not a procedure key", "'sources' nêu '%s', không phải khóa của thủ tục" },
	{ "'%s' does not match the file: its SHA-256 is %s", "'%s' không khớp với tệp: SHA-256 của tệp là %s" },
	{ "each office needs a 'name'", "mỗi cơ quan cần có 'name'" },
	{ "'reception' names '%s', but no data/co-quan.yaml describes offices",
	  "'reception' nêu '%s' nhưng chưa có data/co-quan.yaml mô tả các cơ quan" },
	{ "office '%s' is not in data/co-quan.yaml; did you mean '%s'?",
	  "cơ quan '%s' không có trong data/co-quan.yaml; có phải là '%s'?" },
	{ "office '%s' is not in data/co-quan.yaml", "cơ quan '%s' không có trong data/co-quan.yaml" },
	{ "agency '%s' is not in data/co-quan.yaml; did you mean '%s'?",
	  "cơ quan thực hiện '%s' không có trong data/co-quan.yaml; có phải là '%s'?" },
	{ "field '%s' is also spelled '%s' (in %s)", "lĩnh vực '%s' còn được viết là '%s' (trong %s)" },
	{ "the output directory's parent does not exist", "thư mục cha của thư mục đầu ra không tồn tại" },
	{ "refusing to write the site to / or the home directory",
	  "từ chối ghi trang vào / hoặc thư mục nhà" },
	{ "refusing to write the site over the content directory or one of its parents",
	  "từ chối ghi đè lên thư mục nội dung hoặc thư mục cha của nó" },
	{ "the output path exists and is not a directory", "đường dẫn đầu ra đã tồn tại và không phải thư mục" },
	{ "refusing to replace a non-empty directory that congkhai did not build",
	  "từ chối thay thế một thư mục không rỗng không do congkhai tạo ra" },
	{ "cannot write: %s", "không ghi được: %s" },
	{ "build failed; the previous site is unchanged", "tạo trang thất bại; trang cũ được giữ nguyên" },
	{ "congkhai: error: plugin '%s' (%s) ran out of time in a call that could not be stopped "
	  "(a very slow string pattern?); the build is abandoned",
	  "congkhai: lỗi: plugin '%s' (%s) chạy quá thời gian trong một lệnh không dừng được "
	  "(mẫu chuỗi quá chậm?); bỏ dở lần tạo trang này" },
	{ "built %s: %zu procedures, %zu articles, %zu pages in %.0f ms",
	  "đã tạo %s: %zu thủ tục, %zu bài viết, %zu trang trong %.0f ms" },
	{ "%s: %zu procedures, %zu articles, %zu pages: no errors",
	  "%s: %zu thủ tục, %zu bài viết, %zu trang: không có lỗi" },
	{ "the file exists already; not overwritten", "tệp đã tồn tại; không ghi đè" },
	{ "--rev needs a git repository above the content directory",
	  "--rev cần một kho git chứa thư mục nội dung" },
	{ "unknown revision '%s'", "không tìm thấy phiên bản '%s'" },
	{ "the content directory is not in revision '%s'", "thư mục nội dung không có trong phiên bản '%s'" },
	{ "congkhai: error: plugin '%s' (%s) failed:", "congkhai: error: plugin '%s' (%s) bị lỗi:" },
	{ "unknown plugin '%s'", "không tìm thấy plugin '%s'" },
	{ "the repository has no commits yet: no history", "kho git chưa có lần commit nào: chưa có lịch sử" },
	{ "shallow clone: history is truncated", "bản sao git không đầy đủ (shallow): lịch sử bị cắt ngắn" },
	{ "the git repository is damaged: %s: no history is shown",
	  "kho git bị hỏng: %s: không hiển thị lịch sử" },
	{ "the git repository is damaged: %s: history is incomplete",
	  "kho git bị hỏng: %s: lịch sử không đầy đủ" },
	{ "the git repository is damaged: %s", "kho git bị hỏng: %s" },
	{ "%zu uncommitted change(s) are built but have no history entry yet: %s%s",
	  "%zu thay đổi chưa commit được đưa vào trang nhưng chưa có trong lịch sử: %s%s" },
	{ "Published", "Ngày đăng" }, { "Last updated", "Cập nhật lần cuối" },
	{ "(history may be incomplete: a shallow or damaged repository)",
	  "(lịch sử có thể chưa đầy đủ: kho git sao chép không đầy đủ hoặc bị hỏng)" },
	{ "text changed", "nội dung thay đổi" }, { "Minor changes not listed:", "Số thay đổi nhỏ không liệt kê:" },
	{ "no such page or procedure code", "không có trang hoặc mã thủ tục này" },
	{ "No history: not committed to git yet.", "Chưa có lịch sử: chưa được commit vào git." },
	{ "not an index of this version of congkhai; build the site again",
	  "chỉ mục không thuộc phiên bản congkhai này; hãy tạo lại trang" },
	{ "no index; build the site first", "chưa có chỉ mục; hãy tạo trang trước" },
	{ "no results", "không có kết quả" },
	{ "abolished", "đã bãi bỏ" }, { "not-yet", "chưa có hiệu lực" }, { "deleted", "không còn công khai" },
	{ "text", "văn bản" }, { "null", "rỗng" }, { "boolean", "true/false" },
	{ "integer", "số nguyên" }, { "list", "danh sách" }, { "mapping", "danh sách khóa" },
	{ "true or false", "true hoặc false" }, { "a whole number", "một số nguyên" },
	{ "text or a list of text", "văn bản hoặc danh sách văn bản" }, { "a list", "một danh sách" },
	{ "an http:// or https:// address", "một địa chỉ http:// hoặc https://" },
};

static int english;

void
i18n_set_language(const char *lang)
{
	english = lang && strcmp(lang, "en") == 0;
}

const char *
i18n_language(void)
{
	return english ? "en" : "vi";
}

/* What citizens call each front matter key, in both languages: the one
 * place for these labels (the page's history, `congkhai history`). */
static const char *const key_labels[][3] = {
	{ "title", "Tên thủ tục", "Name" }, { "field", "Lĩnh vực", "Field" },
	{ "level", "Cấp thực hiện", "Level" }, { "agency", "Cơ quan thực hiện", "Handled by" },
	{ "processing_time", "Thời hạn giải quyết", "Time limit" }, { "fee", "Phí, lệ phí", "Fees" },
	{ "online", "Dịch vụ công trực tuyến", "Online service" },
	{ "channels", "Cách thức thực hiện", "Ways of filing" },
	{ "portal_url", "Địa chỉ nộp trực tuyến", "Online filing address" },
	{ "decision", "Quyết định công bố", "Announcing decision" },
	{ "decision_file", "Tệp quyết định", "Decision file" },
	{ "effective", "Ngày có hiệu lực", "In force from" }, { "status", "Tình trạng", "Status" },
	{ "replaces", "Thay thế thủ tục", "Replaces" }, { "code", "Mã thủ tục", "Code" },
	{ "tags", "Từ khóa", "Tags" }, { "aliases", "Đường dẫn cũ", "Old addresses" },
	{ "reception", "Nơi tiếp nhận hồ sơ", "Where to file" }, { "cases", "Các trường hợp", "Cases" },
	{ "repealed", "Bãi bỏ", "Repealed" }, { "sources", "Nguồn", "Sources" },
};

const char *
i18n_key_label(const char *key)
{
	for (size_t i = 0; i < sizeof key_labels / sizeof key_labels[0]; i++)
		if (strcmp(key_labels[i][0], key) == 0)
			return key_labels[i][english ? 2 : 1];
	return key;
}

const char *
tr(const char *s)
{
	if (english)
		return s;
	for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++)
		if (strcmp(catalogue[i][0], s) == 0)
			return catalogue[i][1];
	return s;
}
