# Real office data (issue 10): facts not yet verified, decisions as records,
# repeal, sub-cases, sources, offices in data/co-quan.yaml, levels from
# site.yaml, and the vocabulary and URL scheme plugins ask for.
. "$(dirname "$0")/lib.sh"
W=$TMPROOT/w; mkdir -p "$W/c/procedures" "$W/c/data" "$W/c/static/qd"; cd "$W"
printf 'title: T\n' > c/site.yaml
printf 'quyết định\n' > c/static/qd/qd-1.pdf
proc() { # file, then extra front matter lines on stdin
  { printf -- '---\ncode: "%s"\ntitle: "%s"\n' "$2" "$3"; cat; printf -- '---\n\n## Trình tự thực hiện\n\n%s\n\n## Thành phần hồ sơ\n\n- Tờ khai (01 bản chính)\n\n## Căn cứ pháp lý\n\n%s\n' "${4:-Nộp hồ sơ.}" "${5:-Luật Hộ tịch.}"; } > "c/procedures/$1.md"
}
proc a 1.000001 "Đăng ký khai sinh" "Chưa xác minh." <<'Y'
field: Hộ tịch
level: chưa xác minh
agency: UBND cấp xã
processing_time: Ngay trong ngày
fee: Chưa xác minh
online: chưa xác minh
Y
"$CONGKHAI" check -C c > err.txt 2>&1; r=$?
is "unverified facts pass check" "$r" "0"
has "each is a warning at its line" err.txt "c/procedures/a.md:5:8: warning: 'level'"
has "fee too" err.txt "c/procedures/a.md:8:6: warning: 'fee'"
has "online too" err.txt "c/procedures/a.md:9:9: warning: 'online'"
has "and a required section written so" err.txt "c/procedures/a.md:.*warning: 'trinh-tu-thuc-hien'"
status "check --strict refuses them" 1 "$CONGKHAI" check --strict -C c
has "as errors" "$TMPROOT/.out" "c/procedures/a.md:8:6: error: 'fee'"
status "the site builds" 0 "$CONGKHAI" build -C c -o out -q
is "the index carries the flag" "$(sqlite3 out/index.sqlite "select unverified from procedures where code = '1.000001'")" "level; fee; online; trinh-tu-thuc-hien"
P=out/thu-tuc/1.000001/index.html
has "the page shows an unverified fee as such, not a guess" "$P" '<dt>Phí, lệ phí</dt><dd><span class="badge-unverified">Chưa xác minh</span></dd>'
has "and an unverified section" "$P" '<p><span class="badge-unverified">Chưa xác minh</span></p>'
hasnt "the level 'chưa xác minh' is no listing page" out/sitemap.xml "cap/chua-xac-minh"
W=out/thu-tuc/chua-xac-minh/index.html
has "the editors' worklist lists the procedure" "$W" '/thu-tuc/1.000001/'
has "with the facts to verify" "$W" 'Cấp thực hiện; Phí, lệ phí; Dịch vụ công trực tuyến; Trình tự thực hiện'
has "the catalog links the worklist" out/thu-tuc/index.html 'href="/thu-tuc/chua-xac-minh/"'
rm c/procedures/a.md

# decisions as records, repeal, cases, sources
proc b 1.000002 "Đăng ký kết hôn" <<'Y'
field: Hộ tịch
level: xã
agency: UBND cấp xã
processing_time: 5 ngày
fee: Miễn phí
online: một phần
decision:
  - {number: 1234/QĐ-UBND, date: 2024-07-01, kind: công bố, file: static/qd/qd-1.pdf}
  - {number: 99/QĐ-UBND, date: 2025-01-02, kind: sửa đổi, url: "https://example.gov.vn/99.pdf"}
cases:
  - {code: 1.000002.01, title: Có yếu tố nước ngoài, time: 15 ngày, fee: 1.500.000 đồng}
sources:
  fee: [{title: Nghị quyết HĐND, url: "https://example.gov.vn/nq.pdf", date: 2024-01-01}]
Y
status "a list of decisions, cases and sources per fact check clean" 0 "$CONGKHAI" check -C c
status "they build" 0 "$CONGKHAI" build -C c -o out -q
mkdir -p c/plugins/d
cat > c/plugins/d/init.lua <<'L'
return { name = "d", render = function(site)
  local d = site.procedures[1].meta.decision
  site:write("d.txt", d[1].sha256 .. " " .. d[1].url .. " " .. tostring(d[2].sha256) .. " " .. d[2].url)
end }
L
printf 'title: T\nplugins: [d]\n' > c/site.yaml
status "a plugin reads the decisions" 0 "$CONGKHAI" build -C c -o outd -q
is "the decision file's SHA-256 and URL are computed for plugins" "$(cat outd/d.txt)" "$(sha256sum c/static/qd/qd-1.pdf | cut -c1-64) /qd/qd-1.pdf nil https://example.gov.vn/99.pdf"
printf 'title: T\n' > c/site.yaml; rm -r c/plugins/d
sed -i 's/kind: sửa đổi/kind: sửa chữa/' c/procedures/b.md
status "a decision kind outside the vocabulary is an error" 1 "$CONGKHAI" check -C c
has "naming the allowed kinds" "$TMPROOT/.out" "'kind' .*'công bố', 'sửa đổi', 'thay thế', 'bãi bỏ'"
sed -i 's/kind: sửa chữa/kind: sửa đổi, sha256: abc/' c/procedures/b.md
sed -i 's|file: static/qd/qd-1.pdf|file: static/qd/qd-1.pdf, sha256: 00|' c/procedures/b.md
status "a wrong sha256 for a decision file is an error" 1 "$CONGKHAI" check -C c
has "that gives the file's hash" "$TMPROOT/.out" "không khớp với tệp"
sed -i 's|, sha256: 00||; s|, sha256: abc||' c/procedures/b.md
printf 'repealed: {date: 2025-07-01, decision: 5/QĐ-UBND}\n' > rep.txt
sed -i '/^online:/r rep.txt' c/procedures/b.md
status "repealed without status: bãi bỏ is an error" 1 "$CONGKHAI" check -C c
has "that says what is missing" "$TMPROOT/.out" "'repealed' .*'status: bãi bỏ'"
sed -i 's/^online: một phần/online: một phần\nstatus: bãi bỏ/' c/procedures/b.md
status "with it, a repeal checks clean" 0 "$CONGKHAI" check -C c

# offices
printf 'reception: [Bộ phận một cửa xã Vĩnh Bảo]\n' > rec.txt
sed -i '/^online:/r rec.txt' c/procedures/b.md
status "reception without data/co-quan.yaml is an error" 1 "$CONGKHAI" check -C c
has "that says so" "$TMPROOT/.out" "c/procedures/b.md:.*'reception' .*co-quan.yaml"
cat > c/data/co-quan.yaml <<'Y'
- name: Bộ phận một cửa xã Vĩnh Bảo
  former_names: [Bộ phận một cửa huyện Vĩnh Bảo]
  address: Thị trấn Vĩnh Bảo, Hải Phòng
  hours: Thứ Hai – Thứ Sáu, 7:30–17:00
- name: UBND cấp xã
Y
status "a described office checks clean" 0 "$CONGKHAI" check -C c
sed -i 's/Bộ phận một cửa xã Vĩnh Bảo\]/Bộ phận một cửa xã Vĩnh Bả]/' c/procedures/b.md
status "a misspelt office is an error" 1 "$CONGKHAI" check -C c
has "with a did-you-mean" "$TMPROOT/.out" "có phải là 'Bộ phận một cửa xã Vĩnh Bảo'"
sed -i 's/Bộ phận một cửa xã Vĩnh Bả\]/Bộ phận một cửa huyện Vĩnh Bảo]/' c/procedures/b.md
status "a former name is still recognised" 0 "$CONGKHAI" check -C c
sed -i 's|title: Nghị quyết HĐND, url: "https://example.gov.vn/nq.pdf"|title: Nghị quyết HĐND, url: "javascript:alert(1)"|' c/procedures/b.md
status "the records build" 0 "$CONGKHAI" build -C c -o out3 -q
P=out3/thu-tuc/1.000002/index.html
is "decisions are listed newest first" "$(grep -o '99/QĐ-UBND\|1234/QĐ-UBND' "$P" | tr '\n' ' ')" "99/QĐ-UBND 1234/QĐ-UBND "
has "with the file's hash" "$P" "$(sha256sum c/static/qd/qd-1.pdf | cut -c1-64)"
has "the repeal is shown with its date and decision" "$P" "Bãi bỏ từ ngày 01/07/2025 theo Quyết định số 5/QĐ-UBND."
has "sub-cases are a table" "$P" '<th scope="row">Có yếu tố nước ngoài <small>(1.000002.01)</small></th><td>15 ngày</td><td>1.500.000 đồng</td>'
has "the reception office shows its address first, found by a former name" "$P" "<strong>Bộ phận một cửa xã Vĩnh Bảo</strong><br>Địa chỉ: Thị trấn Vĩnh Bảo, Hải Phòng</p>"
has "and its hours further down" "$P" "<dt>Bộ phận một cửa xã Vĩnh Bảo</dt><dd><p class=\"office\">Giờ làm việc: Thứ Hai – Thứ Sáu, 7:30–17:00"
has "sources name the fact they back" "$P" '<li>Phí, lệ phí: Nghị quyết HĐND (01/01/2024)'
hasnt "a javascript: source address is not linked" "$P" "javascript:"
has "a dossier item's counts are read" "$P" '<ul class="checklist"><li>Tờ khai <span class="counts">Bản chính: 1</span></li></ul>'
cat > c/procedures/d.md <<'M'
---
code: "1.000003"
title: Cấp giấy phép
field: Hộ tịch
level: xã
agency: UBND cấp xã
processing_time: 5 ngày
fee: Miễn phí
online: không
---
## Trình tự thực hiện

Nộp.

## Thành phần hồ sơ

### Phải nộp

- Tờ khai theo mẫu (01 bản chính, 02 bản sao)
- Giấy tờ khác (bản sao: 03)

### Phải xuất trình

- Căn cước công dân

## Căn cứ pháp lý

Luật.
M
status "a dossier in subsections builds" 0 "$CONGKHAI" build -C c -o out4 -q
D=out4/thu-tuc/1.000003/index.html
has "items to file are a checklist with their counts" "$D" '<h3>Phải nộp</h3><ul class="checklist"><li>Tờ khai theo mẫu <span class="counts">Bản chính: 1 · Bản sao: 2</span></li><li>Giấy tờ khác <span class="counts">Bản sao: 3</span></li></ul>'
has "items to show are kept apart" "$D" '<h3>Phải xuất trình</h3><ul class="checklist"><li>Căn cước công dân</li></ul>'
rm c/procedures/d.md
cp c/data/co-quan.yaml list.yaml
cat > c/data/co-quan.yaml <<'Y'
Bộ phận một cửa xã Vĩnh Bảo:
  former_names: [Bộ phận một cửa huyện Vĩnh Bảo]
  address: Thị trấn Vĩnh Bảo, Hải Phòng
UBND cấp xã: {}
Y
status "offices as a map from name to office check clean too" 0 "$CONGKHAI" check -C c
status "and build" 0 "$CONGKHAI" build -C c -o out5 -q
has "the office is found by its key, through a former name" out5/thu-tuc/1.000002/index.html "Thị trấn Vĩnh Bảo, Hải Phòng"
cp list.yaml c/data/co-quan.yaml
A=out3/co-quan/ubnd-cap-xa/index.html
is "an agency described in data/co-quan.yaml has GovernmentOffice JSON-LD" "$(sed -n 's|.*<script type="application/ld+json">\(.*\)</script>.*|\1|p' "$A" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log(j["@type"]+" "+j.name)})')" "GovernmentOffice UBND cấp xã"

# levels from site.yaml
sed -i 's/^level: xã/level: huyện/' c/procedures/b.md
status "huyện is accepted by default (content from before 2025)" 0 "$CONGKHAI" check -C c
printf 'title: T\nlevels: [tỉnh, xã]\n' > c/site.yaml
status "not when site.yaml's levels leave it out" 1 "$CONGKHAI" check -C c
has "the allowed levels come from site.yaml" "$TMPROOT/.out" "'level' .*'tỉnh', 'xã', không phải 'huyện'"
printf 'title: T\nlevels: 3\n' > c/site.yaml
status "levels that are not a list are an error" 1 "$CONGKHAI" check -C c
printf 'title: T\n' > c/site.yaml

# the vocabulary and the URL scheme, as plugins see them
mkdir -p c/plugins/v
cat > c/plugins/v/init.lua <<'L'
return { name = "v", render = function(site)
  local u = congkhai.url_for
  site:write("v.txt", table.concat({ u("procedure", "1.000002"), u("field", "Hộ tịch"), u("level", "xã"),
    u("agency", "UBND cấp xã"), u("unverified"), u("article", "x"),
    table.concat(congkhai.vocab.levels, ","), table.concat(congkhai.vocab.online, ","),
    congkhai.vocab.unverified, tostring(pcall(u, "nowhere")) }, "\n"))
end }
L
printf 'title: T\nplugins: [v]\n' > c/site.yaml
status "a plugin builds with url_for and vocab" 0 "$CONGKHAI" build -C c -o out2 -q
is "url_for follows the URL scheme" "$(head -6 out2/v.txt | tr '\n' ' ')" "/thu-tuc/1.000002/ /linh-vuc/ho-tich/ /cap/xa/ /co-quan/ubnd-cap-xa/ /thu-tuc/chua-xac-minh/ /tin-tuc/x/ "
is "vocab lists levels and online values" "$(sed -n 7,9p out2/v.txt | tr '\n' ' ')" "tỉnh,xã,huyện toàn trình,một phần,không chưa xác minh "
is "an unknown kind is an error" "$(sed -n 10p out2/v.txt)" "false"
