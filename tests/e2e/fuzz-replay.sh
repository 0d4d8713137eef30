# Replays every fuzz target's seed corpus and kept crash inputs
# (tests/fuzz/corpus/, tests/fuzz/regress/) under ASan + UBSan: one line per
# target. A crash found by `make fuzz` becomes a file in regress/ and so a
# test that fails until the bug is fixed.
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-build}
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
  t=$(basename "$src" .c | sed 's/^fuzz_//')
  [ "$t" = util ] && continue
  bin="$ROOT/$BUILD/asan/tests/replay_$t"
  if [ ! -x "$bin" ]; then echo "not ok - replay_$t is not built"; continue; fi
  n=$(ls "$ROOT/tests/fuzz/corpus/$t" "$ROOT/tests/fuzz/regress/$t" 2>/dev/null | grep -vc -e '^$' -e ':$' -e '^README')
  ok "fuzz target $t replays its $n corpus and regression inputs" \
    timeout 600 "$bin" "$ROOT/tests/fuzz/corpus/$t" "$ROOT/tests/fuzz/regress/$t"
done
