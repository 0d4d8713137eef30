# Golden test (issue 11), as lowdown's regress suite does it: the mini
# fixture, committed twice in a new git repository, is built and the whole
# output compared with the tree committed under tests/golden/mini/, so any
# change to any output file shows in review as a diff of that tree.
# index.sqlite is left out (its bytes are SQLite's; its content is tested
# in search.sh). After an intended change, regenerate with
#   make golden          (GOLDEN_UPDATE=1 sh tests/run with ONLY=golden)
# and read the diff before committing it.
. "$(dirname "$0")/lib.sh"
GOLDEN=$ROOT/tests/golden/mini
repo=$(mkrepo)
cd "$repo"
sed -i 's/fee: Miễn lệ phí/fee: 8.000 đồng/' content/procedures/ho-tich/dang-ky-khai-sinh.md
commit . "2024-03-01T09:00:00+07:00" "Sửa đổi lệ phí đăng ký khai sinh"
status "the mini fixture builds" 0 "$CONGKHAI" build -C content -o out -q
rm -f out/index.sqlite
if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
  rm -rf "$GOLDEN" && mkdir -p "$GOLDEN" && cp -R out/. "$GOLDEN/"
  echo "# golden tree written to tests/golden/mini"
fi
diff -r "$GOLDEN" out > "$TMPROOT/golden.diff" 2>&1
r=$?
_res $r "the output is byte for byte the golden tree"
[ $r -eq 0 ] || head -40 "$TMPROOT/golden.diff" | sed 's/^/#   /'
is "as many files as the golden tree" "$(find out -type f | wc -l)" "$(find "$GOLDEN" -type f | wc -l)"
