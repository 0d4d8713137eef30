# Broken and hostile git repositories (issue 8, SPEC §8): every build ends
# quickly with a message; damage is reported, never silent; old invalid
# content in history does not break today's build; commit text is capped.
. "$(dirname "$0")/lib.sh"
T="timeout 60"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
fresh() { # a repository with two commits; the first version of KS is an old blob
  r=$(mkrepo); cd "$r"
  sed -i 's/^fee: .*/fee: 10.000 đồng/' $KS
  commit . "2024-02-01T09:00:00+07:00" "Sửa lệ phí đăng ký khai sinh"
}

# 1. a truncated loose object (the old blob of a procedure)
fresh
obj=$(git rev-parse HEAD~1:$KS); f=.git/objects/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-)
truncate -s $(( $(stat -c %s $f) / 2 )) $f
status "a truncated loose object: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "the damage is reported with the object" "$TMPROOT/.out" "warning: kho git bị hỏng: $obj is damaged (git fsck)"
ok "the pages are built" test -s out/thu-tuc/1.001193/index.html
status "check ends too" 0 $T "$CONGKHAI" check -C content
status "--rev on it is refused: exit 2" 2 $T "$CONGKHAI" build -C content -o out --rev HEAD
has "with the reason" "$TMPROOT/.out" "kho git bị hỏng"
status "history of a page ends" 0 $T "$CONGKHAI" history -C content 1.001193
# the commit object itself, truncated
fresh
f=.git/objects/$(git rev-parse HEAD | cut -c1-2)/$(git rev-parse HEAD | cut -c3-)
truncate -s 10 $f
status "a truncated commit object: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "the damage is reported" "$TMPROOT/.out" "kho git bị hỏng"

# 2. a truncated pack
fresh
git gc -q
p=$(ls .git/objects/pack/*.pack)
chmod u+w $p; truncate -s $(( $(stat -c %s $p) / 2 )) $p
status "a truncated pack: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "it is not silent: the pack is named" "$TMPROOT/.out" "warning: kho git bị hỏng: pack/pack-.*\.pack is damaged"
hasnt "it does not claim there are no commits" "$TMPROOT/.out" "chưa có lần commit nào"
# a pack damaged inside (same size): libgit2 reports it, the walk says so
fresh
for i in 1 2 3; do echo "x$i" >> $KS; commit . "2024-03-0${i}T09:00:00+07:00" "Sửa lần $i"; done
git gc -q
p=$(ls .git/objects/pack/*.pack); chmod u+w $p
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' | dd of=$p bs=1 seek=400 conv=notrunc 2>/dev/null
status "a pack damaged inside: build ends" 0 $T "$CONGKHAI" build -C content -o out
has "the damage is reported" "$TMPROOT/.out" "kho git bị hỏng"

# 3. a commit whose parent is missing (not a shallow clone)
fresh
parent=$(git rev-parse HEAD~1); rm -f .git/objects/$(echo $parent | cut -c1-2)/$(echo $parent | cut -c3-)
status "a missing parent: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
has "history is reported incomplete" "$TMPROOT/.out" "lịch sử không đầy đủ"
has "and marked so on the page" out/thu-tuc/1.001193/index.html "Lịch sử có thể chưa đầy đủ"
# HEAD pointing at a branch that does not exist
fresh
echo "ref: refs/heads/khong-co" > .git/HEAD
status "HEAD at a missing branch: build ends, exit 0" 0 $T "$CONGKHAI" build -C content -o out
# a corrupt history cache
fresh
"$CONGKHAI" build -C content -o out >/dev/null 2>&1
head -c 3000 /dev/urandom > .git/congkhai-cache.sqlite
status "a corrupt cache is rebuilt" 0 $T "$CONGKHAI" build -C content -o out

# 4. a procedure once committed with an invalid code, later deleted
fresh
cp $KS content/procedures/ho-tich/sai-ma.md
sed -i 's|^code: .*|code: "1.001194/"|; s|^title: .*|title: Thủ tục mã sai|' content/procedures/ho-tich/sai-ma.md
commit . "2024-03-01T09:00:00+07:00" "minor: thử"
git rm -q content/procedures/ho-tich/sai-ma.md
commit . "2024-03-02T09:00:00+07:00" "Gỡ thủ tục thử"
status "an old invalid code in history: build exits 0" 0 $T "$CONGKHAI" build -C content -o out
status "and check agrees" 0 $T "$CONGKHAI" check -C content
ok "no page is made for the invalid code" test ! -e "out/thu-tuc/1.001194"

# 5. a 20 MB commit subject is not published whole
fresh
head -c 20000000 /dev/zero | tr '\0' 'a' > "$TMPROOT/subject"
echo "y" >> $KS
git add -A && GIT_AUTHOR_DATE="2024-04-01T09:00:00+07:00" GIT_COMMITTER_DATE="2024-04-01T09:00:00+07:00" git commit -q -F "$TMPROOT/subject"
status "a 20 MB subject builds" 0 $T "$CONGKHAI" build -C content -o out
n=$(wc -c < out/thu-tuc/1.001193/index.html)
ok "the page stays small ($n bytes)" test "$n" -lt 200000
has "the note is cut with an ellipsis" out/thu-tuc/1.001193/index.html "aaa…"
