# Open data at /du-lieu/ (SPEC §4): thu-tuc.json, thu-tuc.csv, thay-doi.json
# and /thu-tuc/<code>/index.json parse, count every procedure, carry old →
# new changes and the "chưa xác minh" flag, round-trip hostile text exactly,
# are deterministic, and are written without git (published/updated null).
. "$(dirname "$0")/lib.sh"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
# py DIR EXPR: evaluate EXPR with the site at DIR loaded: d (thu-tuc.json),
# p (its procedures by code), rows (thu-tuc.csv by code), c (thay-doi.json
# entries), one(code) (/thu-tuc/<code>/index.json)
cat > "$TMPROOT/q.py" <<'PY'
import sys, json, csv, io, os
o = sys.argv[1]
def load(f): return json.load(open(os.path.join(o, f), encoding="utf-8"))
d = load("du-lieu/thu-tuc.json")
p = {x["code"]: x for x in d["procedures"]}
raw = open(os.path.join(o, "du-lieu/thu-tuc.csv"), "rb").read()
table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
header = table[0]
rows = {r[0]: dict(zip(header, r)) for r in table[1:]}
c = load("du-lieu/thay-doi.json")["entries"]
def one(code): return load("thu-tuc/%s/index.json" % code)
r = eval(sys.argv[2])
print("|".join(map(str, r)) if isinstance(r, list) else r)
PY
py() { python3 "$TMPROOT/q.py" "$1" "$2" 2>&1; }

repo=$(mkrepo); cd "$repo"
# a hostile procedure: quotes, commas, a newline, markup; its fee not yet verified
HOSTILE='"<script>alert(1)</script>, a "quoted", title
on two lines & more'
cat > content/procedures/ho-tich/hostile.md <<'X'
---
code: "1.009998"
title: "\"<script>alert(1)</script>, a \"quoted\", title\non two lines & more"
field: Hộ tịch
level: [xã, huyện]
agency: [UBND cấp xã, "Phòng Tư pháp, huyện"]
processing_time: 01 ngày làm việc
fee: chưa xác minh
online: không
tags: [thử, "a,b"]
decision:
  - {number: 12/QĐ-UBND, date: 2024-02-01, kind: công bố}
  - {number: 34/QĐ-UBND, date: 2024-03-05, kind: sửa đổi}
---
## Trình tự thực hiện

1. Nộp hồ sơ.

## Thành phần hồ sơ

- Tờ khai (01 bản chính)

## Căn cứ pháp lý

- Luật Hộ tịch
X
commit . "2024-02-01T09:00:00+07:00" "Thêm thủ tục thử nghiệm"
sed -i 's/^fee: Miễn lệ phí/fee: 50.000 đồng/' $KS
commit . "2024-03-01T09:00:00+07:00" "Sửa đổi phí"
printf '\nSửa chính tả.\n' >> content/pages/gioi-thieu.md
commit . "2024-04-01T09:00:00+07:00" "nhỏ: sửa chính tả"
status "the site builds" 0 "$CONGKHAI" build -C content -o out -q
n=$(find content/procedures -name '*.md' | wc -l)

# thu-tuc.json
is "thu-tuc.json has every procedure file" "$(py out 'len(d["procedures"])')" "$n"
is "sorted by code" "$(py out '[x["code"] for x in d["procedures"]]')" "1.000894|1.001193|1.009998|2.000815"
is "with its schema version, date and site" "$(py out '[d["schema"], d["generated"], d["site"]["title"], d["site"]["base_url"], d["site"]["organization"]]')" \
  "1.0|2023-11-14|Cổng thử nghiệm|https://example.gov.vn/|UBND phường Thử Nghiệm"
is "and its licence" "$(py out '[d["licence"]["name"], d["licence"]["url"]]')" "CC BY 4.0|https://creativecommons.org/licenses/by/4.0/"
is "every record has every field" "$(py out 'sorted(set(tuple(sorted(x)) for x in d["procedures"]))')" \
  "('agency', 'cases', 'channels', 'code', 'decision', 'effective', 'fee', 'field', 'level', 'online', 'portal_url', 'processing_time', 'published', 'reception', 'repealed', 'replaces', 'sections', 'state', 'status', 'tags', 'title', 'unverified', 'updated', 'url')"
is "a record's facts" "$(py out '[p["1.001193"][k] for k in ("title", "url", "field", "level", "agency", "fee", "online", "status", "state", "decision", "effective")]')" \
  "Đăng ký khai sinh|https://example.gov.vn/thu-tuc/1.001193/|Hộ tịch|['xã']|['UBND cấp xã']|50.000 đồng|toàn trình|hiệu lực|in-force|1450/QĐ-UBND ngày 14/6/2023|None"
is "published and updated from history (minor commits do not move updated)" "$(py out '[p["1.001193"]["published"], p["1.001193"]["updated"]]')" "2024-01-15|2024-03-01"
is "sections with title, id, text and items" "$(py out '[(s["id"], s["title"], s["items"]) for s in p["1.001193"]["sections"]][1]')" \
  "('thanh-phan-ho-so', 'Thành phần hồ sơ', ['Tờ khai đăng ký khai sinh (01 bản chính)', 'Giấy chứng sinh (01 bản chính)'])"
is "decision records stay records" "$(py out '[x["number"] for x in p["1.009998"]["decision"]]')" "12/QĐ-UBND|34/QĐ-UBND"
is "a verified procedure has no unverified facts" "$(py out 'repr(p["1.001193"]["unverified"])')" "[]"
is "an unverified fee is flagged in JSON" "$(py out 'repr(p["1.009998"]["unverified"])')" "['fee']"
is "and keeps its literal value" "$(py out 'p["1.009998"]["fee"]')" "chưa xác minh"
is "a hostile title round-trips exactly through JSON" "$(py out 'p["1.009998"]["title"]')" "$HOSTILE"
hasnt "JSON has no raw <script" out/du-lieu/thu-tuc.json "<script"

# thu-tuc.csv
ok "thu-tuc.csv starts with a UTF-8 BOM" sh -c 'head -c 3 out/du-lieu/thu-tuc.csv | od -An -tx1 | grep -q "ef bb bf"'
is "its header names the columns" "$(py out 'header')" \
  "code|title|url|field|level|agency|processing_time|fee|online|status|state|effective|decision|published|updated|unverified"
is "lines end in CRLF" "$(py out '[raw.count(b"\r\n"), raw.replace(b"\r\n", b"").count(b"\n"), raw.endswith(b"\r\n")]')" "$((n + 1))|1|True"
is "one row per procedure file" "$(py out 'len(rows)')" "$n"
is "a row's facts" "$(py out '[rows["1.001193"][k] for k in ("title", "url", "fee", "online", "state", "decision", "effective", "published", "updated", "unverified")]')" \
  "Đăng ký khai sinh|https://example.gov.vn/thu-tuc/1.001193/|50.000 đồng|toàn trình|in-force|1450/QĐ-UBND ngày 14/6/2023||2024-01-15|2024-03-01|"
is "lists are joined with '; '" "$(py out '[rows["1.009998"]["level"], rows["1.009998"]["agency"]]')" "xã; huyện|UBND cấp xã; Phòng Tư pháp, huyện"
is "decision records read 'number ngày dd/mm/yyyy', newest first" "$(py out 'rows["1.009998"]["decision"]')" \
  "34/QĐ-UBND ngày 05/03/2024; 12/QĐ-UBND ngày 01/02/2024"
is "an unverified fee is flagged in CSV" "$(py out '[rows["1.009998"]["fee"], rows["1.009998"]["unverified"]]')" "chưa xác minh|fee"
is "a hostile title round-trips exactly through CSV" "$(py out 'rows["1.009998"]["title"]')" "$HOSTILE"

# thay-doi.json
is "the change log lists every significant change, newest first" "$(py out '[(e["date"], e["code"]) for e in c]')" \
  "('2024-03-01', '1.001193')|('2024-02-01', '1.009998')|('2024-01-15', None)|('2024-01-15', '1.000894')|('2024-01-15', '1.001193')|('2024-01-15', '2.000815')|('2024-01-15', None)|('2024-01-15', None)"
is "the fee change is old → new" "$(py out '[(e["note"], e["first"], e["changes"]) for e in c][0]')" \
  "('Sửa đổi phí', False, [{'field': 'fee', 'new': '50.000 đồng', 'old': 'Miễn lệ phí'}])"
is "an entry names its page" "$(py out '[c[0][k] for k in ("url", "kind", "title", "deleted")]')" \
  "https://example.gov.vn/thu-tuc/1.001193/|procedure|Đăng ký khai sinh|False"
is "with its commit and time" "$(py out '[len(c[0]["commit"]) >= 7, c[0]["time"]]')" "True|2024-03-01T09:00:00+07:00"
is "first publications are 'Đăng lần đầu', flagged first" "$(py out 'sorted(set((e["note"], e["first"]) for e in c[1:]))')" "('Đăng lần đầu', True)"
hasnt "the first commit's subject is not a note" out/du-lieu/thay-doi.json "Công bố danh mục thủ tục\|Thêm thủ tục thử nghiệm"
hasnt "minor commits are not listed" out/du-lieu/thay-doi.json "sửa chính tả"
is "articles and pages are in the log too" "$(py out 'sorted(set(e["kind"] for e in c))')" "article|page|procedure"
is "a hostile title round-trips through the log" "$(py out '[e["title"] for e in c if e["code"] == "1.009998"][0]')" "$HOSTILE"

# /thu-tuc/<code>/index.json
for code in 1.000894 1.001193 1.009998 2.000815; do
  ok "/thu-tuc/$code/index.json parses" python3 -c "import json,sys; json.load(open('out/thu-tuc/$code/index.json'))"
done
is "the per-procedure file is the record plus its history" "$(py out 'all(one("1.001193")[k] == v for k, v in p["1.001193"].items())')" "True"
is "with its schema and licence" "$(py out '[one("1.001193")["schema"], one("1.001193")["licence"]["name"]]')" "1.0|CC BY 4.0"
is "its full history, newest first" "$(py out '[(e["date"], e["note"], e["first"]) for e in one("1.001193")["history"]]')" \
  "('2024-03-01', 'Sửa đổi phí', False)|('2024-01-15', 'Đăng lần đầu', True)"
is "with the change old → new" "$(py out 'repr(one("1.001193")["history"][0]["changes"])')" "[{'field': 'fee', 'new': '50.000 đồng', 'old': 'Miễn lệ phí'}]"
is "the unverified flag too" "$(py out 'repr(one("1.009998")["unverified"])')" "['fee']"

# /du-lieu/ explains it all
P=out/du-lieu/index.html
has "the page is built through the theme" $P '<html lang="vi">'
has "it links thu-tuc.json with its size" $P '<a href="/du-lieu/thu-tuc.json"><code>thu-tuc.json</code></a> ([0-9]*,[0-9] KB)'
has "it links thu-tuc.csv" $P '<a href="/du-lieu/thu-tuc.csv">'
has "it links thay-doi.json with its entries' count" $P 'Nhật ký thay đổi (8 mục)'
has "it counts the procedures" $P "($n thủ tục)"
has "it links a per-procedure file" $P 'href="/thu-tuc/1.000894/index.json"'
has "it has a schema table" $P '<tr><th scope="row"><code>unverified</code></th><td>array of string</td>'
has "it states the licence" $P 'Dữ liệu được công bố theo giấy phép Creative Commons Ghi công 4.0 (CC BY 4.0)'
has "it explains the unverified flag" $P 'id="chua-xac-minh"'
has "it shows how to fetch with curl" $P 'curl -O https://example.gov.vn/du-lieu/thu-tuc.csv'
has "and that index.sqlite exists" $P 'sqlite3 index.sqlite'
hasnt "it does not hold the hostile title" $P "<script>alert"

# deterministic
status "a second build" 0 "$CONGKHAI" build -C content -o again -q
ok "the open data is byte-identical" diff -r out/du-lieu again/du-lieu
ok "so is a per-procedure file" cmp out/thu-tuc/1.009998/index.json again/thu-tuc/1.009998/index.json

# hostile site values are escaped on the page
sed -i 's/^organization: .*/organization: "<script>x<\/script>, \\"UBND\\""/' content/site.yaml
status "a site with a hostile organization builds" 0 "$CONGKHAI" build -C content -o h -q
hasnt "the organization is escaped on /du-lieu/" h/du-lieu/index.html "<script>x"
is "and read back exactly from JSON" "$(py h 'd["site"]["organization"]')" '<script>x</script>, "UBND"'
git checkout -q content/site.yaml

# a deleted procedure: out of the catalogue, in the change log
git rm -q content/procedures/chung-thuc/chung-thuc-ban-sao.md
commit . "2024-05-01T09:00:00+07:00" "Bãi bỏ chứng thực bản sao"
status "a site with a deleted procedure builds" 0 "$CONGKHAI" build -C content -o del -q
is "the catalogue drops it" "$(py del 'sorted(p)')" "1.000894|1.001193|1.009998"
is "the log lists its deletion first" "$(py del '[c[0][k] for k in ("code", "note", "deleted", "first")]')" "2.000815|Bãi bỏ chứng thực bản sao|True|False"

# the licence option, and English
cat >> content/site.yaml <<'X'
language: en
plugins:
  - portal
  - name: opendata
    licence: {name: ODbL 1.0, url: "https://opendatacommons.org/licenses/odbl/1-0/"}
X
status "an English site with another licence builds" 0 "$CONGKHAI" build -C content -o en -q
is "the licence is the option's" "$(py en '[d["licence"]["name"], d["licence"]["url"]]')" "ODbL 1.0|https://opendatacommons.org/licenses/odbl/1-0/"
has "the page states it" en/du-lieu/index.html 'The data is published under the licence <a href="https://opendatacommons.org/licenses/odbl/1-0/" rel="license">ODbL 1.0</a>'
has "the page is in English" en/du-lieu/index.html '<h1>Open data</h1>'
has "the schema in English" en/du-lieu/index.html '<td>the facts written “chưa xác minh” (not yet verified)</td>'
hasnt "no Vietnamese UI sentence is left" en/du-lieu/index.html 'Dữ liệu được\|Các tệp\|Trường</th>'
is "English first publications" "$(py en 'sorted(set(e["note"] for e in c if e["first"]))')" "First published"

# without git: valid files, published and updated null
nr=$TMPROOT/norepo; mkdir -p "$nr"; cp -R "$FIXTURES/mini" "$nr/content"
cp "$repo/content/procedures/ho-tich/hostile.md" "$nr/content/procedures/ho-tich/"
status "a site without git builds" 0 "$CONGKHAI" build -C "$nr/content" -o "$nr/out" -q
is "every procedure is there" "$(py "$nr/out" 'len(d["procedures"])')" "4"
is "published and updated are null" "$(py "$nr/out" 'sorted(set((x["published"], x["updated"]) for x in d["procedures"]))')" "(None, None)"
is "and empty in CSV" "$(py "$nr/out" 'sorted(set((r["published"], r["updated"]) for r in rows.values()))')" "('', '')"
is "the change log is empty" "$(py "$nr/out" 'repr(c)')" "[]"
is "a per-procedure file has no history" "$(py "$nr/out" 'repr([one("1.001193")["history"], one("1.001193")["published"]])')" "[[], None]"
is "the flag is still there" "$(py "$nr/out" 'repr(p["1.009998"]["unverified"])')" "['fee']"
is "the hostile title still round-trips" "$(py "$nr/out" 'rows["1.009998"]["title"]')" "$HOSTILE"
