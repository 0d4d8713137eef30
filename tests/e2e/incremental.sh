# The no-op rebuild (issue 13): a build whose inputs are as the last
# successful build found them, and whose output is as it left it, leaves
# the output alone and says again what that build said; any change to an
# input or to the output, a failed build, a damaged record means a real
# build, byte-identical to a clean one, that carries the files it would
# write unchanged over from the old site (hard links) and never writes
# through them.
. "$(dirname "$0")/lib.sh"
FP=.git/congkhai-build.fp
settle() { sleep 2; }     # inputs changed less than 2 s before a build are not trusted
snap() { (cd "$1" && find . -printf '%p %i %T@ %C@ %s\n' | sort); }   # inode, times, size
said() { sed 's/ [0-9]* ms$//' "$TMPROOT/.out"; }                     # the last command's words

repo=$(mkrepo); cd "$repo"
mkdir -p content/plugins/loa
printf 'return { name = "loa", render = function(site) print("loa", "một") end }\n' > content/plugins/loa/init.lua
printf 'plugins: [default, loa]\n' >> content/site.yaml
commit . "2024-02-01T09:00:00+07:00" "Thêm plugin loa"
printf -- '---\ntitle: Tin nháp\ndate: 2024-03-01\n---\nChưa chốt.\n' > content/news/nhap.md   # uncommitted: a warning
settle
status "a first build" 0 "$CONGKHAI" build -C content -o out
said > first.txt
ok "it keeps its record in the git directory" test -s $FP
is "the record is not in the output" "$(find out -name '*congkhai-build*' | wc -l)" "0"
snap out > before.txt
status "a rebuild with nothing changed exits 0" 0 "$CONGKHAI" build -C content -o out
said > second.txt
snap out > after.txt
ok "it leaves every output file untouched (inode, mtime, ctime)" cmp before.txt after.txt
has "it says the warning again" second.txt "nhap.md"
has "it says the plugin's print again" second.txt "\[loa\] loa	một"
ok "it says exactly what the first build said" cmp first.txt second.txt
status "-j 1 -q is no change either" 0 "$CONGKHAI" build -C content -o out -j 1 -q
said > quiet.txt
snap out > after.txt
ok "so the output is still untouched" cmp before.txt after.txt
hasnt "-q keeps the warnings quiet" quiet.txt "nhap.md"
has "but not what a plugin prints" quiet.txt "\[loa\] loa	một"
mkdir .out.tmp-999999999-abcdef
status "a rebuild beside a killed build's temporary tree" 0 "$CONGKHAI" build -C content -o out
ok "removes that tree" test ! -e .out.tmp-999999999-abcdef

# recorded NAME [build options]: a settled build, after which a build
# with no change is skipped: the next change starts from a record.
recorded() {
  what=$1; shift
  settle; "$CONGKHAI" build -C content -o out "$@" > /dev/null 2>&1
  snap out > before.txt
  "$CONGKHAI" build -C content -o out "$@" > /dev/null 2>&1
  snap out > after.txt
  ok "$what: then a build with no change is skipped" cmp before.txt after.txt
}
# rebuilt NAME [build options]: after a change, the build is a real one
# (the output's inodes change) and its result is that of a clean build;
# then it is recorded again for the next change.
rebuilt() {
  what=$1; shift
  snap out > before.txt
  status "$what: the build exits 0" 0 "$CONGKHAI" build -C content -o out "$@"
  said > built.txt
  snap out > after.txt
  ok "$what: the site is built again" sh -c '! cmp -s before.txt after.txt'
  rm -rf clean; "$CONGKHAI" build -C content -o clean "$@" > /dev/null 2>&1
  ok "$what: the same as a clean build" diff -r out clean
  recorded "$what" "$@"
}
recorded "the site as built"
touch content/news/tin-thu-nghiem.md
rebuilt "a touched content file"
sed -i 's/^title: Tin nháp/title: Tin nháp đã sửa/' content/news/nhap.md
rebuilt "an edited content file"
has "and the edit is in it" out/tin-tuc/nhap/index.html "Tin nháp đã sửa"
commit . "2024-03-02T09:00:00+07:00" "Đăng tin nháp"
rebuilt "a commit"
hasnt "and the uncommitted warning is gone" built.txt "nhap.md"
sed -i 's/"một"/"hai"/' content/plugins/loa/init.lua
rebuilt "a changed plugin"
has "and the plugin's new print is said" built.txt "\[loa\] loa	hai"
rm out/robots.txt
rebuilt "a file deleted from the output"
ok "which is back" test -s out/robots.txt
echo "<!-- sửa tay -->" >> out/index.html
rebuilt "a file edited in the output"
hasnt "which is as built" out/index.html "sửa tay"
mkdir out/them && echo x > out/them/x.txt
rebuilt "a file added to the output"
ok "which is gone" test ! -e out/them
epoch=$SOURCE_DATE_EPOCH
export SOURCE_DATE_EPOCH=1800000000
rebuilt "another SOURCE_DATE_EPOCH"
export SOURCE_DATE_EPOCH=$epoch
rebuilt "the first SOURCE_DATE_EPOCH again"
rebuilt "--base-url" --base-url https://khac.gov.vn/
has "and the address is in it" out/sitemap.xml "https://khac.gov.vn/"
rebuilt "no --base-url again"
git branch pub HEAD~1
rebuilt "--rev pub" --rev pub
git branch -f pub HEAD
rebuilt "--rev pub once pub has moved" --rev pub

# a damaged record is not trusted
dd if=/dev/zero of=$FP bs=1 count=8 seek=300 conv=notrunc 2> /dev/null
rebuilt "a record with a damaged byte"
truncate -s 200 $FP
rebuilt "a truncated record"
printf 'congkhai-build 1\n' > $FP
rebuilt "a record that is only a header"

# a failed build is never skipped, and does not spoil the record
cp -R out keep
printf -- '---\ntitle: [\n---\n' > content/news/hong.md
settle
status "invalid content fails" 1 "$CONGKHAI" build -C content -o out
has "with its error" "$TMPROOT/.out" "hong.md"
status "and fails again" 1 "$CONGKHAI" build -C content -o out
has "with its error again" "$TMPROOT/.out" "hong.md"
ok "the site is as it was" diff -r keep out
rm content/news/hong.md
settle
rebuilt "the content as it was before the failure"

# without a repository there is no record: every build is a real one
plain=$(mktemp -d "$TMPROOT/plain.XXXXXX")
mkdir "$plain/content" && cp -R "$FIXTURES/mini/." "$plain/content/"
settle
status "a site without git builds" 0 "$CONGKHAI" build -C "$plain/content" -o "$plain/out"
snap "$plain/out" > before.txt
status "and builds again" 0 "$CONGKHAI" build -C "$plain/content" -o "$plain/out"
snap "$plain/out" > after.txt
ok "really again" sh -c '! cmp -s before.txt after.txt'

# a real build carries the files it would write unchanged over from the
# site it replaces (hard links), and writes the others anew
ino() { stat -c %i "$1"; }
page=$(ino "$plain/out/404.html"); article=$(ino "$plain/out/tin-tuc/tin-thu-nghiem/index.html")
sed -i 's/^title: .*/title: Tin đã sửa/' "$plain/content/news/tin-thu-nghiem.md"
status "a build after an edit" 0 "$CONGKHAI" build -C "$plain/content" -o "$plain/out"
is "an unchanged page is carried over: the same file" "$(ino "$plain/out/404.html")" "$page"
ok "the edited article is a new file" test "$(ino "$plain/out/tin-tuc/tin-thu-nghiem/index.html")" != "$article"
has "with the edit" "$plain/out/tin-tuc/tin-thu-nghiem/index.html" "Tin đã sửa"
is "no file of the site has another name (the old tree is gone)" "$(find "$plain/out" -type f -links +1 | wc -l)" "0"
rm -rf "$plain/clean"; "$CONGKHAI" build -C "$plain/content" -o "$plain/clean" > /dev/null 2>&1
ok "and the site is the one a clean build makes" diff -r "$plain/out" "$plain/clean"

# what is carried over is a file of the old site itself: not a file a
# symbolic link put there points to, even one with the very bytes
cp "$plain/out/404.html" "$plain/secret.html"
rm "$plain/out/404.html" && ln -s "$plain/secret.html" "$plain/out/404.html"
mkdir -p "$plain/outside/tin-thu-nghiem"
cp "$plain/out/tin-tuc/tin-thu-nghiem/index.html" "$plain/outside/tin-thu-nghiem/"
rm -rf "$plain/out/tin-tuc" && ln -s "$plain/outside" "$plain/out/tin-tuc"
status "a build over an old site with links in it" 0 "$CONGKHAI" build -C "$plain/content" -o "$plain/out"
ok "a file in place of a link" sh -c "test -f '$plain/out/404.html' && ! test -L '$plain/out/404.html'"
ok "not the file the link led to" test "$(ino "$plain/out/404.html")" != "$(ino "$plain/secret.html")"
is "which has no other name" "$(stat -c %h "$plain/secret.html")" "1"
ok "nor one in a folder a link led to" \
  test "$(ino "$plain/out/tin-tuc/tin-thu-nghiem/index.html")" != "$(ino "$plain/outside/tin-thu-nghiem/index.html")"
is "which has no other name either" "$(stat -c %h "$plain/outside/tin-thu-nghiem/index.html")" "1"
ok "and the site is still the one a clean build makes" diff -r "$plain/out" "$plain/clean"

# a file carried over and then written again is a new file: a failed
# build leaves the old site's bytes as they were
mkdir -p "$plain/content/plugins/twice"
cat > "$plain/content/plugins/twice/init.lua" <<'LUA'
return { name = "twice", render = function(site)
  site:write("x.txt", "một\n")
  if site.data and site.data.hai then
    site:write("x.txt", "hai\n")
    site:error("dừng ở đây")
  end
end }
LUA
printf 'plugins: [default, twice]\n' >> "$plain/content/site.yaml"
status "a plugin writes x.txt" 0 "$CONGKHAI" build -C "$plain/content" -o "$plain/out"
x=$(ino "$plain/out/x.txt")
mkdir -p "$plain/content/data" && printf 'x: 1\n' > "$plain/content/data/hai.yaml"
status "the same bytes, then others, then an error: the build fails" 1 "$CONGKHAI" build -C "$plain/content" -o "$plain/out"
is "the old site's x.txt keeps its bytes" "$(cat "$plain/out/x.txt")" "một"
is "and is the same file" "$(ino "$plain/out/x.txt")" "$x"
