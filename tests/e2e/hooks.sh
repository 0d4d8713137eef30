# congkhai hooks (issue 12): one command installs a pre-commit hook that
# checks the content as staged, and a commit-msg hook that asks for a
# change note citizens can read (or minor:), with real git commits.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
status "hooks installs" 0 "$CONGKHAI" hooks
ok "a pre-commit hook" test -x .git/hooks/pre-commit
ok "a commit-msg hook" test -x .git/hooks/commit-msg
status "installing again replaces its own hooks" 0 "$CONGKHAI" hooks

# the pre-commit hook checks what is staged, not the working tree
sed -i 's/^code: .*/code: "1.00119"/' $KS
git add $KS
status "a commit with invalid staged content is refused" 1 git commit -q -m "Sửa mã thủ tục khai sinh"
has "the error names the file as in the repository" "$TMPROOT/.out" "content/procedures/ho-tich/dang-ky-khai-sinh.md:[0-9]*:[0-9]*: error: "
hasnt "no temporary path is shown" "$TMPROOT/.out" "/tmp/"
hasnt "nor the warning that the copy has no repository" "$TMPROOT/.out" "không có kho git"
git checkout -q HEAD -- $KS
sed -i 's/^fee: .*/fee: 5.000 đồng/' $KS
git add $KS
sed -i 's/^code: .*/code: "sai"/' $KS        # broken in the working tree, fine in the index
status "a commit whose staged content is valid passes, whatever the working tree holds" 0 \
  git commit -q -m "Sửa đổi lệ phí đăng ký khai sinh"
git checkout -q HEAD -- $KS

# the commit-msg hook
printf 'x\n' >> $KS; git add $KS
status "a two-word subject is refused" 1 git commit -q -m "sua phi"
has "it says why" "$TMPROOT/.out" "quá ngắn cho một ghi chú thay đổi"
status "an English subject is refused" 1 git commit -q -m "Update the fee of birth registration"
has "it asks for Vietnamese" "$TMPROOT/.out" "không có chữ tiếng Việt"
status "minor: passes" 0 git commit -q -m "minor: sửa"
printf 'y\n' >> $KS; git add $KS
status "nho: passes" 0 git commit -q -m "nho: chinh ta"
printf 'z\n' >> $KS; git add $KS
status "a real change note passes" 0 git commit -q -m "Bổ sung thành phần hồ sơ theo QĐ 55/QĐ-UBND"
printf 'tmp\n' > ghi-chu.txt; git add -f ghi-chu.txt
status "a commit outside the content is not asked for a change note" 0 git commit -q -m "wip"

# a hook the user wrote is left alone
printf '#!/bin/sh\nexit 0\n' > .git/hooks/pre-commit
status "hooks does not overwrite a foreign hook" 1 "$CONGKHAI" hooks
has "and says so" "$TMPROOT/.out" "không do congkhai cài"
is "the foreign hook is intact" "$(cat .git/hooks/pre-commit)" "#!/bin/sh
exit 0"
