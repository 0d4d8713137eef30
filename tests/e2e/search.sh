# congkhai search on a built fixture site (issue 4): folding without tone
# marks or đ, prefix of the last word, exact codes first, states ranked
# after, hostile queries, the SQLite index's schema, the static shards.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo); cd "$repo"
cp -R "$FIXTURES/search-extra/." content/   # a procedure not in force, a hostile title
commit . "2024-02-01T08:00:00+07:00" "Thêm thủ tục"
status "the site builds with the search plugin" 0 "$CONGKHAI" build -C content -o out
ok "index.sqlite is written" test -s out/index.sqlite
S() { "$CONGKHAI" search -o out --json "$@" 2>/dev/null; }
first_url() { S "$@" | grep -o '"url":"[^"]*"' | head -1; }
is "dang ky khai sinh finds Đăng ký khai sinh first" "$(first_url dang ky khai sinh)" '"url":"/thu-tuc/1.001193/"'
is "duong bo finds đường bộ" "$(first_url duong bo)" '"url":"/thu-tuc/1.002804/"'
is "DUONG BO in capitals too" "$(first_url DUONG BO)" '"url":"/thu-tuc/1.002804/"'
is "the last word is a prefix: khai si" "$(first_url khai si)" '"url":"/thu-tuc/1.001193/"'
is "a code opens its procedure first" "$(first_url 1.000894)" '"url":"/thu-tuc/1.000894/"'
is "a code written with marks folds the same" "$(first_url 'Đăng ký kết hôn')" '"url":"/thu-tuc/1.000894/"'
# ranking (docs/index.md, "Order"): procedures/rank/ holds titles that compete
urls() { S "$@" | grep -o '"url":"/thu-tuc/[^"]*"' | sed 's/"url":"\/thu-tuc\///; s/\/"//' | head -${N:-3} | tr '\n' ' '; }
is "the shortest title holding the words comes first, 'Thủ tục' aside" "$(urls khai tu)" "9.000001 9.000002 9.000003 "
is "a title that is the query without 'Thủ tục' is exact" "$(S đăng ký khai tử | grep -o '"score":3[0-9]' | head -1)" '"score":31'
is "words adjacent in a title outrank a shorter title with them apart" "$(N=9 urls ket hon | grep -o '9.00000[45]' | tr '\n' ' ')" "9.000005 9.000004 "
is "a word found nowhere does not empty the results" "$(N=1 urls xin dang ky khai tu)" "9.000001 "
S zzzz khai tu > r.json
has "then the pages with the most of the words are listed" r.json '"url":"/thu-tuc/9.000001/"'
S dang ky khai sinh > r.json
has "results carry code, title, url, kind, snippet, score" r.json '{"code":"1.001193","title":"Đăng ký khai sinh","url":"/thu-tuc/1.001193/","kind":"procedure","state":"in-force","snippet":".*«khai» «sinh»'
has "scores are numbers" r.json '"score":[0-9]'
is "nothing matches: []" "$(S zzzzqqq)" "[]"
for q in '"' '*' '"khai' 'AND' 'OR NOT' 'NEAR(khai sinh)' "'; DROP TABLE pages; --" '(' 'khai*' '^' ':' 'title:x' '-'; do
  "$CONGKHAI" search -o out --json "$q" > q.json 2>q.err; r=$?
  is "hostile query [$q] exits 0" "$r" "0"
  hasnt "hostile query [$q] gives no SQL error" q.err "error"
done
S giay phep lai xe > r.json
has "a procedure not in force is marked" r.json '"state":"abolished"'
"$CONGKHAI" search -o out giay phep lai xe > r.txt
has "human output lists code and title" r.txt "1. 1.002804 Đổi giấy phép lái xe đường bộ"
status "a missing index is reported" 1 "$CONGKHAI" search -o nowhere khai
status "no query is a usage error" 2 "$CONGKHAI" search -o out
is "--limit limits" "$(S --limit 1 dang ky | grep -c '"url"')" "1"

# the SQLite index answers anyone with sqlite3
is "the index has every page" "$(sqlite3 out/index.sqlite 'select count(*) from pages')" "13"
is "procedure fields are queryable" "$(sqlite3 out/index.sqlite "select fee from procedures where code = '1.002804'")" "135.000 đồng"
is "history rows are there" "$(sqlite3 out/index.sqlite "select note from history h join pages p on p.id = h.page_id where p.code = '1.001193' order by seq limit 1")" "Công bố danh mục thủ tục"
is "the full-text table takes folded queries" "$(sqlite3 out/index.sqlite "select p.code from fts join pages p on p.id = fts.rowid where fts match 'duong bo' and p.code is not null")" "1.002804"

# the static index
ok "the shards' meta is there" test -s out/tim-kiem/i/meta.json
ok "every index file is also gzipped" test -s out/tim-kiem/i/t/0.txt.gz -a -s out/tim-kiem/i/d/0.json.gz -a -s out/tim-kiem/i/f.txt.gz
is "and inflates to the same bytes" "$(gzip -dc out/tim-kiem/i/t/0.txt.gz | cmp - out/tim-kiem/i/t/0.txt && echo same)" "same"
has "the search page carries the script (no request of its own)" out/tim-kiem/index.html '<script type="module" async>(function () {'
ok "without its comment lines" sh -c '! grep -q "^ *// " out/tim-kiem/index.html'
has "the search page has a labelled input" out/tim-kiem/index.html '<label for="q">'
has "results are announced" out/tim-kiem/index.html 'aria-live="polite"'
"$CONGKHAI" build -q -C content -o out2 2>/dev/null
ok "index files are byte-identical across builds" diff -r out out2
