# End-to-end checks of the core's guarantees and of bad input (issue 2):
# exit codes, diagnostics with positions, atomic output, determinism,
# refusal of dangerous output directories, hostile content.
. "$(dirname "$0")/lib.sh"

# site DIR: a minimal valid content tree written from scratch.
site() {
  mkdir -p "$1/procedures/ho-tich" "$1/news" "$1/pages" "$1/static"
  cat > "$1/site.yaml" <<'Y'
title: Cổng thử nghiệm
base_url: https://example.gov.vn/
plugins: [probe]
Y
  proc "$1/procedures/ho-tich/khai-sinh.md" 1.001193 "Đăng ký khai sinh"
  printf -- '---\ntitle: Tin một\ndate: 2024-03-01\n---\nNội dung.\n' > "$1/news/tin-mot.md"
  printf -- '---\ntitle: Giới thiệu\nmenu: 1\n---\nVề chúng tôi.\n' > "$1/pages/gioi-thieu.md"
  mkdir -p "$1/plugins/probe"
  # a site-local plugin that writes one file per page: the core's output path
  cat > "$1/plugins/probe/init.lua" <<'L'
local M = { name = "probe", version = "1" }
function M.render(site)
  for _, p in ipairs(site.pages) do
    site:write(p.url:sub(2) .. "index.html", p.kind .. "|" .. p.title .. "|" .. p.html)
  end
end
return M
L
}
# proc FILE CODE TITLE [extra front matter line]
proc() {
  cat > "$1" <<P
---
code: "$2"
title: $3
field: Hộ tịch
level: xã
agency: UBND cấp xã
processing_time: 01 ngày làm việc
fee: Miễn lệ phí
online: toàn trình
${4:-}
---
Giới thiệu.

## Trình tự thực hiện

1. Nộp hồ sơ.

## Thành phần hồ sơ

- Tờ khai.

## Căn cứ pháp lý

- Luật Hộ tịch năm 2014.
P
}

W=$TMPROOT/w; mkdir -p "$W"; cd "$W"
site c
status "a valid site checks clean" 0 "$CONGKHAI" check -C c
status "a valid site builds" 0 "$CONGKHAI" build -C c -o out
has "the procedure page is at its SPEC URL" out/thu-tuc/1.001193/index.html "procedure|Đăng ký khai sinh"
has "the article is at /tin-tuc/<slug>/" out/tin-tuc/tin-mot/index.html "article|Tin một"
has "the standing page is at /<slug>/" out/gioi-thieu/index.html "page|Giới thiệu"

# determinism: two builds are byte-identical
"$CONGKHAI" build -q -C c -o out2 2>/dev/null
ok "two builds are byte-identical" diff -r out out2

# a failing build leaves the previous site byte-identical
cp -R out keep
printf -- '---\ntitle: [\n---\n' > c/news/hong.md
status "invalid content exits 1" 1 "$CONGKHAI" build -C c -o out
ok "the previous site is untouched after a content error" diff -r keep out
is "no temporary directory is left behind" "$(ls -a | grep -c '\.out\.tmp')" "0"
rm c/news/hong.md

# exit codes 2 and 3
status "an unknown option exits 2" 2 "$CONGKHAI" build --bogus
status "an unknown command exits 2" 2 "$CONGKHAI" frobnicate
status "a missing content directory exits 2" 2 "$CONGKHAI" check -C nope
cp c/plugins/probe/init.lua probe.bak
printf 'local M = {name="probe"}\nfunction M.render(site)\n  error("hỏng")\nend\nreturn M\n' > c/plugins/probe/init.lua
status "a plugin error exits 3" 3 "$CONGKHAI" build -C c -o out
ok "the previous site is untouched after a plugin error" diff -r keep out
cp probe.bak c/plugins/probe/init.lua

# dangerous output directories
mkdir -p mine && echo precious > mine/file
status "a non-empty directory congkhai did not build is refused" 2 "$CONGKHAI" build -C c -o mine
is "and left alone" "$(cat mine/file)" "precious"
status "the content directory is refused" 2 "$CONGKHAI" build -C c -o c
status "a parent of the content directory is refused" 2 "$CONGKHAI" build -C c -o .
status "/ is refused" 2 "$CONGKHAI" build -C c -o /
status "the home directory is refused" 2 env HOME="$W/c/.." "$CONGKHAI" build -C c -o "$W"

# bad input: each gives path:line:col: error: and exit 1
bad() { # name file content expected-position expected-text
  rm -rf b && cp -R c b && mkdir -p "$(dirname "b/$2")"
  printf '%b' "$3" > "b/$2"
  "$CONGKHAI" check -C b > err.txt 2>&1; r=$?
  is "$1: exit 1" "$r" "1"
  has "$1: position" err.txt "b/$2:$4: error:"
  has "$1: message" err.txt "$5"
}
export LANG=C
bad "invalid UTF-8" news/u.md '---\ntitle: T\0377\ndate: 2024-01-01\n---\n' "2:9" "UTF-8"
bad "empty file" news/e.md '' "1:1" "rỗng"
bad "no front matter" news/n.md '# Tin\n' "1:1" "'---'"
bad "front matter not a mapping" news/m.md '---\n- a\n---\n' "2:1" "danh sách"
bad "wrong type" procedures/ho-tich/l.md "$(sed 's/^level: xã/level: 5/; s/1.001193/1.000001/' c/procedures/ho-tich/khai-sinh.md)\n" "5:8" "'level'"
bad "impossible date" news/d.md '---\ntitle: T\ndate: 2024-02-30\n---\n' "3:7" "2024-02-30"
bad "unknown key with a suggestion" news/k.md '---\ntitle: T\ndate: 2024-01-01\nsumary: x\n---\n' "4:1" "summary"
bad "duplicate code" procedures/ho-tich/zz.md "$(cat c/procedures/ho-tich/khai-sinh.md)\n" "2:7" "1.001193"
bad "two files with one URL" news/z/tin-mot.md '---\ntitle: T\ndate: 2024-01-01\n---\n' "1:1" "/tin-tuc/tin-mot/"
bad "reserved slug" pages/tim-kiem.md '---\ntitle: T\n---\n' "1:1" "/tim-kiem/"
bad "bad code format" procedures/ho-tich/f.md "$(sed 's/1.001193/1001193/' c/procedures/ho-tich/khai-sinh.md)\n" "2:7" "1001193"
bad "missing required section" procedures/ho-tich/s.md "$(sed 's/1.001193/1.000002/; s/## Căn cứ pháp lý/## Khác/' c/procedures/ho-tich/khai-sinh.md)\n" "12:1" "Căn cứ pháp lý"
bad "broken internal link" news/l.md '---\ntitle: T\ndate: 2024-01-01\n---\n\n[x](/thu-tuc/9.999999/)\n' "6:1" "/thu-tuc/9.999999/"

# BOM and CRLF are accepted
cp -R c bc
printf '\357\273\277---\r\ntitle: BOM\r\ndate: 2024-01-02\r\n---\r\nA\r\n' > bc/news/bom.md
status "a BOM and CRLF line endings are accepted" 0 "$CONGKHAI" check -C bc

# a symlink out of the tree is refused; a file over 8 MiB is refused
cp -R c sl && echo "secret" > outside.md && ln -s "$W/outside.md" sl/news/link.md
"$CONGKHAI" check -C sl > err.txt 2>&1; r=$?
is "a symlink out of the content tree: exit 1" "$r" "1"
has "a symlink out of the content tree is refused" err.txt "sl/news/link.md: error:"
cp -R c big && { printf -- '---\ntitle: T\ndate: 2024-01-01\n---\n'; head -c 9000000 /dev/zero | tr '\0' 'a'; } > big/news/big.md
"$CONGKHAI" check -C big > err.txt 2>&1; r=$?
is "a file over 8 MiB: exit 1" "$r" "1"
has "a file over 8 MiB is refused" err.txt "big/news/big.md: error:.*8 MiB"

# hostile bodies: raw HTML and javascript: links are dropped
cp -R c h
cat > h/news/xss.md <<'X'
---
title: "<script>alert(1)</script>"
date: 2024-01-01
---
<script>alert(2)</script> <img src=x onerror=alert(3)>

[bấm](javascript:alert(4)) [an toàn](https://dichvucong.gov.vn/)
X
status "hostile content builds" 0 "$CONGKHAI" build -C h -o hout
hasnt "raw HTML in bodies is dropped" hout/tin-tuc/xss/index.html "<script>alert(2)"
hasnt "raw img in bodies is dropped" hout/tin-tuc/xss/index.html "onerror"
hasnt "javascript: links are dropped" hout/tin-tuc/xss/index.html "javascript:"
has "ordinary links stay" hout/tin-tuc/xss/index.html 'href="https://dichvucong.gov.vn/"'
