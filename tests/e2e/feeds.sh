# Atom feeds of changes (SPEC §4): the site's /thay-doi/feed.xml, one per
# field (/linh-vuc/<slug>/feed.xml) and one per procedure
# (/thu-tuc/<code>/feed.xml): valid Atom, old → new in the summary, only the
# field's or the procedure's own changes, "Đăng lần đầu" for a first
# publication instead of its commit subject, hostile text escaped, no git.
. "$(dirname "$0")/lib.sh"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
# atom FILE: "ok" when FILE is an Atom feed with the required elements, else why not
cat > "$TMPROOT/atom.py" <<'PY'
import sys, xml.etree.ElementTree as E
A = "{http://www.w3.org/2005/Atom}"
try:
    r = E.parse(sys.argv[1]).getroot()
except Exception as e:
    print("invalid XML: %s" % e); sys.exit()
bad = []
if r.tag != A + "feed": bad.append("root is " + r.tag)
for t in ("id", "title", "updated"):
    if not (r.findtext(A + t) or "").strip(): bad.append("feed has no " + t)
if not [l for l in r.findall(A + "link") if l.get("rel") == "self"]: bad.append("no self link")
if not [l for l in r.findall(A + "link") if l.get("rel") in (None, "alternate")]: bad.append("no alternate link")
for e in r.findall(A + "entry"):
    for t in ("id", "title", "updated", "summary"):
        if not (e.findtext(A + t) or "").strip(): bad.append("entry has no " + t)
    if e.find(A + "link") is None or not e.find(A + "link").get("href"): bad.append("entry has no link")
print("; ".join(bad) or "ok")
PY
# q FILE EXPR: evaluate EXPR over the parsed feed (f: root, es: entries, t(e, tag): text)
cat > "$TMPROOT/q.py" <<'PY'
import sys, xml.etree.ElementTree as E
A = "{http://www.w3.org/2005/Atom}"
f = E.parse(sys.argv[1]).getroot()
es = f.findall(A + "entry")
def t(e, tag): return e.findtext(A + tag) or ""
def links(e, rel=None): return [l.get("href") for l in e.findall(A + "link") if l.get("rel") == rel]
r = eval(sys.argv[2])
print("|".join(map(str, r)) if isinstance(r, list) else r)
PY
atom() { python3 "$TMPROOT/atom.py" "$1"; }
q() { python3 "$TMPROOT/q.py" "$1" "$2" 2>&1; }

repo=$(mkrepo); cd "$repo"
cat > content/procedures/ho-tich/hostile.md <<'X'
---
code: "1.009998"
title: "\"<script>alert(1)</script>, a \"quoted\" & <b>bold</b> title"
field: Hộ tịch
level: xã
agency: UBND cấp xã
processing_time: 01 ngày làm việc
fee: Miễn lệ phí
online: không
---
## Trình tự thực hiện

1. Nộp hồ sơ.

## Thành phần hồ sơ

- Tờ khai

## Căn cứ pháp lý

- Luật Hộ tịch
X
commit . "2024-02-01T09:00:00+07:00" "Thêm thủ tục thử nghiệm"
sed -i 's/^fee: Miễn lệ phí/fee: 50.000 đồng/' $KS
commit . "2024-03-01T09:00:00+07:00" "Sửa đổi phí"
sed -i 's/^fee: 50.000 đồng/fee: 30.000 đồng/' $KS
commit . "2024-04-01T09:00:00+07:00" "nhỏ: sửa chính tả"
sed -i 's/^fee: 30.000 đồng/fee: 50.000 đồng/' $KS
commit . "2024-04-02T09:00:00+07:00" "minor: sửa lại"
status "the site builds" 0 "$CONGKHAI" build -C content -o out -q

# every procedure has a valid feed; the field feeds too
n=$(find content/procedures -name '*.md' | wc -l)
is "one feed per procedure file" "$(ls out/thu-tuc/*/feed.xml | wc -l)" "$n"
for f in out/thay-doi/feed.xml out/thu-tuc/*/feed.xml out/linh-vuc/*/feed.xml; do
  is "$f is valid Atom" "$(atom "$f")" "ok"
done
is "one feed per field" "$(ls out/linh-vuc/*/feed.xml | sed 's|out/||' | tr '\n' ' ')" \
  "linh-vuc/chung-thuc/feed.xml linh-vuc/ho-tich/feed.xml "

# the procedure's feed: its own changes, old → new, newest first
F=out/thu-tuc/1.001193/feed.xml
is "the feed's id is its own address" "$(q $F 't(f, "id")')" "https://example.gov.vn/thu-tuc/1.001193/feed.xml"
is "its self link is its address" "$(q $F 'links(f, "self")')" "https://example.gov.vn/thu-tuc/1.001193/feed.xml"
is "its alternate link is the procedure's page" "$(q $F 'links(f)')" "https://example.gov.vn/thu-tuc/1.001193/"
is "its title names the procedure" "$(q $F 't(f, "title")')" "Cổng thử nghiệm · Thay đổi của thủ tục 1.001193 Đăng ký khai sinh"
is "its updated is the newest change's time" "$(q $F 't(f, "updated")')" "2024-03-01T09:00:00+07:00"
is "its entries are its significant changes, newest first" "$(q $F '[t(e, "title") for e in es]')" \
  "1.001193 Đăng ký khai sinh: Sửa đổi phí|1.001193 Đăng ký khai sinh: Đăng lần đầu"
is "the summary lists the changed fee old → new, with its label" "$(q $F 't(es[0], "summary")')" \
  "Sửa đổi phí
Phí, lệ phí: Miễn lệ phí → 50.000 đồng"
is "entries link the procedure's page" "$(q $F '[links(e)[0] for e in es]')" \
  "https://example.gov.vn/thu-tuc/1.001193/|https://example.gov.vn/thu-tuc/1.001193/"
is "entries have distinct ids" "$(q $F 'len(set(t(e, "id") for e in es))')" "2"
is "entry updated is the commit's time" "$(q $F 't(es[0], "updated")')" "2024-03-01T09:00:00+07:00"
hasnt "minor commits are not in the feed" $F "sửa chính tả\|sửa lại"
is "another procedure's feed has only its own first publication" "$(q out/thu-tuc/1.000894/feed.xml '[t(e, "summary") for e in es]')" "Đăng lần đầu"
is "a procedure added later: its first publication, not its commit subject" \
  "$(q out/thu-tuc/1.009998/feed.xml '[t(e, "summary") for e in es]')" "Đăng lần đầu"

# "Đăng lần đầu", never the first commit's subject, in every feed and on /thay-doi/
for f in out/thay-doi/feed.xml out/thay-doi/index.html out/thu-tuc/*/feed.xml out/linh-vuc/*/feed.xml; do
  hasnt "$f does not show the first commit's subject" "$f" "Công bố danh mục thủ tục\|Thêm thủ tục thử nghiệm"
done
has "/thay-doi/ says Đăng lần đầu" out/thay-doi/index.html "</time>: Đăng lần đầu</span>"
has "/thay-doi/ still lists the fee change" out/thay-doi/index.html "</time>: Sửa đổi phí</span>"

# the field feeds: only the field's procedures
H=out/linh-vuc/ho-tich/feed.xml
is "the field feed's title names the field" "$(q $H 't(f, "title")')" "Cổng thử nghiệm · Thay đổi trong lĩnh vực Hộ tịch"
is "its alternate link is the field's page" "$(q $H 'links(f)')" "https://example.gov.vn/linh-vuc/ho-tich/"
is "its self link" "$(q $H 'links(f, "self")')" "https://example.gov.vn/linh-vuc/ho-tich/feed.xml"
is "it lists only the field's procedures" "$(q $H 'sorted(set(links(e)[0] for e in es))')" \
  "https://example.gov.vn/thu-tuc/1.000894/|https://example.gov.vn/thu-tuc/1.001193/|https://example.gov.vn/thu-tuc/1.009998/"
is "with the fee change among them" "$(q $H '[t(e, "title") for e in es][0]')" "1.001193 Đăng ký khai sinh: Sửa đổi phí"
is "the other field's feed has only its procedure" "$(q out/linh-vuc/chung-thuc/feed.xml 'sorted(set(links(e)[0] for e in es))')" \
  "https://example.gov.vn/thu-tuc/2.000815/"
hasnt "and not the fee change" out/linh-vuc/chung-thuc/feed.xml "Sửa đổi phí"

# the site's feed keeps its shape and gains the changed facts
T=out/thay-doi/feed.xml
is "the site feed's id" "$(q $T 't(f, "id")')" "https://example.gov.vn/thay-doi/feed.xml"
is "the site feed's alternate is /thay-doi/" "$(q $T 'links(f)')" "https://example.gov.vn/thay-doi/"
is "its newest entry is the fee change with old → new" "$(q $T 't(es[0], "summary")')" "Sửa đổi phí
Phí, lệ phí: Miễn lệ phí → 50.000 đồng"
is "its entries' ids are those of the procedure feed" "$(q $T 't(es[0], "id")')" "$(q $F 't(es[0], "id")')"

# hostile titles are escaped, and read back exactly
X=out/thu-tuc/1.009998/feed.xml
hasnt "a hostile title is escaped in the procedure feed" $X "<script>\|<b>"
hasnt "and in the field feed" $H "<script>\|<b>"
hasnt "and in the site feed" $T "<script>\|<b>"
is "and reads back exactly" "$(q $X 't(es[0], "title")')" '1.009998 "<script>alert(1)</script>, a "quoted" & <b>bold</b> title: Đăng lần đầu'

# deterministic
status "a second build" 0 "$CONGKHAI" build -C content -o again -q
ok "feeds are byte-identical between builds" diff -r -x '*.html' -x '*.sqlite' -x '*.json' out/thu-tuc again/thu-tuc
ok "field feeds too" diff out/linh-vuc/ho-tich/feed.xml again/linh-vuc/ho-tich/feed.xml

# a deleted procedure keeps its feed, whose newest entry is the deletion
git rm -q content/procedures/chung-thuc/chung-thuc-ban-sao.md
commit . "2024-05-01T09:00:00+07:00" "Bãi bỏ chứng thực bản sao"
status "a site with a deleted procedure builds" 0 "$CONGKHAI" build -C content -o del -q
is "the deleted procedure's feed is valid" "$(atom del/thu-tuc/2.000815/feed.xml)" "ok"
is "its newest entry is the deletion" "$(q del/thu-tuc/2.000815/feed.xml 't(es[0], "summary")')" "Bãi bỏ chứng thực bản sao"

# English
sed -i 's/^title: Cổng thử nghiệm/title: Test portal\nlanguage: en/' content/site.yaml
status "an English site builds" 0 "$CONGKHAI" build -C content -o en -q
is "English: a first publication is 'First published'" "$(q en/thu-tuc/1.000894/feed.xml '[t(e, "summary") for e in es]')" "First published"
is "English field feed title" "$(q en/linh-vuc/ho-tich/feed.xml 't(f, "title")')" "Test portal · Changes in the field Hộ tịch"
has "English /thay-doi/ says First published" en/thay-doi/index.html "</time>: First published</span>"

# without git: valid feeds without entries, dated by the as-of date
nr=$TMPROOT/norepo; mkdir -p "$nr"; cp -R "$FIXTURES/mini" "$nr/content"
status "a site without git builds" 0 "$CONGKHAI" build -C "$nr/content" -o "$nr/out" -q
is "its procedure feed is valid" "$(atom "$nr/out/thu-tuc/1.001193/feed.xml")" "ok"
is "its field feed is valid" "$(atom "$nr/out/linh-vuc/ho-tich/feed.xml")" "ok"
is "without entries" "$(q "$nr/out/linh-vuc/ho-tich/feed.xml" 'len(es)')" "0"
is "updated is the as-of date" "$(q "$nr/out/thu-tuc/1.001193/feed.xml" 't(f, "updated")')" "2023-11-14T00:00:00Z"
