# site:each's memo (core/memo.c, core/leach.c; issue 13): an item whose
# key is the one the last build kept is not done again: its files are
# carried over from the site being replaced, its messages said again, its
# result handed back. Whatever changed (a procedure's body, the title of
# one another procedure shows, the menu, site.yaml, data/, a file of the
# output, a damaged record), the site is the one a clean build makes; a
# site that overrides templates keeps no memo. A test plugin reads a file
# no key names (stamp.txt), so that a hit shows: its file keeps the old stamp.
. "$(dirname "$0")/lib.sh"
export CONGKHAI_PLUGIN_PATH="$ROOT/plugins"
MEMO=.git/congkhai-memo

repo=$(mkrepo); cd "$repo"
c="$repo/content"
for i in $(seq 10 49); do
  sed "s/^code: .*/code: \"9.0000$i\"/; s/^title: .*/title: Thủ tục thử số $i/" \
    "$c/procedures/ho-tich/dang-ky-khai-sinh.md" > "$c/procedures/ho-tich/thu-$i.md"
done
sed -i 's/^title: .*/&\nreplaces: "9.000030"/' "$c/procedures/ho-tich/thu-31.md"   # shows 30's title
sed -i 's/^title: .*/&\nreplaces: "9.000045"\neffective: "2023-11-15"/' "$c/procedures/ho-tich/thu-46.md"
mkdir -p "$c/plugins/memotest"
cat > "$c/plugins/memotest/init.lua" <<'EOF'
local M = { name = "memotest", version = "1" }
function M.render(site)
  local stamp = congkhai.read("stamp.txt"):gsub("%s+$", "")   -- named by no key, on purpose
  site:write("memo/appended.txt", "đầu\n")
  local r = site:each(site.procedures, function(p, i)
    site:append("memo/appended.txt", stamp .. "|" .. p.meta.code .. "\n")
    if p.meta.code == "9.000020" then site:warn("mục 20 cảnh báo", p) end
    print("mục " .. p.meta.code)
    local day = p.meta.code == "9.000033" and "|" .. site.asof or ""
    site:write("memo/" .. p.meta.code .. ".txt", stamp .. "|" .. p.title .. day)
    return p.title
  end, function(p) return congkhai.digest(p) end)
  site:append("memo/appended.txt", "cuối\n")
  site:write("memo/all.txt", table.concat(r, "\n") .. "\n")
  site:write("memo/digest.txt", congkhai.digest({ a = 1, b = { "x", true } }) .. "\n" ..
    congkhai.digest({ b = { "x", true }, a = 1 }) .. "\n" .. congkhai.digest({ a = 1.5 }) .. "\n")
end
return M
EOF
printf 'plugins: [default, memotest]\n' >> "$c/site.yaml"
echo "một" > "$c/stamp.txt"
commit "$repo" "2024-02-01T09:00:00+07:00" "Công bố thêm thủ tục"

build() { "$CONGKHAI" build -j "${J:-3}" -C content -o out 2> out.err; r=$?; [ $r -ne 0 ] && head -5 out.err; return $r; }
# clean: a build into another output with no memo, the memo of out kept
clean() {
  cp $MEMO memo.keep
  rm -rf clean; "$CONGKHAI" build -j 2 -C content -o clean 2> clean.err
  mv memo.keep $MEMO
}
said() { grep -v '^đã tạo\|^built' "$1"; }
# rebuilt NAME: the build exits 0 and its site and messages are a clean build's
rebuilt() {
  status "$1: the build exits 0" 0 build
  clean
  ok "$1: the site is the one a clean build makes" diff -r out clean
  said out.err > a.txt; said clean.err > b.txt
  ok "$1: and it says what a clean build says" cmp a.txt b.txt
}

status "a first build" 0 build
ok "keeps a memo in the git directory" test -s $MEMO
is "not in the output" "$(find out -name '*memo*' -o -name '*.tmp-*' | grep -v '^out/memo$' | wc -l)" "0"
is "congkhai.digest: the same table, keys in any order, the same digest" \
  "$(sed -n 1p out/memo/digest.txt)" "$(sed -n 2p out/memo/digest.txt)"
ok "and another value another" sh -c '[ "$(sed -n 1p out/memo/digest.txt)" != "$(sed -n 3p out/memo/digest.txt)" ]'

# a second build keeps the site it replaces (output.c's spare): the next is
# the first to write over one, and must find the memo all the same
sed -i 's/^title: .*/title: Thủ tục thử số 49 đã sửa/' content/procedures/ho-tich/thu-49.md
commit "$repo" "2024-02-15T09:00:00+07:00" "Sửa tên thủ tục 49"
status "a second build" 0 build

# a hit: the item is not done again
echo "hai" > content/stamp.txt
sed -i 's/^title: .*/title: Thủ tục thử số 25 đã sửa/' content/procedures/ho-tich/thu-25.md
commit "$repo" "2024-03-01T09:00:00+07:00" "Sửa tên thủ tục 25"
status "a build after one procedure is edited" 0 build
is "an unchanged item is not done again (its file keeps the old stamp)" "$(cat out/memo/9.000030.txt)" "một|Thủ tục thử số 30"
is "the edited one is" "$(cat out/memo/9.000025.txt)" "hai|Thủ tục thử số 25 đã sửa"
is "what fn returned comes back for both" "$(grep -c '^Thủ tục thử số \(25 đã sửa\|30\)$' out/memo/all.txt)" "2"
has "an item not done again says its warning again" out.err "mục 20 cảnh báo"
is "and appends what it appended again (site:append), once" "$(grep '|9.000030$' out/memo/appended.txt)" "một|9.000030"
is "the edited one appends anew" "$(grep '|9.000025$' out/memo/appended.txt)" "hai|9.000025"
is "in item order, between what came before and after the call" \
  "$(grep -o '^đầu$\||9.0000[0-9]*$\|^cuối$' out/memo/appended.txt | tr -d '|\n')" \
  "đầu$(seq -f '9.0000%g' 10 49 | tr -d '\n')cuối"
is "and what it printed, once" "$(grep -c 'mục 9.000030$' out.err)" "1"
clean
is "the count is a clean build's" "$(grep 'cảnh báo$' out.err)" "$(grep 'cảnh báo$' clean.err)"
ok "the portal's pages are a clean build's" diff -r -x memo out clean
has "with the edit" out/thu-tuc/9.000025/index.html "số 25 đã sửa"
# the search index's gzipped files come from the memo when their bytes are
# the last build's (index.c): each is still its own file, gzipped
gz_ok() { for z in $(find out/tim-kiem/i -name '*.gz'); do gunzip -c "$z" | cmp -s - "${z%.gz}" || return 1; done; }
ok "the search index's .gz files hold their files' bytes" gz_ok
has "among them the edited title's" out/tim-kiem/i/d/0.json "số 25 đã sửa"
echo "một" > content/stamp.txt; rm -f $MEMO                 # from here on, a stamp every key could name
commit "$repo" "2024-03-02T09:00:00+07:00" "minor: dấu thử"
rebuilt "no memo"

sed -i 's/^title: .*/title: Thủ tục thử số 30 tên mới/' content/procedures/ho-tich/thu-30.md
commit "$repo" "2024-04-01T09:00:00+07:00" "Sửa tên thủ tục 30"
rebuilt "the title of a procedure another one replaces"
has "whose page shows the new title" out/thu-tuc/9.000031/index.html "số 30 tên mới"
has "and the field's posting board" out/niem-yet/ho-tich/index.html "số 30 tên mới"
printf -- '---\ntitle: Liên hệ\nmenu: 2\n---\nĐịa chỉ.\n' > content/pages/lien-he.md
commit "$repo" "2024-04-02T09:00:00+07:00" "Thêm trang liên hệ"
rebuilt "a page in the menu"
has "every procedure's page has it in its menu" out/thu-tuc/9.000044/index.html "lien-he"
sed -i 's/^title: .*/title: Cổng đã đổi tên/' content/site.yaml
commit "$repo" "2024-04-03T09:00:00+07:00" "Đổi tên cổng"
rebuilt "site.yaml"
mkdir -p content/data
printf -- '- name: UBND phường Thử Nghiệm\n  address: Số 2 đường Mới\n' > content/data/co-quan.yaml
commit "$repo" "2024-04-04T09:00:00+07:00" "Thêm địa chỉ cơ quan"
rebuilt "data/"
J=1 rebuilt "-j 1"
printf -- '\nThêm một dòng.\n' >> content/procedures/ho-tich/thu-40.md
commit "$repo" "2024-04-05T09:00:00+07:00" "Bổ sung thủ tục 40"
J=1 rebuilt "-j 1 after an edit"
has "the procedure's feed has the change (changes' memo key)" out/thu-tuc/9.000040/feed.xml "Bổ sung thủ tục 40"
has "and its open data file (opendata's)" out/thu-tuc/9.000040/index.json "Bổ sung thủ tục 40"
hasnt "which another procedure's has not" out/thu-tuc/9.000041/index.json "Bổ sung thủ tục 40"
echo "<!-- sửa tay -->" >> out/thu-tuc/9.000041/index.html
echo "<!-- sửa tay -->" >> out/memo/9.000042.txt
printf -- '\nDòng nữa.\n' >> content/procedures/ho-tich/thu-40.md
commit "$repo" "2024-04-06T09:00:00+07:00" "Bổ sung thủ tục 40 lần hai"
rebuilt "files edited in the output"
hasnt "which are as built" out/thu-tuc/9.000041/index.html "sửa tay"

# a damaged record is not trusted
dd if=/dev/zero of=$MEMO bs=1 count=8 seek=300 conv=notrunc 2> /dev/null
printf -- '\nDòng ba.\n' >> content/procedures/ho-tich/thu-40.md
rebuilt "a memo with a damaged byte"
truncate -s 100 $MEMO
printf -- '\nDòng bốn.\n' >> content/procedures/ho-tich/thu-40.md
rebuilt "a truncated memo"
# the search index's term streams are kept too (index.c), under a key of
# the body's bytes: a word changed for one of the same length is seen
sed -i 's/Dòng bốn/Dòng qxzvw/' content/procedures/ho-tich/thu-40.md     # 5 bytes for 5
rebuilt "a body edited to the same length"
"$CONGKHAI" search -o out qxzvw > found.txt 2>&1
has "congkhai search finds the new word" found.txt "9.000040"

# a new day (the as-of date of SOURCE_DATE_EPOCH, 2023-11-14, then 15):
# what read site.asof is done again, the rest not; 9.000046 comes into
# force, which its page, 9.000045's key (46 replaces it) and the lists see
status "a build on 2023-11-14" 0 build
inode() { ls -i "$1" | cut -d' ' -f1; }
sheet=$(inode out/thu-tuc/9.000030/in/index.html)
page46=$(inode out/thu-tuc/9.000046/index.html)
has "9.000046 is not yet in force" out/thu-tuc/9.000046/index.html "15/11/2023"
echo "bốn" > content/stamp.txt
export SOURCE_DATE_EPOCH=$((SOURCE_DATE_EPOCH + 86400))
status "a build on the next day, nothing else changed but the stamp" 0 build
is "an item that did not read site.asof is not done again" "$(cat out/memo/9.000030.txt)" "một|Thủ tục thử số 30 tên mới"
is "the one that did is" "$(cat out/memo/9.000033.txt)" "bốn|Thủ tục thử số 33|2023-11-15"
is "the portal's print sheet of an unchanged procedure is carried over" "$(inode out/thu-tuc/9.000030/in/index.html)" "$sheet"
ok "the page of the procedure coming into force is made again" test "$(inode out/thu-tuc/9.000046/index.html)" != "$page46"
clean
ok "the portal's pages are a clean build's of that day" diff -r -x memo out clean
echo "một" > content/stamp.txt; rm -f $MEMO

# templates overridden: no memo
mkdir -p content/templates
cp "$ROOT/plugins/portal/templates/404.html" content/templates/404.html
echo "ba" > content/stamp.txt
commit "$repo" "2024-05-01T09:00:00+07:00" "minor: mẫu riêng"
status "a site with its own templates builds" 0 build
is "and does every item again" "$(cat out/memo/9.000030.txt)" "ba|Thủ tục thử số 30 tên mới"

# a key that is not a string
sed -i 's/return congkhai.digest(p) end)/return { } end)/' content/plugins/memotest/init.lua
rm -r content/templates
status "a key function returning a table is an error" 3 build
has "that names the item" out.err "key function returned a table for item 1"
echo "1..$_n"
