# The release binary, $BUILD/congkhai (make, make demo, make test): built with
# -O2 and jemalloc instead of the sanitizers and glibc's malloc, it must
# write the very bytes the ASan build writes. An output that depended on
# an allocator (a pointer's order, memory read before it was written) or on
# the optimizer would differ here: the mini fixture and a repository with
# history, built by both.
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-build}
REL="$ROOT/$BUILD/congkhai"
export CONGKHAI_PLUGIN_PATH="$ROOT/plugins"

[ -x "$REL" ] || make -s -C "$ROOT" "$BUILD/congkhai" > "$TMPROOT/make.out" 2>&1
ok "the release binary is built" test -x "$REL"
ldd "$REL" > "$TMPROOT/ldd" 2>&1
has "the release binary takes its malloc from jemalloc" "$TMPROOT/ldd" "libjemalloc"
ldd "$CONGKHAI" > "$TMPROOT/ldd-asan" 2>&1
hasnt "the ASan build keeps the sanitizer's allocator" "$TMPROOT/ldd-asan" "libjemalloc"

# the mini fixture, outside git
cp -R "$FIXTURES/mini" "$TMPROOT/mini"
ok "release: builds the mini fixture" "$REL" build -q -C "$TMPROOT/mini" -o "$TMPROOT/rel-mini"
ok "asan: builds the mini fixture" "$CONGKHAI" build -q -C "$TMPROOT/mini" -o "$TMPROOT/asan-mini"
ok "both write the same files, byte for byte" diff -r "$TMPROOT/rel-mini" "$TMPROOT/asan-mini"

# a repository with history: an edit and a later commit
repo=$(mkrepo)
sed -i 's/^fee: .*/fee: 8.000 đồng/; s/^3\. Công chức chuyên môn/3. Công chức tư pháp/' "$repo"/content/procedures/*/*.md
commit "$repo" "2024-03-01T09:00:00+07:00" "Sửa đổi lệ phí và trình tự"
ok "release: builds a repository with history" "$REL" build -q -C "$repo/content" -o "$repo/rel"
ok "asan: builds it too" "$CONGKHAI" build -q -C "$repo/content" -o "$repo/asan"
ok "the history made version pages" test -n "$(ls -d "$repo"/rel/thu-tuc/*/phien-ban/*/ 2>/dev/null)"
ok "both write the same files, byte for byte, history included" diff -r "$repo/rel" "$repo/asan"
echo "1..$_n"
