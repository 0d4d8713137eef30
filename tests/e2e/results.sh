# The Decision 766 results plugin (plugins/results/, /chi-so-766/): pages per
# period at the right URLs, the table's scores and maxima, SVG charts that
# parse and whose bars are proportional, warnings for bad data without a
# failed build, escaping, nothing without data, English UI, the CSV form.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
mkdir -p content/data
cat > content/data/chi-so-766.yaml <<'EOF'
source: Thông báo số 12/TB-VPUBND
source_url: https://example.gov.vn/tb-12.pdf
groups:
  - key: cong_khai
    name: "Công khai, minh bạch"
    max: 18
  - key: tien_do
    name: "Tiến độ, kết quả giải quyết"
    max: 20
  - key: so_hoa
    name: "Số hóa hồ sơ"
    max: 22
  - key: truc_tuyen
    name: "Cung cấp dịch vụ trực tuyến"
    max: 22
  - key: hai_long
    name: "Mức độ hài lòng"
    max: 18
results:
  - period: "2024-04"
    unit: Phường Thử Nghiệm
    total: 80.1
    rank: 4
    of: 8
    label: Tốt
    scores: { cong_khai: 16, tien_do: 19, so_hoa: 12.1, truc_tuyen: 17, hai_long: 16 }
  - period: "2024-05"
    unit: Phường Thử Nghiệm
    total: "82,4"
    rank: 3
    of: 8
    label: Tốt
    date: 2024-06-10
    scores: { cong_khai: "16,9", tien_do: 19.2, so_hoa: 12.4, truc_tuyen: 17.1, hai_long: 16.8 }
  - period: "2024-05"
    unit: Xã Bên Cạnh
    total: 71.5
    rank: 7
    of: 8
    label: Khá
    scores: { cong_khai: 15, tien_do: 17, so_hoa: 9.5, truc_tuyen: 15, hai_long: 15 }
EOF
commit "$repo" "2024-06-12T09:00:00+07:00" "Công bố kết quả chỉ số 766 tháng 5/2024"

status "a site with 766 data builds" 0 "$CONGKHAI" build -C content -o out
hasnt "good data gives no warning about it" "$TMPROOT/.out" "chi-so-766"
I=out/chi-so-766/index.html
P=out/chi-so-766/2024-05/index.html
has "the home page shows the latest period" out/index.html '<h2 id="r766-h">Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766), tháng 5/2024</h2>'
has "with a unit's total and rank" out/index.html 'Tổng điểm 82,4/100 · xếp hạng 3/8'
ok "the index is at /chi-so-766/" test -f "$I"
ok "each period has its page at /chi-so-766/YYYY-MM/" test -f "$P"
ok "the older period too" test -f out/chi-so-766/2024-04/index.html
is "the index lists periods newest first" \
  "$(grep -o 'href="/chi-so-766/2024-0[45]/">tháng [45]/2024</a><span' "$I" | tr '\n' '|')" \
  'href="/chi-so-766/2024-05/">tháng 5/2024</a><span|href="/chi-so-766/2024-04/">tháng 4/2024</a><span|'
has "the index shows the latest period in full" "$I" '<caption>Điểm theo nhóm chỉ số: Phường Thử Nghiệm, tháng 5/2024</caption>'
hasnt "and not the older one" "$I" '<caption>Điểm theo nhóm chỉ số: Phường Thử Nghiệm, tháng 4/2024</caption>'
has "the caption states unit, period, total of 100, rank and label" "$P" \
  '<p class="lead">Phường Thử Nghiệm, tháng 5/2024: tổng điểm 82,4/100, xếp hạng 3/8, xếp loại Tốt.</p>'
has "the source is named and linked, with its date" "$P" \
  'Nguồn: <a href="https://example.gov.vn/tb-12.pdf">Thông báo số 12/TB-VPUBND</a> (công bố ngày 10/06/2024)'
has "the table has a caption" "$P" '<caption>Điểm theo nhóm chỉ số: Xã Bên Cạnh, tháng 5/2024</caption>'
has "the table's columns have scoped headers" "$P" '<th scope="col">Nhóm chỉ số</th><th scope="col">Điểm</th><th scope="col">Tối đa</th>'
has "a score given as '16,9' is shown with its maximum" "$P" \
  '<tr><th scope="row">Công khai, minh bạch</th><td>16,9</td><td>18</td><td>93,9%</td></tr>'
has "a score given as a number, Vietnamese style" "$P" \
  '<tr><th scope="row">Số hóa hồ sơ</th><td>12,4</td><td>22</td><td>56,4%</td></tr>'
has "a whole score keeps one decimal" "$P" '<tr><th scope="row">Tiến độ, kết quả giải quyết</th><td>17,0</td><td>20</td>'
has "the total row is out of 100" "$P" '<tr><th scope="row">Tổng điểm</th><td>82,4</td><td>100</td>'
has "the page is in the portal layout, with breadcrumbs" "$P" '<a href="/chi-so-766/">Chỉ số phục vụ người dân, doanh nghiệp</a>'
hasnt "no JavaScript is needed" "$P" '<script src="[^"]*chi-so'

# the SVG charts: well-formed, labelled, text ≥ 12 px, bars proportional
cat > "$TMPROOT/svg.py" <<'EOF'
import re, sys, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
html = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
print("count=%d" % len(svgs))
for s in svgs:
    try:
        root = ET.fromstring(s)
    except ET.ParseError as e:
        print("invalid: %s" % e); continue
    label = root.get("aria-label") or ""
    ok = root.get("role") == "img" and root.find(NS + "title") is not None and label and root.get("viewBox") and root.get("width") == "100%"
    small = [t for t in root.iter() if t.get("font-size") and float(t.get("font-size")) < 12]
    print("svg ok=%s small=%d" % (bool(ok), len(small)))
    if label.startswith(sys.argv[2]):
        bars = [r for r in root.iter(NS + "rect") if r.get("class") == "bar"]
        print("bar=%s" % bars[int(sys.argv[3])].get("width"))
EOF
svg() { python3 "$TMPROOT/svg.py" "$@" 2>&1 | sort | uniq -c | sed 's/^ *//' | tr '\n' '|'; }
is "the period page has a totals chart and one chart per unit, all well-formed, labelled, text ≥ 12 px" \
  "$(svg "$P" 'Điểm theo nhóm chỉ số của Phường Thử Nghiệm' 0)" "1 bar=330.5|1 count=3|3 svg ok=True small=0|"
# 352 px of track × 16,9 / 18 = 330.5; 352 × 12,4 / 22 = 198.4
is "a bar's width is the score's share of its group's maximum" \
  "$(python3 "$TMPROOT/svg.py" "$P" 'Điểm theo nhóm chỉ số của Phường Thử Nghiệm' 2 | grep bar=)" "bar=198.4"
is "the totals chart compares the units, best first (82,4 of 100 = 290)" \
  "$(python3 "$TMPROOT/svg.py" "$P" 'Tổng điểm các đơn vị' 0 | grep bar=)" "bar=290"
has "the totals chart says each unit's total in its label" "$P" 'aria-label="Tổng điểm các đơn vị, tháng 5/2024: Phường Thử Nghiệm: 82,4 trên 100 điểm; Xã Bên Cạnh: 71,5 trên 100 điểm"'
has "SVG bars are dark enough on white" "$P" 'class="bar" x="4" y="22" width="330.5" height="18" fill="#0b4ea2"'

# the model other plugins read (site.results766)
mkdir -p content/plugins/peek
cat > content/plugins/peek/init.lua <<'EOF'
local M = { name = "peek" }
function M.render(site)
  local m = site.results766
  local r = m.latest.results[1]
  site:write("peek.txt", table.concat({ #m.periods, m.periods[1].period, m.latest.period, m.latest.url,
    r.unit, r.total, r.rank, r.of, r.label, #m.groups, m.groups[1].key, m.groups[1].max }, "|"))
end
return M
EOF
cp content/site.yaml "$TMPROOT/site.yaml"
printf 'plugins: [default, peek]\n' >> content/site.yaml
status "a site plugin can read the model" 0 "$CONGKHAI" build -C content -o out2 -q
is "site.results766: periods newest first, latest with its URL and results, groups" "$(cat out2/peek.txt)" \
  "2|2024-05|2024-05|/chi-so-766/2024-05/|Phường Thử Nghiệm|82.4|3|8|Tốt|5|cong_khai|18.0"
cp "$TMPROOT/site.yaml" content/site.yaml; rm -rf content/plugins out2

# deterministic
status "a second build" 0 "$CONGKHAI" build -C content -o out3 -q
ok "gives byte-identical pages" diff -r out/chi-so-766 out3/chi-so-766

# bad and hostile data: warnings, the build still succeeds
long=$(python3 -c 'print("Đ" * 10000)')
cat > content/data/chi-so-766.yaml <<EOF
groups:
  - { key: cong_khai, name: "Công khai", max: 18 }
  - { key: tien_do, name: "Tiến độ", max: 20 }
  - { key: bad, name: "Nhóm sai", max: "nhiều" }
  - { key: rest, name: "Còn lại", max: 62 }
results:
  - period: "2024-05"
    unit: "<script>alert(1)</script>"
    total: "khoảng tám mươi"
    rank: 9
    of: 8
    scores: { cong_khai: 19, tien_do: "cao", khac: 3, rest: "-1" }
  - period: "2024-05"
    total: 80
  - unit: Không có kỳ
    total: 80
  - period: "../../etc"
    unit: Kỳ sai
  - period: "2024-05"
    unit: "$long"
    total: 1e400
    rank: "ba"
    scores: "không phải bảng"
  - period: "2024-05"
    unit: Phường Tốt
    total: "90"
    rank: 1
    of: "8"
    label: "<b>Tốt</b>"
    source_url: "javascript:alert(1)"
    scores: { cong_khai: 18, tien_do: 20, rest: "52" }
  - "chỉ là chuỗi"
  - period: "2024-05"
    unit: Phường Tốt
    total: 1
EOF
commit "$repo" "2024-07-01T09:00:00+07:00" "Dữ liệu sai"
status "hostile data ends in a successful build (exit 0)" 0 "$CONGKHAI" build -C content -o out
cp "$TMPROOT/.out" "$TMPROOT/warn"
W="$TMPROOT/warn"
has "a score above its maximum is a warning naming the file and the entry" "$W" \
  "warning: data/chi-so-766.yaml: results\[1\] (<script>alert(1)</script>, 2024-05): điểm nhóm 'cong_khai' (19,0) lớn hơn điểm tối đa 18"
has "a total that is not a number is a warning" "$W" "results\[1\] .*'total' không phải số: 'khoảng tám mươi'"
has "a rank above the number of units is a warning" "$W" "results\[1\] .*thứ hạng 9 lớn hơn số đơn vị 8"
has "a score that is not a number is a warning" "$W" "điểm nhóm 'tien_do' không phải số: 'cao'"
has "a score for an unknown group is a warning" "$W" "nhóm 'khac' không có trong 'groups'"
has "a negative score is a warning" "$W" "điểm nhóm 'rest' âm: -1,0"
has "a group's maximum that is not a number is a warning" "$W" "groups\[3\]: 'max' của nhóm 'bad' không phải số dương: nhiều"
has "a missing unit is a warning" "$W" "results\[2\] (?, 2024-05): thiếu 'unit'"
has "a missing period is a warning" "$W" "results\[3\] (Không có kỳ, ?): thiếu 'period'"
has "a period that is not YYYY-MM is a warning" "$W" "results\[4\] (Kỳ sai, ../../etc): 'period' phải có dạng YYYY-MM"
has "scores that are not a map are a warning" "$W" "results\[5\] .*'scores' phải là một bảng"
has "a rank that is not a number is a warning" "$W" "results\[5\] .*'rank' không phải số nguyên dương: 'ba'"
has "an entry that is not a map is a warning" "$W" "results\[7\] (?): mục không phải một bảng"
has "a unit repeated in a period is a warning" "$W" "results\[8\] (Phường Tốt, 2024-05): đơn vị bị lặp"
has "a javascript: source address is a warning" "$W" "'source_url' phải là địa chỉ http(s)"
is "a 10,000-character unit name is cut in the warning" \
  "$(grep -c "$(python3 -c 'print("Đ" * 200)')" "$W")" "0"
P=out/chi-so-766/2024-05/index.html
ok "the period page is still written" test -f "$P"
hasnt "a unit name is never markup" "$P" "<script>alert"
has "it is escaped" "$P" "&lt;script&gt;alert(1)&lt;/script&gt;"
hasnt "nor a label" "$P" "<b>Tốt</b>"
hasnt "a javascript: source is not linked" "$P" 'href="javascript:'
has "a total that is not a number is shown as written" "$P" "tổng điểm khoảng tám mươi/100"
has "a score that is not a number is shown as written" "$P" '<tr><th scope="row">Tiến độ</th><td>cao</td><td>20</td><td>—</td></tr>'
has "a score above its maximum is shown as written" "$P" '<tr><th scope="row">Công khai</th><td>19,0</td><td>18</td>'
has "the long unit name is there in full" "$P" "$long"
is "every chart still parses and a bar never overflows its track" \
  "$(python3 "$TMPROOT/svg.py" "$P" 'Điểm theo nhóm chỉ số của &lt;script' 0 | sort | uniq -c | sed 's/^ *//' | tr '\n' '|')" \
  "1 count=3|3 svg ok=True small=0|"
is "a score above its maximum fills the bar to the track's end, no more" \
  "$(python3 "$TMPROOT/svg.py" "$P" 'Điểm theo nhóm chỉ số của <script' 0 | grep bar=)" "bar=352"
ok "no page for a bad period" test ! -e out/etc
ok "nor anywhere outside" test ! -e out/chi-so-766/etc

# missing groups: totals only
cat > content/data/chi-so-766.yaml <<'EOF'
results:
  - { period: "2024-05", unit: "Phường A", total: 81.25, rank: 2, of: 5 }
  - { period: "2024-05", unit: "Phường B", total: 79, rank: 3, of: 5 }
EOF
status "data without groups builds" 0 "$CONGKHAI" build -C content -o out
has "with a warning" "$TMPROOT/.out" "warning: data/chi-so-766.yaml: thiếu 'groups'"
has "and shows the totals, two decimals when given" "out/chi-so-766/2024-05/index.html" "Phường A, tháng 5/2024: tổng điểm 81,25/100, xếp hạng 2/5."
hasnt "but no table of groups" "out/chi-so-766/2024-05/index.html" "<caption>"

# no data: nothing written, nothing published
rm content/data/chi-so-766.yaml
commit "$repo" "2024-07-02T09:00:00+07:00" "Bỏ dữ liệu"
status "a site without 766 data builds" 0 "$CONGKHAI" build -C content -o out
ok "and writes no /chi-so-766/" test ! -e out/chi-so-766
hasnt "nor a 766 block on the home page" out/index.html 'r766-h'
hasnt "without a warning about it" "$TMPROOT/.out" "chi-so-766"

# the CSV form
cat > content/data/chi-so-766.csv <<'EOF'
period,unit,total,rank,of,label,cong_khai,tien_do,so_hoa,dich_vu_truc_tuyen,hai_long,Thanh toán trực tuyến (10)
2024-06,Phường Thử Nghiệm,"83,5",2,8,Tốt,"17,0",19,13,17,"16,5",1
EOF
status "the CSV form builds" 0 "$CONGKHAI" build -C content -o out
has "its standard groups have their maxima" out/chi-so-766/2024-06/index.html '<tr><th scope="row">Số hóa hồ sơ</th><td>13,0</td><td>22</td>'
has "a column headed 'Name (max)' is a group" out/chi-so-766/2024-06/index.html '<tr><th scope="row">Thanh toán trực tuyến</th><td>1,0</td><td>10</td>'
has "a CSV total is read" out/chi-so-766/2024-06/index.html 'tổng điểm 83,5/100, xếp hạng 2/8'
rm content/data/chi-so-766.csv

# English UI
git show HEAD~2:content/data/chi-so-766.yaml > content/data/chi-so-766.yaml
printf 'language: en\n' >> content/site.yaml
status "an English site builds" 0 "$CONGKHAI" build -C content -o out
P=out/chi-so-766/2024-05/index.html
has "the page title is English" "$P" "<h1>Results for May 2024</h1>"
has "the caption is English, with a decimal point" "$P" "Phường Thử Nghiệm, May 2024: total 82.4/100, ranked 3/8, rated Tốt."
has "the table is English" "$P" '<th scope="col">Group</th><th scope="col">Score</th><th scope="col">Maximum</th>'
has "scores use a decimal point" "$P" '<td>16.9</td><td>18</td><td>93.9%</td>'
has "the chart label is English" "$P" 'aria-label="Score per group of Phường Thử Nghiệm, May 2024'
hasnt "no Vietnamese UI strings are left" "$P" "Nhóm chỉ số\|xếp hạng\|Tổng điểm"
