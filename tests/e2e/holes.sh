# The smaller holes of issue 8 (SPEC §8), each with the real binary: aliases
# that would replace a page, base_url to another host, NUL bytes, huge
# GFM tables, temporary trees of killed builds.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
status "the site builds" 0 "$CONGKHAI" build -C content -o out
cp -R out keep

# aliases never overwrite a page
alias_case() { # alias
  cp $KS "$TMPROOT/ks.bak"
  sed -i "s|^title: .*|&\naliases: [\"$1\"]|" $KS
  status "alias $1: check exits 1" 1 "$CONGKHAI" check -C content
  has "alias $1: the line is named" "$TMPROOT/.out" "dang-ky-khai-sinh.md:[0-9]*:[0-9]*: error: "
  status "alias $1: build exits 1" 1 "$CONGKHAI" build -C content -o out
  ok "alias $1: the site is kept" diff -r keep out
  cp "$TMPROOT/ks.bak" $KS
}
alias_case /index.html
alias_case /404.html
alias_case /
alias_case /thu-tuc/1.000894
alias_case /thu-tuc/1.000894/index.html
alias_case /feed.xml
alias_case /tin-tuc/trang/2/
alias_case /thu-tuc/1.000894/in/
alias_case /linh-vuc/ho-tich/
alias_case /assets/style.css
sed -i 's|^title: .*|&\naliases: ["/thu-tuc/khai-sinh-cu.html", "/khai-sinh-cu", "/thu-tuc/cu/khai-sinh/"]|' $KS
status "ordinary aliases still build" 0 "$CONGKHAI" build -C content -o out
has "an alias to a file path redirects" out/thu-tuc/khai-sinh-cu.html 'http-equiv="refresh"'
has "an alias to a folder path redirects" out/khai-sinh-cu/index.html 'http-equiv="refresh"'
has "an old nested URL under /thu-tuc/ redirects" out/thu-tuc/cu/khai-sinh/index.html 'http-equiv="refresh"'
git checkout -q $KS
status "the site builds again" 0 "$CONGKHAI" build -C content -o out
rm -rf keep && cp -R out keep

# base_url: an http(s) address with a host, or a path
base() { sed -i "s|^base_url: .*|base_url: '$1'|" content/site.yaml; }
for bad in "//evil.example/" "http:///x/" 'https://evil.example"/' "javascript:alert(1)" "/a b/" "ftp://x/"; do
  base "$bad"
  status "base_url $bad is refused by check" 1 "$CONGKHAI" check -C content
  has "with the line" "$TMPROOT/.out" "site.yaml:3:11: error: "
done
base "//evil.example/"
status "and by build" 1 "$CONGKHAI" build -C content -o out
status "--base-url is checked the same way" 1 "$CONGKHAI" build -C content -o out --base-url //evil.example/
hasnt "nothing loads from another host" out/index.html 'src="//evil'
for good in "https://x.gov.vn/" "http://localhost:8000/sub/" "/sub/" "https://x.gov.vn"; do
  base "$good"
  status "base_url $good is accepted" 0 "$CONGKHAI" check -C content
done
git checkout -q content/site.yaml

# a NUL byte in a body is an error at its line, never a silent cut
cp $KS "$TMPROOT/ks.bak"
printf 'Trước\000sau\n' >> $KS
status "a NUL byte: check exits 1" 1 "$CONGKHAI" check -C content
has "it points at the line" "$TMPROOT/.out" "dang-ky-khai-sinh.md:[0-9]*:6: error: "
cp "$TMPROOT/ks.bak" $KS
mkdir -p content/plugins/nul
printf 'return { name = "nul", render = function(site) site:write("a.txt\\0../../x", "x") end }\n' > content/plugins/nul/init.lua
printf 'plugins: [portal, nul]\n' >> content/site.yaml
status "site:write with a NUL in the name: exit 3" 3 "$CONGKHAI" build -C content -o out
has "the argument is named" "$TMPROOT/.out" "a path with a NUL byte"
ok "nothing was written under a shortened name" test ! -e out/a.txt
rm -rf content/plugins/nul; git checkout -q content/site.yaml

# a GFM table of 20,000 columns ends in well under a minute
awk 'BEGIN { for (r = 0; r < 40; r++) { s = "|"; for (c = 0; c < 20000; c++) s = s (r == 1 ? "-|" : "x|"); print s } }' >> $KS
status "a 20,000-column table builds within the time limit" 0 timeout 60 "$CONGKHAI" build -C content -o out
has "a warning says its tables are shown as text" "$TMPROOT/.out" "dang-ky-khai-sinh.md:[0-9]*:1: warning: "
git checkout -q $KS
# a wide header over many short lines, each of which would be a row padded
# to the header's width (500 KB: 8 GB of nodes before tables were capped)
{ echo; awk 'BEGIN { for (r = 0; r < 3; r++) { s = "|"; for (c = 0; c < 127; c++) s = s (r == 1 ? "-|" : "x|"); print s }; for (r = 0; r < 250000; r++) print "x" }'; } >> $KS
status "a 127-column header over 250,000 lines builds within the time limit" 0 timeout 60 "$CONGKHAI" build -C content -o out
has "with a warning at the line where the cells run over" "$TMPROOT/.out" "dang-ky-khai-sinh.md:[0-9]*:1: warning: "
git checkout -q $KS

# temporary trees of killed builds are removed by the next build
mkdir -p .out.tmp-999999999-abcdef/x .out.tmp-1-keep .out.tmp-old
echo x > .out.tmp-999999999-abcdef/x/f
sleep 600 & live=$!
mkdir -p ".out.tmp-$live-live"
status "a build after killed ones" 0 "$CONGKHAI" build -C content -o out
ok "the tree of a dead build is gone" test ! -e .out.tmp-999999999-abcdef
ok "a tree without a process id is gone" test ! -e .out.tmp-old
ok "the tree of a running build is kept" test -d ".out.tmp-$live-live"
kill $live
ls -a | grep -q '^\.out\.tmp-' && n=$(ls -a | grep -c '^\.out\.tmp-') || n=0
is "only the live one's tree was left" "$n" "2"
