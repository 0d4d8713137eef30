# The tree a build replaces is kept in the git directory (.git/congkhai-spare)
# and written over by the next build instead of a new one (core/output.c,
# core/spare.c; issue 13). Whatever an earlier build or anyone else left in
# that tree (stale files and folders, links to files outside, a FIFO, a file
# where a folder goes), the site the build swaps in is the one a clean build
# makes, nothing outside is written through it, and a failed build leaves
# the site as it stood.
. "$(dirname "$0")/lib.sh"
export CONGKHAI_PLUGIN_PATH="$ROOT/plugins"
SPARE=.git/congkhai-spare

repo=$(mkrepo); cd "$repo"
c="$repo/content"
for i in $(seq 10 49); do       # enough items for site:each to fork its workers
  sed "s/^code: .*/code: \"9.0000$i\"/; s/^title: .*/title: Thủ tục thử số $i/" \
    "$c/procedures/ho-tich/dang-ky-khai-sinh.md" > "$c/procedures/ho-tich/thu-$i.md"
done
mkdir -p "$c/plugins/noi"          # a file added to bit by bit (site:append)
printf 'return { name = "noi", render = function(site)\n  site:append("noi/a.txt", "một\\n")\n  site:each(site.procedures, function(p) site:append("noi/a.txt", p.meta.code .. "\\n") end)\nend }\n' \
  > "$c/plugins/noi/init.lua"
printf 'plugins: [default, noi]\n' >> "$c/site.yaml"
commit "$repo" "2024-02-01T09:00:00+07:00" "Công bố thêm thủ tục"

build() { "$CONGKHAI" build -j "${J:-3}" -C content -o out > out.log 2>&1; r=$?; [ $r -ne 0 ] && head -5 out.log; return $r; }
# clean: a build into another output that finds no spare and leaves the memo
clean() {
  [ -e $SPARE ] && mv $SPARE spare.keep
  cp .git/congkhai-memo memo.keep 2> /dev/null
  rm -rf clean; "$CONGKHAI" build -j 1 -C content -o clean > clean.log 2>&1
  [ -e memo.keep ] && mv memo.keep .git/congkhai-memo
  [ -e spare.keep ] && mv spare.keep $SPARE
  true
}
edit() { printf -- '\n%s\n' "$2" >> "content/procedures/ho-tich/thu-$1.md"; commit "$repo" "$3" "Bổ sung thủ tục $1"; }
# rebuilt NAME: the build exits 0, its site is a clean build's, nothing left beside it
rebuilt() {
  status "$1: the build exits 0" 0 build
  clean
  ok "$1: the site is the one a clean build makes" diff -r out clean
  is "$1: no temporary tree is left beside it" "$(ls -a | grep -c '^\.out\.tmp-')" "0"
}
folder() { ls -di "$1" | cut -d' ' -f1; }

status "a first build" 0 build
ok "keeps no spare: it replaced no site" test ! -e $SPARE
f1=$(folder out/thu-tuc/9.000030)
edit 40 "Dòng một." "2024-02-02T09:00:00+07:00"
rebuilt "a second build"
ok "keeps the site it replaced in the git directory" test -f $SPARE/.congkhai-site
ok "which has the first build's folders" test "$(folder $SPARE/thu-tuc/9.000030)" = "$f1"
ctime() { stat -c %z "$1"; }
kept=$(ctime out/thu-tuc/9.000030/index.html)
edit 41 "Dòng hai." "2024-02-03T09:00:00+07:00"
rebuilt "a third build, over the spare"
is "an unchanged page the spare holds is left as it stands (not even linked again)" \
  "$(ctime out/thu-tuc/9.000030/index.html)" "$kept"
is "its site is written into the first build's folders" "$(folder out/thu-tuc/9.000030)" "$f1"
has "with the edit" out/thu-tuc/9.000041/index.html "Dòng hai"
is "a file added to is added to once, not to the spare's bytes" "$(grep -c '^một$' out/noi/a.txt)" "1"
ok "and keeps the second build's site as the next spare" test -f $SPARE/.congkhai-site

# what anyone may have left in the spare
outside=$(mktemp -d "$TMPROOT/outside.XXXXXX")
echo "ngoài" > "$outside/victim.txt"
echo "ngoài cứng" > "$outside/hard.txt"
mkdir -p $SPARE/cu && echo "cũ" > $SPARE/cu/index.html
echo "cũ" > $SPARE/thu-tuc/9.000030/stale.html
rm -rf $SPARE/tin-tuc && ln -s "$outside" $SPARE/tin-tuc
rm -f $SPARE/index.html && ln -s "$outside/victim.txt" $SPARE/index.html
rm -f $SPARE/thu-tuc/9.000031/index.html && ln "$outside/hard.txt" $SPARE/thu-tuc/9.000031/index.html
mkfifo $SPARE/thu-tuc/fifo
rm -rf $SPARE/thu-tuc/9.000032 && echo "một tệp" > $SPARE/thu-tuc/9.000032
rm -f $SPARE/sitemap.xml && mkdir -p $SPARE/sitemap.xml/sau && echo x > $SPARE/sitemap.xml/sau/y
echo "rác" > $SPARE/tim-kiem/index.sqlite-journal
snap() { (cd "$outside" && find . -printf '%p %s\n' | sort && cat victim.txt hard.txt); }
snap > outside.before
edit 42 "Dòng ba." "2024-02-04T09:00:00+07:00"
rebuilt "a spare with stale files, links, a FIFO, a file for a folder and a folder for a file"
snap > outside.after
ok "nothing outside is written through a link in it" cmp outside.before outside.after
ok "the news folder is a folder, not the link" test ! -L out/tin-tuc -a -d out/tin-tuc
ok "a procedure's page is not the file it was linked to" \
  test "$(stat -c %i out/thu-tuc/9.000031/index.html)" != "$(stat -c %i "$outside/hard.txt")"
"$CONGKHAI" search -o out "thu so 42" > found.txt 2>&1
has "the search index is whole" found.txt "9.000042"

rm -rf $SPARE && echo "không phải thư mục" > $SPARE
edit 43 "Dòng bốn." "2024-02-05T09:00:00+07:00"
rebuilt "a spare that is a file"
ok "which is a folder again after the build" test -d $SPARE

# a failed build leaves the site as it stood
(cd out && find . -printf '%p %i %s\n' | sort) > site.before
mkdir -p content/plugins/hong
printf 'return { name = "hong", render = function(site) site:write("a.txt", "x"); error("hỏng") end }\n' \
  > content/plugins/hong/init.lua
sed -i 's/^plugins: .*/plugins: [default, noi, hong]/' content/site.yaml
commit "$repo" "2024-02-06T09:00:00+07:00" "minor: plugin hỏng"
status "a build whose plugin fails exits 3" 3 build
(cd out && find . -printf '%p %i %s\n' | sort) > site.after
ok "the site stands as it was" cmp site.before site.after
is "no temporary tree is left" "$(ls -a | grep -c '^\.out\.tmp-')" "0"
ok "the spare is kept for the next build" test -f $SPARE/.congkhai-site
git -C "$repo" revert --no-edit HEAD > /dev/null
rebuilt "the next build"

# an output on another file system than the git directory: nothing is kept
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d .git)" ]; then
  o=$(mktemp -d /dev/shm/spare-test.XXXXXX)
  rm -rf $SPARE
  status "a build into another file system" 0 "$CONGKHAI" build -C content -o "$o/site"
  edit 44 "Dòng năm." "2024-02-07T09:00:00+07:00"
  status "and a second" 0 "$CONGKHAI" build -C content -o "$o/site"
  is "leaves nothing beside the site" "$(ls -A "$o")" "site"
  ok "and keeps no spare" test ! -e $SPARE
  rm -rf "$o"
fi
echo "1..$_n"
