# congkhai new: scaffolds files named after the title, never overwrites,
# and the scaffold of a procedure points the editor at what to fill in.
. "$(dirname "$0")/lib.sh"
W=$TMPROOT/w; mkdir -p "$W/c"; cd "$W"
printf 'title: T\n' > c/site.yaml

status "new article exits 0" 0 "$CONGKHAI" new article "Thông báo lịch tiếp dân" -C c
is "it prints the new file's path" "$(out)" "c/news/thong-bao-lich-tiep-dan.md"
has "the title is in the front matter" c/news/thong-bao-lich-tiep-dan.md 'title: "Thông báo lịch tiếp dân"'
has "the kind is explained" c/news/thong-bao-lich-tiep-dan.md "kind: tin-tuc .*van-ban"
status "the article checks clean as scaffolded" 0 "$CONGKHAI" check -C c

status "new page exits 0" 0 "$CONGKHAI" new page Liên hệ -C c
has "the page is under pages/" c/pages/lien-he.md 'title: "Liên hệ"'
echo "giữ nguyên" >> c/pages/lien-he.md
status "an existing file is not overwritten" 1 "$CONGKHAI" new page "Liên hệ" -C c
has "and keeps its content" c/pages/lien-he.md "giữ nguyên"

status "new procedure exits 0" 0 "$CONGKHAI" new procedure 'Đăng ký "khai sinh"' -C c
f=c/procedures/dang-ky-khai-sinh.md
has "quotes in the title are escaped" "$f" 'title: "Đăng ký \\"khai sinh\\""'
has "every required section is there" "$f" "## Căn cứ pháp lý"
"$CONGKHAI" check -C c > err.txt 2>&1; r=$?
is "check points at the empty required keys" "$r" "1"
has "the empty code is reported at its line" err.txt "$f:2:7: error:.*'code'"

status "an unknown kind is a usage error" 2 "$CONGKHAI" new poster "X" -C c
status "a missing title is a usage error" 2 "$CONGKHAI" new page -C c
printf 'title: T\nlanguage: en\n' > c/site.yaml
"$CONGKHAI" new page "About" -C c >/dev/null 2>&1
has "the scaffold follows the site's language" c/pages/about.md "position in the main navigation"
