# The portal's pages for real office data (issue 10, SPEC §3): decisions as
# records newest first, repeal and replacement both ways, sub-cases and
# channels, sources per fact, reception offices and agency pages from
# data/co-quan.yaml with GovernmentOffice JSON-LD, dossier checklists with
# counts, and facts not yet verified with the editors' worklist. Fixture:
# tests/fixtures/office/.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo office)
cd "$repo"
# the JSON-LD of a page, parsed: prints "key=value" per line, or "invalid"
ld() {
  sed -n 's|.*<script type="application/ld+json">\(.*\)</script>.*|\1|p' "$1" | python3 -c '
import json, sys
try:
    j = json.loads(sys.stdin.read())
except ValueError:
    print("invalid"); sys.exit()
for k in sorted(j): print("%s=%s" % (k, j[k]))'
}

status "the office fixture checks clean, with warnings for facts not yet verified" 0 "$CONGKHAI" check -C content
has "an unverified fee is a warning" "$TMPROOT/.out" "trich-luc.md:8:6: warning: 'fee'"
status "check --strict refuses facts not yet verified" 1 "$CONGKHAI" check --strict -C content
status "the office fixture builds" 0 "$CONGKHAI" build -C content -o out -q

# decisions: every one, newest first, with kind, number, date, link, hash
P=out/thu-tuc/1.000101/index.html
is "decisions are listed newest first" "$(grep -o '[0-9]*/QĐ-UBND</a> ([0-9/]*)\|[0-9]*/QĐ-UBND ([0-9/]*)' "$P" | tr '\n' '|')" \
  "300/QĐ-UBND</a> (10/02/2025)|200/QĐ-UBND (15/06/2024)|100/QĐ-UBND</a> (01/03/2023)|"
has "each decision names its kind and number" "$P" '<li><strong>Sửa đổi</strong>: <a href="https://example.gov.vn/qd/300.pdf">Quyết định số 300/QĐ-UBND</a> (10/02/2025)</li>'
has "a decision without a file or address is shown unlinked" "$P" '<li><strong>Thay thế</strong>: Quyết định số 200/QĐ-UBND (15/06/2024)</li>'
has "a decision's file under static/ is linked at its site path" "$P" '<a href="/qd/qd-cong-bo.pdf">Quyết định số 100/QĐ-UBND</a>'
has "with the file's SHA-256" "$P" "<code class=\"hash\">$(sha256sum content/static/qd/qd-cong-bo.pdf | cut -c1-64)</code>"
ok "the decision's file is published" cmp out/qd/qd-cong-bo.pdf content/static/qd/qd-cong-bo.pdf
O=out/thu-tuc/1.000102/index.html
has "the one-line decision still shows as written" "$O" "<p>50/QĐ-UBND ngày 02/01/2020</p>"
has "with its file and hash" "$O" "<a href=\"/qd/qd-2020.pdf\">Tải văn bản quyết định (PDF)</a><br><small>Mã kiểm tra SHA-256 của tệp: <code class=\"hash\">$(sha256sum content/static/qd/qd-2020.pdf | cut -c1-64)</code>"

# repeal and replacement
has "the repeal is shown prominently with its date and decision" "$O" \
  '<p class="banner banner-abolished" role="note">Thủ tục này đã bị bãi bỏ và không còn được thực hiện. Bãi bỏ từ ngày 01/07/2025 theo Quyết định số 1234/QĐ-UBND.'
has "the replaced procedure links its replacement" "$O" 'Thủ tục thay thế: <a href="/thu-tuc/1.000101/">1.000101 Đăng ký khai sinh</a>'
has "the replacement links the procedure it replaces" "$P" 'Thủ tục này thay thế: <a href="/thu-tuc/1.000102/">1.000102 Đăng ký khai sinh (thủ tục cũ)</a>'
hasnt "a procedure in force has no repeal banner" "$P" "banner-abolished"

# sub-cases and channels
has "sub-cases are a table of case, time and fee" "$P" '<th scope="col">Trường hợp</th><th scope="col">Thời hạn giải quyết</th><th scope="col">Phí, lệ phí</th>'
has "each sub-case with its code, time and fee" "$P" '<tr><th scope="row">Khai sinh quá hạn <small>(1.000101.02)</small></th><td>03 ngày làm việc</td><td>8.000 đồng</td></tr>'
has "channels are a table, the way of filing named for citizens" "$P" '<tr><th scope="row">Trực tuyến</th><td>01 ngày làm việc</td><td>Miễn lệ phí</td><td>Nộp bản chụp giấy tờ</td></tr>'
has "a channel's time not yet verified is a badge" "$P" '<tr><th scope="row">Qua bưu chính</th><td><span class="badge-unverified">Chưa xác minh</span></td>'

# sources
has "sources are a section of their own" "$P" '<h2 id="nguon-h">Nguồn</h2>'
is "sources per fact follow the page's order of facts, labelled as on the page" \
  "$(grep -o '<li>Thời hạn giải quyết: <a\|<li>Phí, lệ phí: <a' "$P" | tr '\n' '|')" "<li>Thời hạn giải quyết: <a|<li>Phí, lệ phí: <a|"
has "a source shows its date" "$P" 'Nghị quyết về lệ phí hộ tịch</a> (01/01/2024)'
has "and its SHA-256" "$P" 'Luật Hộ tịch 2014</a> <small>Mã kiểm tra SHA-256 của tệp: <code class="hash">0a1b2c3d'
has "a list of sources needs no labels" "$O" '<ul><li><a href="https://csdl.example.gov.vn/1.000102">Cơ sở dữ liệu quốc gia về thủ tục hành chính</a> (20/05/2024)</li></ul>'
n=$(grep -n 'id="nguon-h"' "$P" | cut -d: -f1); m=$(grep -n 'id="can-cu-phap-ly"' "$P" | cut -d: -f1)
ok "sources come after the sections" test "${n:-0}" -gt "${m:-999999}"

# reception offices from data/co-quan.yaml
has "the page says where dossiers are received" "$P" '<dt>Nơi tiếp nhận hồ sơ</dt>'
has "an office named by a former name is shown by its name, with address" "$P" \
  '<strong>Bộ phận Tiếp nhận và Trả kết quả xã Thử Nghiệm</strong><br>Địa chỉ: Số 1 đường Thử Nghiệm, xã Thử Nghiệm'
has "its phone can be called" "$P" 'Điện thoại: <a href="tel:02543000001">0254 3000 001</a>'
has "its hours" "$P" 'Giờ làm việc: Thứ Hai đến thứ Sáu, 7 giờ 30 – 17 giờ'
has "its map" "$P" '<a href="https://maps.example.org/?q=xa-thu-nghiem">Xem bản đồ<span class="visually-hidden">: Bộ phận Tiếp nhận'
has "an office fact not yet verified is a badge" "$P" 'Điện thoại: <span class="badge-unverified">Chưa xác minh</span>'
hasnt "a javascript: map address is not linked" "$P" "javascript:"

# agency pages
A=out/co-quan/ubnd-xa-thu-nghiem/index.html
has "the agency page shows its office" "$A" '<h2 id="lien-he-h">Địa chỉ, liên hệ</h2>'
has "with its address" "$A" 'Địa chỉ: Số 2 đường Thử Nghiệm, xã Thử Nghiệm'
is "the agency page carries valid GovernmentOffice JSON-LD" "$(ld "$A" | tr '\n' '|')" \
  "@context=https://schema.org|@type=GovernmentOffice|address=Số 2 đường Thử Nghiệm, xã Thử Nghiệm|name=UBND xã Thử Nghiệm|openingHours=Thứ Hai đến thứ Sáu, 7 giờ 30 – 17 giờ|url=https://example.gov.vn/co-quan/ubnd-xa-thu-nghiem/|"
F=out/co-quan/ubnd-huyen-thu-nghiem/index.html
has "an agency under a former name shows the office's details" "$F" 'Địa chỉ: Số 2 đường Thử Nghiệm, xã Thử Nghiệm'
has "and what it is called now" "$F" '<p>Nay là: <a href="/co-quan/ubnd-xa-thu-nghiem/">UBND xã Thử Nghiệm</a></p>'
S=out/co-quan/so-thu-nghiem/index.html
is "hostile office text is data in the JSON-LD" "$(ld "$S" | grep '^address=')" 'address=Tầng 1 </script><script>alert(1)</script> <!-- & "x"'
is "it cannot close or comment the script" "$(grep -c '</script><script>alert\|<!--' "$S")" "0"
has "and is escaped in the page" "$S" 'Địa chỉ: Tầng 1 &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
hasnt "a procedure page runs no script (its JSON-LD is data)" "$P" "<script\\( [^t]\\|>\\)"

# dossier checklist
has "items to file are a checklist under their heading, counts read into numbers" "$P" \
  '<h3>Phải nộp</h3><ul class="checklist"><li>Tờ khai đăng ký khai sinh theo <a href="/mau-don/">mẫu</a> <span class="counts">Bản chính: 1 · Bản sao: 1</span></li><li>Giấy chứng sinh <span class="counts">Bản chính: 1 · Bản sao: 2</span></li><li>Văn bản ủy quyền, nếu có</li></ul>'
has "items to show are a group of their own" "$P" \
  '<h3>Phải xuất trình</h3><ul class="checklist"><li>Căn cước của người đi đăng ký <span class="counts">Bản chính: 1</span></li></ul>'
has "prose in the section is kept" "$P" '<p>Số lượng hồ sơ: 01 bộ.</p>'
hasnt "no count is left as text" "$P" '(01 bản chính\|bản sao: 02'

# facts not yet verified
U=out/thu-tuc/1.000103/index.html
has "an unverified agency is a badge, never a guess" "$U" '<dt>Cơ quan thực hiện</dt><dd><span class="badge-unverified">Chưa xác minh</span></dd>'
has "an unverified time limit too" "$U" '<dt>Thời hạn giải quyết</dt><dd><span class="badge-unverified">Chưa xác minh</span></dd>'
has "an unverified fee too" "$U" '<dt>Phí, lệ phí</dt><dd><span class="badge-unverified">Chưa xác minh</span></dd>'
is "an unverified required section too" "$(sed -n '/id="can-cu-phap-ly"/,/<\/section>/p' "$U" | grep -c '<p><span class="badge-unverified">Chưa xác minh</span></p>')" "1"
has "the page says facts are being verified" "$U" 'banner-unverified'
hasnt "an unverified agency has no listing" out/co-quan/index.html 'chua-xac-minh'
W=out/thu-tuc/chua-xac-minh/index.html
has "the worklist counts the procedures" "$W" '<strong>1 thủ tục có thông tin chưa xác minh</strong>'
has "the worklist lists the procedure with its facts and their count" "$W" \
  '<a href="/thu-tuc/1.000103/"><span class="code">1.000103</span> Cấp bản sao trích lục hộ tịch</a><br><span class="badge-unverified">4 thông tin chưa xác minh</span> Cơ quan thực hiện; Thời hạn giải quyết; Phí, lệ phí; Căn cứ pháp lý</li>'
hasnt "and no procedure whose facts are verified" "$W" '1.000101\|1.000102'
has "the worklist lists offices with facts not yet verified" "$W" '<a href="/co-quan/ubnd-xa-thu-nghiem/">UBND xã Thử Nghiệm</a><br><span class="badge-unverified">1 thông tin chưa xác minh</span> Điện thoại'
has "the catalog links the worklist" out/thu-tuc/index.html '<a href="/thu-tuc/chua-xac-minh/">Thủ tục có thông tin chưa xác minh</a>'

size=$(( $(wc -c < "$P") + $(wc -c < out/assets/style.css) ))
ok "the fullest procedure page with its CSS weighs under 50 KB ($size bytes)" test $size -lt 51200

# a site under a sub-path: the file of a decision and the offices' pages carry it
status "a sub-path build" 0 "$CONGKHAI" build -C content -o sub -q --base-url https://example.gov.vn/cong-khai/
has "the decision's file carries the sub-path" sub/thu-tuc/1.000101/index.html 'href="/cong-khai/qd/qd-cong-bo.pdf"'
has "the worklist's links carry it" sub/thu-tuc/chua-xac-minh/index.html 'href="/cong-khai/thu-tuc/1.000103/"'
is "the JSON-LD names the page's full address" "$(ld sub/co-quan/ubnd-xa-thu-nghiem/index.html | grep '^url=')" \
  "url=https://example.gov.vn/cong-khai/co-quan/ubnd-xa-thu-nghiem/"

# English
sed -i 's/^title: .*/title: Office data test\nlanguage: en/' content/site.yaml
status "an English site builds" 0 "$CONGKHAI" build -C content -o en -q
E=en/thu-tuc/1.000101/index.html
has "English decision kinds and numbers" "$E" '<strong>Amended</strong>: <a href="https://example.gov.vn/qd/300.pdf">Decision No. 300/QĐ-UBND</a>'
has "English reception" "$E" '<dt>Where to file</dt>'
has "English channels" "$E" '<th scope="row">Online</th>'
has "English counts" "$E" '<span class="counts">Originals: 1 · Copies: 2</span>'
has "English sources label the fact" "$E" '<li>Fees: <a'
has "English repeal" en/thu-tuc/1.000102/index.html 'Abolished from 01/07/2025 by Decision No. 1234/QĐ-UBND.'
has "English worklist" en/thu-tuc/chua-xac-minh/index.html '4 facts not yet verified'
hasnt "no Vietnamese UI label is left on the procedure page" "$E" 'Nơi tiếp nhận\|Bản chính\|Quyết định số\|Trường hợp\|Chưa xác minh'
