# Broken and hostile git repositories (SPEC §8): every build ends quickly
# with a message, without a sanitizer report; damage is reported, never
# silent, and marks history incomplete while the working tree still builds;
# old invalid content in history does not break today's build; commit text
# is capped. Every run is under timeout: a hang is a failure (exit 124).
. "$(dirname "$0")/lib.sh"
T="timeout 60"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
P=out/thu-tuc/1.001193/index.html
DAMAGED="warning: kho git bị hỏng"
INCOMPLETE="Lịch sử có thể chưa đầy đủ"
fresh() { # a repository with two commits; the first version of KS is an old blob
  r=$(mkrepo); cd "$r"
  sed -i 's/^fee: .*/fee: 10.000 đồng/' $KS
  commit . "2024-02-01T09:00:00+07:00" "Sửa lệ phí đăng ký khai sinh"
}
loose() { echo .git/objects/$(echo $1 | cut -c1-2)/$(echo $1 | cut -c3-); }
halve() { chmod u+w "$1"; truncate -s $(( $(stat -c %s "$1") / 2 )) "$1"; }

# 1. a truncated loose object (libgit2 1.5 spins forever inflating one)
fresh
obj=$(git rev-parse HEAD~1:$KS); cp $(loose $obj) "$TMPROOT/saved"; halve $(loose $obj)
status "a truncated old blob: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "the damaged object is named" "$TMPROOT/.out" "$DAMAGED: [0-9a-f]*: loose object $obj is damaged (truncated or corrupt): lịch sử không đầy đủ"
has "the pages are built with their history" $P "Sửa lệ phí đăng ký khai sinh"
has "which is marked incomplete" $P "$INCOMPLETE"
status "a second build ends and still warns (nothing partial was cached)" 0 $T "$CONGKHAI" build -C content -o out
has "the warning again" "$TMPROOT/.out" "loose object $obj is damaged"
status "check ends too" 0 $T "$CONGKHAI" check -C content
status "history of the page ends" 0 $T "$CONGKHAI" history -C content 1.001193
has "and says it is truncated" "$TMPROOT/.out" "lịch sử có thể chưa đầy đủ: kho git"
status "--rev HEAD builds: its tree is whole" 0 $T "$CONGKHAI" build -C content -o out --rev HEAD
has "and warns" "$TMPROOT/.out" "loose object $obj is damaged"
rm -f $(loose $obj); cp "$TMPROOT/saved" $(loose $obj)
status "once the object is restored, a build is quiet" 0 $T "$CONGKHAI" build -C content -o out
hasnt "no warning" "$TMPROOT/.out" "$DAMAGED"
has "and the change is shown in full (nothing partial was cached)" $P "<del>Miễn lệ phí</del> → <ins>10.000 đồng</ins>"
# a loose object whose header says fewer bytes than it holds (libgit2 1.5
# copies the excess past its buffer)
fresh
f=$(loose $obj); chmod u+w $f
perl -MCompress::Zlib -e 'print compress("blob 3\0fee: Miễn lệ phí, and more than 3 bytes")' > $f
status "an object shorter than it says: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "it is named" "$TMPROOT/.out" "loose object $obj is damaged"
# a tree in the middle of history: the walk goes on past it
fresh
echo "x" >> $KS; commit . "2024-03-01T09:00:00+07:00" "Sửa lần 3"
tree=$(git rev-parse 'HEAD~1^{tree}'); halve $(loose $tree)
status "a truncated tree in the middle: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "it is named" "$TMPROOT/.out" "loose object $tree is damaged"
has "older history is still shown" $P "Công bố danh mục thủ tục"
has "marked incomplete" $P "$INCOMPLETE"
# the built commit itself
fresh
f=$(loose $(git rev-parse HEAD)); chmod u+w $f; truncate -s 10 $f
status "a truncated HEAD commit: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "no history, and why" "$TMPROOT/.out" "$DAMAGED: loose object $(git rev-parse HEAD) is damaged (truncated or corrupt): không hiển thị lịch sử"
ok "the pages are built" test -s $P
status "--rev HEAD on it: exit 2, not a hang" 2 $T "$CONGKHAI" build -C content -o out --rev HEAD
status "--rev with the abbreviated id: exit 2, not a hang" 2 $T "$CONGKHAI" build -C content -o out --rev $(git rev-parse --short HEAD)
# a FIFO in place of a loose object would block a reader
fresh
f=$(loose $(git rev-parse HEAD~1)); rm -f $f; mkfifo $f
status "a FIFO as a loose object: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "it is named" "$TMPROOT/.out" "loose object $(git rev-parse HEAD~1) is damaged"
# an unreachable damaged object is never read: nothing to say
fresh
junk=$(echo "rác" | git hash-object -w --stdin); halve $(loose $junk)
status "an unreachable damaged object: build exits 0" 0 $T "$CONGKHAI" build -C content -o out
hasnt "and it is not read" "$TMPROOT/.out" "$DAMAGED"

# 2. a truncated pack: its objects are gone; never silently
fresh
git gc -q
halve $(ls .git/objects/pack/*.pack)
status "a truncated pack: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "the pack is named" "$TMPROOT/.out" "$DAMAGED: objects/pack/pack-[0-9a-f]*\.pack does not match its index (truncated?)"
has "with the git error" "$TMPROOT/.out" "$DAMAGED: object not found.*: không hiển thị lịch sử"
hasnt "it does not claim there are no commits" "$TMPROOT/.out" "chưa có lần commit nào"
# a newer commit outside the pack: its trees still need the pack's
fresh
git gc -q
echo "y" >> $KS; commit . "2024-04-01T09:00:00+07:00" "Sửa sau khi nén"
halve $(ls .git/objects/pack/*.pack)
status "a truncated pack under a newer commit: build exits 0" 0 $T "$CONGKHAI" build -C content -o out
has "the pack is named" "$TMPROOT/.out" "does not match its index"
has "history is reported incomplete" "$TMPROOT/.out" "$DAMAGED: $(git rev-parse HEAD): .*: lịch sử không đầy đủ"
ok "the pages are built" test -s $P
# a pack damaged inside (same size): libgit2 reports it, the walk says so
fresh
for i in 1 2 3; do echo "x$i" >> $KS; commit . "2024-03-0${i}T09:00:00+07:00" "Sửa lần $i"; done
git gc -q
p=$(ls .git/objects/pack/*.pack); chmod u+w $p
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' | dd of=$p bs=1 seek=400 conv=notrunc 2>/dev/null
status "a pack damaged inside: build ends" 0 $T "$CONGKHAI" build -C content -o out
has "the damage is reported" "$TMPROOT/.out" "$DAMAGED"

# 3. refs and parents that lead nowhere
fresh
parent=$(git rev-parse HEAD~1); cp $(loose $parent) "$TMPROOT/saved"; rm -f $(loose $parent)
status "a missing parent (not shallow): build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "history is reported incomplete" "$TMPROOT/.out" "$DAMAGED: $(git rev-parse HEAD): .*: lịch sử không đầy đủ"
has "and marked so on the page" $P "$INCOMPLETE"
status "a second build says so too" 0 $T "$CONGKHAI" build -C content -o out
has "the warning again" "$TMPROOT/.out" "lịch sử không đầy đủ"
cp "$TMPROOT/saved" $(loose $parent)
status "once the parent is restored, a build is quiet" 0 $T "$CONGKHAI" build -C content -o out
hasnt "no warning" "$TMPROOT/.out" "$DAMAGED"
has "the first commit is back (the boundary was not cached)" $P "<time datetime=\"2024-01-15\">15/01/2024</time>: Đăng lần đầu"
hasnt "and the history is whole" $P "$INCOMPLETE"
fresh
echo "ref: refs/heads/khong-co" > .git/HEAD
status "HEAD at a missing branch: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "as a repository without commits" "$TMPROOT/.out" "chưa có lần commit nào"
fresh
echo 1234567890123456789012345678901234567890 > .git/refs/heads/main
status "a branch at a missing commit: exit 0, no leak" 0 $T "$CONGKHAI" build -C content -o out
has "it is reported" "$TMPROOT/.out" "$DAMAGED: .*1234567890123456789012345678901234567890.*: không hiển thị lịch sử"
status "--rev main~1 on it: exit 2, no leak" 2 $T "$CONGKHAI" build -C content -o out --rev main~1
status "history on it: exit 0, no leak" 0 $T "$CONGKHAI" history -C content 1.001193
# a corrupt history cache is rebuilt
fresh
"$CONGKHAI" build -C content -o out >/dev/null 2>&1
head -c 3000 /dev/urandom > .git/congkhai-cache.sqlite
status "a corrupt cache: build exits 0" 0 $T "$CONGKHAI" build -C content -o out
has "history is intact" $P "Sửa lệ phí đăng ký khai sinh"

# 4. a procedure once committed with an invalid code, later deleted
fresh
for bad in '"1.001194/"' '"1.00119?"' '"../../x"'; do
  n=$(echo "$bad" | tr -dc 'a-z0-9'); cp $KS content/procedures/ho-tich/sai-$n.md
  sed -i "s|^code: .*|code: $bad|; s|^title: .*|title: Thủ tục mã sai $n|" content/procedures/ho-tich/sai-$n.md
done
commit . "2024-03-01T09:00:00+07:00" "minor: thử"
git rm -q content/procedures/ho-tich/sai-*.md
commit . "2024-03-02T09:00:00+07:00" "Gỡ thủ tục thử"
status "old invalid codes in history: build exits 0" 0 $T "$CONGKHAI" build -C content -o out
status "and check agrees" 0 $T "$CONGKHAI" check -C content
ok "no page is made for an invalid code" test ! -e out/thu-tuc/1.001194
hasnt "nor listed anywhere" out/thay-doi/index.html "Thủ tục mã sai"

# 5. a 20 MB commit subject is not published whole
fresh
head -c 20000000 /dev/zero | tr '\0' 'a' > "$TMPROOT/subject"
echo "y" >> $KS
git add -A && GIT_AUTHOR_DATE="2024-04-01T09:00:00+07:00" GIT_COMMITTER_DATE="2024-04-01T09:00:00+07:00" git commit -q -F "$TMPROOT/subject"
status "a 20 MB subject builds" 0 $T "$CONGKHAI" build -C content -o out
n=$(wc -c < $P)
ok "the page stays small ($n bytes)" test "$n" -lt 200000
has "the note is cut at 500 bytes with an ellipsis" $P "$(head -c 500 "$TMPROOT/subject")…"
hasnt "not later" $P "$(head -c 501 "$TMPROOT/subject")"
n=$(wc -c < out/thay-doi/feed.xml)
ok "the changes feed stays small ($n bytes)" test "$n" -lt 200000
# cut inside a character: never half a character
fresh
printf 'a%.0s' $(seq 499) > "$TMPROOT/subject"; printf 'ệệệ' >> "$TMPROOT/subject"
echo "z" >> $KS
git add -A && GIT_AUTHOR_DATE="2024-04-01T09:00:00+07:00" GIT_COMMITTER_DATE="2024-04-01T09:00:00+07:00" git commit -q -F "$TMPROOT/subject"
status "a subject cut inside a character builds" 0 $T "$CONGKHAI" history -C content --json 1.001193
has "it is cut before the character" "$TMPROOT/.out" "\"note\":\"$(printf 'a%.0s' $(seq 499))…\""
