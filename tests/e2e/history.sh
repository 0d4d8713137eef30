# History from git on real repositories (issue 3): exact dates, notes and
# old → new values, renames, minor commits, deletions, --rev, the cache,
# and the edge cases: no repository, empty, shallow, detached, sub-folder,
# rename + edit, delete + re-add, swapped codes, dates out of order,
# non-UTF-8 messages.
. "$(dirname "$0")/lib.sh"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
hist() { "$CONGKHAI" history -C "$1/content" --json "$2" 2>/dev/null; }

repo=$(mkrepo); cd "$repo"
sed -i 's/^fee: Miễn lệ phí/fee: 8.000 đồng/; s/^- Giấy chứng sinh (01 bản chính)/- Giấy chứng sinh (01 bản chính)\n- Sổ hộ khẩu (xuất trình)/; s/^- Tờ khai đăng ký khai sinh (01 bản chính)//' $KS
commit . "2024-06-02T10:00:00+07:00" "Sửa đổi lệ phí theo QĐ 1234/QĐ-UBND"
sed -i 's/01 ngày làm việc/1 ngày làm việc/' $KS
commit . "2024-06-03T10:00:00+07:00" "nhỏ: sửa chính tả"
sed -i 's/Nhận Giấy khai sinh./Nhận Giấy khai sinh tại nơi nộp./' $KS
commit . "2024-08-20T08:30:00+07:00" "minor: wording"
status "history --json exits 0" 0 "$CONGKHAI" history -C content --json 1.001193
J=$(hist . 1.001193)
is "entries are the significant commits, newest first" "$(echo "$J" | grep -o '"note":"[^"]*"' | tr '\n' '|')" \
  '"note":"Sửa đổi lệ phí theo QĐ 1234/QĐ-UBND"|"note":"Công bố danh mục thủ tục"|'
has_j() { echo "$J" > j.txt; has "$1" j.txt "$2"; }
has_j "the fee change is old → new" '{"field":"fee","old":"Miễn lệ phí","new":"8.000 đồng"}'
has_j "the added document is listed" '"section":"Thành phần hồ sơ","added":\["Sổ hộ khẩu (xuất trình)"\],"removed":\["Tờ khai đăng ký khai sinh (01 bản chính)"\]'
has_j "entries carry the date" '"date":"2024-06-02"'
status "the site builds" 0 "$CONGKHAI" build -C content -o out
P=out/thu-tuc/1.001193/index.html
has "the page shows published dd/mm/yyyy" $P 'Ngày đăng: <time datetime="2024-01-15">15/01/2024</time>'
has "minor commits do not move updated" $P 'Cập nhật lần cuối: <time datetime="2024-06-02">02/06/2024</time>'
has "the page lists the change note" $P "02/06/2024</time>: Sửa đổi lệ phí theo QĐ 1234/QĐ-UBND"
has "the page shows the old fee struck out" $P "<del>Miễn lệ phí</del> → <ins>8.000 đồng</ins>"
hasnt "minor commits are not listed" $P "sửa chính tả"
has "the history block has its anchor" $P 'id="lich-su"'
has "/thay-doi/ lists the change" out/thay-doi/index.html "Sửa đổi lệ phí theo QĐ 1234/QĐ-UBND"
has "/thay-doi/ groups by month" out/thay-doi/index.html "<h2>tháng 6/2024</h2>"
has "the changes feed has the entry" out/thay-doi/feed.xml "<updated>2024-06-02T10:00:00+07:00</updated>"

# channels (a list of mappings) change item by item
sed -i 's/^online: toàn trình/online: toàn trình\nchannels:\n  - method: trực tiếp\n    time: 01 ngày\n  - method: trực tuyến\n    time: 01 ngày/' $KS
commit . "2024-08-25T08:00:00+07:00" "Bổ sung cách thức thực hiện"
sed -i '0,/    time: 01 ngày/s//    time: 02 ngày/' $KS
commit . "2024-08-26T08:00:00+07:00" "Sửa thời hạn nộp trực tiếp"
J=$(hist . 1.001193)
has_j "a changed channel shows old → new on its own" '{"field":"channels","old":"trực tiếp · 01 ngày","new":"trực tiếp · 02 ngày"}'
is "an unchanged channel is not listed" "$(echo "$J" | grep -c 'trực tuyến · 01 ngày","new"')" "0"

# rename + edit in one commit keeps the history; deletion leaves a page
git mv $KS content/procedures/ho-tich/khai-sinh.md
sed -i 's/^processing_time: .*/processing_time: 02 ngày làm việc/' content/procedures/ho-tich/khai-sinh.md
git rm -q content/procedures/chung-thuc/chung-thuc-ban-sao.md
sed -i 's/^online: một phần/online: một phần\nreplaces: "2.000815"/' content/procedures/ho-tich/dang-ky-ket-hon.md
commit . "2024-09-01T09:00:00+07:00" "Bãi bỏ chứng thực bản sao theo QĐ 2024/QĐ-UBND"
J=$(hist . 1.001193)
has_j "a rename with an edit keeps the older entries" '"note":"Công bố danh mục thủ tục"'
has_j "and records the edit" '{"field":"processing_time","old":"1 ngày làm việc","new":"02 ngày làm việc"}'
status "a site with a deleted procedure builds" 0 "$CONGKHAI" build -C content -o out
D=out/thu-tuc/2.000815/index.html
has "the deleted procedure keeps its page" $D "Thủ tục 2.000815 không còn được công khai"
has "it says since when" $D "từ ngày 01/09/2024"
has "it says why" $D "Bãi bỏ chứng thực bản sao theo QĐ 2024/QĐ-UBND"
has "it links the replacing procedure" $D 'href="/thu-tuc/1.000894/"'
has "the replacing procedure links back" out/thu-tuc/1.000894/index.html 'href="/thu-tuc/2.000815/"'
J=$(hist . 2.000815)
has_j "congkhai history finds a deleted procedure" '"note":"Bãi bỏ chứng thực bản sao theo QĐ 2024/QĐ-UBND"'

# a renamed article keeps its old URL as a redirect
git mv content/news/tin-thu-nghiem.md content/news/tin-moi-doi-ten.md
commit . "2024-09-02T09:00:00+07:00" "Đổi tên tin"
status "a site with a renamed article builds" 0 "$CONGKHAI" build -C content -o out
ok "the article is at its new URL" test -f out/tin-tuc/tin-moi-doi-ten/index.html
has "its old URL redirects to the new one" out/tin-tuc/tin-thu-nghiem/index.html 'url=/tin-tuc/tin-moi-doi-ten/'

# --rev builds exactly an older commit, from blobs
first=$(git rev-list --max-parents=0 HEAD)
echo "uncommitted" >> content/pages/gioi-thieu.md
status "build --rev of the first commit" 0 "$CONGKHAI" build -C content -o rev --rev "$first"
has "--rev shows the fee of that commit" rev/thu-tuc/1.001193/index.html "<dd>Miễn lệ phí</dd>"
ok "--rev still has the procedure deleted later" test -f rev/thu-tuc/2.000815/index.html
hasnt "--rev ignores uncommitted edits" rev/gioi-thieu/index.html "uncommitted"
"$CONGKHAI" build -C content -o out > err.txt 2>&1
has "a working-tree build warns about uncommitted changes" err.txt "warning: .*pages/gioi-thieu.md"
git checkout -q content/pages/gioi-thieu.md
status "--rev of an unknown revision is a usage error" 2 "$CONGKHAI" build -C content -o x --rev nope

# the cache: warm gives the same output as cold; a corrupt cache heals
rm -f .git/congkhai-cache.sqlite*
"$CONGKHAI" build -q -C content -o cold 2>/dev/null
ok "the cache file is created inside .git" test -f .git/congkhai-cache.sqlite
"$CONGKHAI" build -q -C content -o warm 2>/dev/null
ok "a warm build is byte-identical to a cold one" diff -r cold warm
echo "garbage" > .git/congkhai-cache.sqlite
status "a corrupt cache does not fail the build" 0 "$CONGKHAI" build -q -C content -o healed
ok "and gives the same output" diff -r cold healed
is "git status does not show the cache" "$(git status --porcelain | grep -c cache)" "0"
# a cache that opens but holds rows that make no sense is not believed
spoil() {
  "$CONGKHAI" build -q -C content -o warm 2>/dev/null
  sqlite3 .git/congkhai-cache.sqlite "UPDATE commits SET deltas = x'05000000'; UPDATE pairs SET changes = x'ff'; UPDATE states SET state = 7"
}
spoil
status "a cache with bad rows does not fail the build" 0 "$CONGKHAI" build -q -C content -o healed2
ok "and gives the same output" diff -r cold healed2
J0=$(hist . 1.001193); spoil
is "history --json on such a cache gives the same answer" "$(hist . 1.001193)" "$J0"
# new commits on a warm cache give what a cold walk gives
git checkout -q HEAD~3
"$CONGKHAI" build -q -C content -o old 2>/dev/null
git checkout -q main
"$CONGKHAI" build -q -C content -o plus3 2>/dev/null
ok "three commits on a warm cache: the cold output" diff -r cold plus3
J1=$(hist . 1.001193); J2=$(hist . 2.000815)
rm -f .git/congkhai-cache.sqlite*
is "history --json warm equals cold (a page)" "$J1" "$(hist . 1.001193)"
is "history --json warm equals cold (a deleted procedure)" "$J2" "$(hist . 2.000815)"

# detached HEAD
git checkout -q --detach HEAD~1
status "a detached HEAD builds" 0 "$CONGKHAI" build -q -C content -o det
ok "it builds that commit's content" test -f det/thu-tuc/2.000815/index.html
git checkout -q main

# no repository: dates from front matter, a warning
nr=$TMPROOT/norepo; mkdir -p "$nr"; cp -R "$FIXTURES/mini" "$nr/content"
unset SOURCE_DATE_EPOCH
"$CONGKHAI" build -C "$nr/content" -o "$nr/out" > err.txt 2>&1; r=$?
is "no repository: the build works" "$r" "0"
has "no repository: it warns" err.txt "warning: .*git"
export SOURCE_DATE_EPOCH=1700000000

# an empty repository
er=$TMPROOT/empty; mkdir -p "$er"; cp -R "$FIXTURES/mini" "$er/content"; git -C "$er" init -q
status "an empty repository builds" 0 "$CONGKHAI" build -C "$er/content" -o "$er/out"

# a shallow clone is detected and marked
git clone -q --depth 1 "file://$repo" "$TMPROOT/shallow" 2>/dev/null
"$CONGKHAI" build -C "$TMPROOT/shallow/content" -o "$TMPROOT/sh-out" > err.txt 2>&1
has "a shallow clone is reported" err.txt "warning: .*shallow"
has "its history is marked truncated" "$TMPROOT/sh-out/thu-tuc/1.000894/index.html" "Lịch sử có thể chưa đầy đủ"

# content in a sub-folder of a larger repository
big=$TMPROOT/big; mkdir -p "$big/docs/portal" "$big/src"; cp -R "$FIXTURES/mini" "$big/docs/portal/content"
echo x > "$big/src/main.c"; git -C "$big" init -q -b main
commit "$big" "2024-02-01T08:00:00+07:00" "Khởi tạo"
echo y >> "$big/src/main.c"; commit "$big" "2024-03-01T08:00:00+07:00" "Sửa mã nguồn"
sed -i 's/^fee: Miễn lệ phí/fee: 5.000 đồng/' "$big/docs/portal/$KS"
commit "$big" "2024-04-01T08:00:00+07:00" "Cập nhật phí khai sinh"
J=$("$CONGKHAI" history -C "$big/docs/portal/content" --json 1.001193 2>/dev/null)
is "a sub-folder: only commits touching the content count" "$(echo "$J" | grep -o '"note":"[^"]*"' | tr '\n' '|')" \
  '"note":"Cập nhật phí khai sinh"|"note":"Khởi tạo"|'

# delete, then re-add: the page's history starts again at the re-add
dr=$(mkrepo); cd "$dr"
git rm -q $KS; commit . "2024-03-01T08:00:00+07:00" "Tạm gỡ thủ tục"
git checkout -q HEAD~1 -- $KS; commit . "2024-04-01T08:00:00+07:00" "Đăng lại thủ tục khai sinh"
J=$(hist . 1.001193)
is "a re-added file's history starts at the re-add" "$(echo "$J" | grep -o '"note":"[^"]*"' | tr '\n' '|')" '"note":"Đăng lại thủ tục khai sinh"|'
status "a re-added procedure is not a deleted one" 0 "$CONGKHAI" build -q -C content -o out
hasnt "its page is the live one" out/thu-tuc/1.001193/index.html "không còn được công khai"

# two files swap codes: each code's page follows its file
sw=$(mkrepo); cd "$sw"
A=content/procedures/ho-tich/dang-ky-ket-hon.md
sed -i 's/^code: "1.001193"/code: "9.999999"/' $KS; sed -i 's/^code: "1.000894"/code: "1.001193"/' $A; sed -i 's/^code: "9.999999"/code: "1.000894"/' $KS
commit . "2024-05-05T08:00:00+07:00" "Hoán đổi mã thủ tục"
J=$(hist . 1.001193)
has_j "a swapped code shows as a code change on the file" '{"field":"code","old":"1.000894","new":"1.001193"}'
"$CONGKHAI" build -q -C content -o out 2>/dev/null
has "each code's page shows the file that now carries it" out/thu-tuc/1.001193/index.html "<h1>Đăng ký kết hôn</h1>"

# a merge is followed along its first parent: the merge commit carries the change
mg=$(mkrepo); cd "$mg"
git checkout -q -b sua-phi
sed -i 's/^fee: Miễn lệ phí/fee: 2.000 đồng/' $KS; commit . "2024-03-01T08:00:00+07:00" "Nháp sửa phí trên nhánh"
git checkout -q main
sed -i 's/^title: Đăng ký kết hôn/title: Đăng ký kết hôn (sửa)/' content/procedures/ho-tich/dang-ky-ket-hon.md
commit . "2024-03-02T08:00:00+07:00" "Sửa tên thủ tục kết hôn"
GIT_AUTHOR_DATE="2024-03-05T08:00:00+07:00" GIT_COMMITTER_DATE="2024-03-05T08:00:00+07:00" git merge -q --no-ff -m "Áp dụng phí mới theo QĐ 55/QĐ-UBND" sua-phi
J=$(hist . 1.001193)
is "a merged change is noted with the merge commit, not the branch's" "$(echo "$J" | grep -o '"note":"[^"]*"' | tr '\n' '|')" \
  '"note":"Áp dụng phí mới theo QĐ 55/QĐ-UBND"|"note":"Công bố danh mục thủ tục"|'
has_j "and records what it changed" '{"field":"fee","old":"Miễn lệ phí","new":"2.000 đồng"}'

# commit dates out of order, and a non-UTF-8 message
oo=$(mkrepo); cd "$oo"
sed -i 's/^fee: Miễn lệ phí/fee: 1.000 đồng/' $KS; commit . "2023-01-01T08:00:00+07:00" "Lùi ngày"
printf 'x\n' >> content/pages/gioi-thieu.md; git add -A
printf 'Caf\351 latin-1\n' > msg.txt
GIT_AUTHOR_DATE="2024-02-02T08:00:00+07:00" GIT_COMMITTER_DATE="2024-02-02T08:00:00+07:00" git -c i18n.commitEncoding=ISO-8859-1 commit -q -F msg.txt
J=$(hist . 1.001193)
is "dates out of order: entries follow history, not dates" "$(echo "$J" | grep -o '"date":"[^"]*"' | tr '\n' '|')" '"date":"2023-01-01"|"date":"2024-01-15"|'
status "a non-UTF-8 message builds" 0 "$CONGKHAI" build -q -C content -o out
has "the invalid byte is replaced, the rest kept" out/thay-doi/index.html "Caf� latin-1"

# minor markers typed without tone marks or in capitals (issue 12)
mm=$(mkrepo); cd "$mm"
for s in "nho: sửa dấu câu" "NHỎ: sửa chính tả" "Minor: fix" "  nhỏ : không phải"; do
  printf 'x\n' >> $KS; commit . "2024-03-01T08:00:00+07:00" "$s"
done
J=$(hist . 1.001193)
is "nho:, NHỎ: and Minor: are minor; 'nhỏ :' with a space is not" "$(echo "$J" | grep -o '"note":"[^"]*"' | tr '\n' '|')" \
  '"note":"  nhỏ : không phải"|"note":"Công bố danh mục thủ tục"|'

# a history that never lies (issue 12): changes run between published states
hl=$(mkrepo); cd "$hl"
# 1. a fee change whose commit broke the YAML, fixed by a minor commit
sed -i 's/^fee: Miễn lệ phí/fee: "12.000 đồng/' $KS
commit . "2024-04-01T08:00:00+07:00" "Tăng lệ phí đăng ký khai sinh"
sed -i 's/^fee: "12.000 đồng/fee: "12.000 đồng"/' $KS
commit . "2024-04-01T09:00:00+07:00" "minor: sửa lỗi YAML"
J=$(hist . 1.001193)
has_j "the broken commit's entry shows the fee change the fix-up completed" '{"field":"fee","old":"Miễn lệ phí","new":"12.000 đồng"}'
is "the fix-up itself is not listed" "$(echo "$J" | grep -o '"note":"[^"]*"' | tr '\n' '|')" \
  '"note":"Tăng lệ phí đăng ký khai sinh"|"note":"Công bố danh mục thủ tục"|'
# 2. a draft is not published: its commits are not listed, nor draft: true → false
cp $KS content/procedures/ho-tich/nhap.md
sed -i 's/^code: .*/code: "1.009999"/; s/^title: .*/title: Thủ tục nháp/; s/^fee: .*/fee: 1.000 đồng\ndraft: true/' content/procedures/ho-tich/nhap.md
commit . "2024-05-01T08:00:00+07:00" "Soạn thảo thủ tục mới"
sed -i 's/^fee: 1.000 đồng/fee: 2.000 đồng/' content/procedures/ho-tich/nhap.md
commit . "2024-05-02T08:00:00+07:00" "Sửa bản nháp"
sed -i '/^draft: true/d' content/procedures/ho-tich/nhap.md
commit . "2024-06-10T08:00:00+07:00" "Công bố thủ tục mới"
J=$(hist . 1.009999)
is "only the publishing commit is listed" "$(echo "$J" | grep -o '"note":"[^"]*"' | tr '\n' '|')" '"note":"Công bố thủ tục mới"|'
hasnt "no draft field is shown to citizens" j.txt '"field":"draft"'
status "the site builds" 0 "$CONGKHAI" build -q -C content -o out
has "the page says Ngày đăng 10/06/2024" out/thu-tuc/1.009999/index.html 'Ngày đăng: <time datetime="2024-06-10">'
hasnt "the changes page lists no draft commit" out/thay-doi/index.html "Sửa bản nháp"
# 3. a draft committed and published in the working tree only: the
#    committed version stays a draft, though the build parsed the file
#    as published (the version the build parsed is the file's only when
#    git lists no change for it)
cp $KS content/procedures/ho-tich/nhap2.md
sed -i 's/^code: .*/code: "1.009998"/; s/^title: .*/title: Thủ tục nháp hai/; s/^fee: .*/fee: 1.000 đồng\ndraft: true/' content/procedures/ho-tich/nhap2.md
commit . "2024-06-20T08:00:00+07:00" "Soạn thảo thủ tục thứ hai"
sed -i '/^draft: true/d' content/procedures/ho-tich/nhap2.md
status "a draft published in the working tree builds" 0 "$CONGKHAI" build -q -C content -o out2
is "its draft commit is no entry of its history" "$(hist . 1.009998 | grep -c '"note"')" 0
hasnt "nor a change on /thay-doi/" out2/thay-doi/index.html "Soạn thảo thủ tục thứ hai"
git checkout -q -- content/procedures/ho-tich/nhap2.md
cd "$hl"
"$CONGKHAI" history -C content 1.001193 > cli.txt 2>&1
has "the CLI shows labels and → like the page" cli.txt "Phí, lệ phí: Miễn lệ phí → 12.000 đồng"
