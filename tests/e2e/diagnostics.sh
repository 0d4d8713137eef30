# Diagnostics that teach (issue 12): hints for the commonest YAML mistakes,
# headings spelt either way or misspelt, duplicates named in both files,
# Markdown in a folder that is not built.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
save() { cp $KS "$TMPROOT/ks"; }
restore() { cp "$TMPROOT/ks" $KS; }
save

sed -i 's/^## Căn cứ pháp lý/## Căn cứ pháp lí/' $KS
status "'Căn cứ pháp lí' (i for y) is the same section" 0 "$CONGKHAI" check -C content
restore

sed -i 's/^## Thành phần hồ sơ/## Thành phần giấy tờ/' $KS
status "a misspelt required heading: exit 1" 1 "$CONGKHAI" check -C content
line=$(grep -n '^## Thành phần giấy tờ' $KS | cut -d: -f1)
has "it points at the heading with did-you-mean" "$TMPROOT/.out" "dang-ky-khai-sinh.md:$line:1: error: '## Thành phần giấy tờ' không phải mục đã biết; có phải ý bạn là '## Thành phần hồ sơ'?"
hasnt "and does not also say the section is missing" "$TMPROOT/.out" "thiếu mục bắt buộc"
restore

printf -- '---\ncode: "1.001193"\ntitle: Đăng ký khai sinh\nfield: Hộ tịch\nlevel: xã\n\tagency: UBND\n---\n' > $KS
status "a tab in front matter: exit 1" 1 "$CONGKHAI" check -C content
has "with a hint about tabs" "$TMPROOT/.out" "YAML không cho phép ký tự tab: hãy thụt lề bằng dấu cách"
hasnt "and no knock-on error for links to that procedure" "$TMPROOT/.out" "liên kết nội bộ không tồn tại"
is "one error in all" "$(grep -c 'error:' "$TMPROOT/.out")" "1"
restore
sed -i 's/^title: .*/title: Đăng ký khai sinh: trẻ em/' $KS
status "a colon in a value: exit 1" 1 "$CONGKHAI" check -C content
has "with a hint about quotes" "$TMPROOT/.out" "phải đặt trong dấu ngoặc kép"
restore

cp $KS content/procedures/ho-tich/ban-sao.md
status "a duplicate code: exit 1" 1 "$CONGKHAI" check -C content
has "the new file is named" "$TMPROOT/.out" "ban-sao.md:[0-9]*:[0-9]*: error: .*dang-ky-khai-sinh.md"
has "and so is the old one" "$TMPROOT/.out" "dang-ky-khai-sinh.md:[0-9]*:[0-9]*: error: .*ban-sao.md"
rm content/procedures/ho-tich/ban-sao.md

mkdir -p content/thu-tuc
cp $KS content/thu-tuc/khai-sinh.md
status "Markdown in a folder that is not built: check still passes" 0 "$CONGKHAI" check -C content
has "with a warning that it is not built" "$TMPROOT/.out" "content/thu-tuc/khai-sinh.md: warning: tệp Markdown ngoài procedures/, news/ và pages/"
rm -rf content/thu-tuc

# on a terminal: the source line and a caret under the column, colour unless NO_COLOR
sed -i 's/^title: .*/title: Đăng ký khai sinh: trẻ em/' $KS
script -qec "NO_COLOR=1 $CONGKHAI check -C content" /dev/null > tty.txt 2>&1
has "a terminal shows the source line" tty.txt "    3 | title: Đăng ký khai sinh: trẻ em"
has "and a caret under the column (characters, not bytes)" tty.txt "^      |                         ^"
hasnt "NO_COLOR turns colour off" tty.txt "$(printf '\033')\["
script -qec "$CONGKHAI check -C content" /dev/null > tty.txt 2>&1
has "colour otherwise" tty.txt "$(printf '\033')\[1;31merror"
"$CONGKHAI" check -C content > plain.txt 2>&1
hasnt "no excerpt when not on a terminal" plain.txt "    3 | "

# check --json for CI
"$CONGKHAI" check -C content --json > d.json 2>/dev/null; r=$?
is "check --json exits 1 on an error" "$r" "1"
ok "its output is JSON" node -e "JSON.parse(require('fs').readFileSync('d.json', 'utf8'))"
has "with file, line, column, severity and message" d.json '{"file":"content/procedures/ho-tich/dang-ky-khai-sinh.md","line":3,"column":25,"severity":"error","message":"YAML: '
restore
"$CONGKHAI" check -C content --json > d.json 2>/dev/null
is "a clean site gives an empty list" "$(cat d.json)" "[]"
