# ThreadSanitizer on the parallel parts: the threaded load and render of
# Markdown (-j), folding on the index threads, the SQLite writer thread,
# on the sample portal and a repository with history. No race may be reported.
# The TSan build is $BUILD/tsan/congkhai (make tsan, or make test); when it
# cannot be made or cannot run for a reason outside the project (no TSan
# runtime for the compiler, a kernel whose memory layout TSan refuses), the
# test says so in one "ok - skipped" line.
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-build}
TSAN="$ROOT/$BUILD/tsan/congkhai"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
export CONGKHAI_PLUGIN_PATH="$ROOT/plugins"

# Whether the compiler can build and run a threaded program under TSan at all.
tsan_works() {
  printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' > "$TMPROOT/probe.c"
  ${CC:-cc} -fsanitize=thread -o "$TMPROOT/probe" "$TMPROOT/probe.c" -lpthread > "$TMPROOT/probe.out" 2>&1 &&
    "$TMPROOT/probe" >> "$TMPROOT/probe.out" 2>&1
}
skip() {
  echo "ok 1 - skipped: ThreadSanitizer cannot run here: $1 # SKIP"
  sed 's/^/#   /' "$TMPROOT/probe.out" | head -5
  exit 0
}

if [ ! -x "$TSAN" ]; then
  make -s -C "$ROOT" "$BUILD/tsan/congkhai" > "$TMPROOT/make.out" 2>&1
fi
if [ ! -x "$TSAN" ]; then
  tsan_works || skip "${CC:-cc} -fsanitize=thread does not build or run a program"
  echo "not ok 1 - $BUILD/tsan/congkhai does not build"
  sed 's/^/#   /' "$TMPROOT/make.out" | tail -20
  exit 0
fi
if ! "$TSAN" --version > "$TMPROOT/probe.out" 2>&1; then
  grep -q "ThreadSanitizer" "$TMPROOT/probe.out" && ! tsan_works &&
    skip "the TSan runtime refuses this machine"
  echo "not ok 1 - $BUILD/tsan/congkhai does not start"
  sed 's/^/#   /' "$TMPROOT/probe.out" | head -20
  exit 0
fi

status "build -j 4 of the sample portal under TSan" 0 "$TSAN" build -C "$ROOT/content" -o "$TMPROOT/out" -j 4 -q
hasnt "no data race reported" "$TMPROOT/.out" "ThreadSanitizer"
status "check under TSan (threads: one per CPU)" 0 "$TSAN" check -C "$ROOT/content"
hasnt "no data race reported by check" "$TMPROOT/.out" "ThreadSanitizer"
repo=$(mkrepo)
status "build -j 3 of a repository with history under TSan" 0 "$TSAN" build -C "$repo/content" -o "$TMPROOT/out2" -j 3 -q
hasnt "no data race there either" "$TMPROOT/.out" "ThreadSanitizer"
n=$(find "$TMPROOT/out2" -type f | wc -l)
status "built again into the same output, the old site removed by 3 threads" 0 "$TSAN" build -C "$repo/content" -o "$TMPROOT/out2" -j 3 -q
hasnt "no data race in the removal" "$TMPROOT/.out" "ThreadSanitizer"
is "the site is whole" "$(find "$TMPROOT/out2" -type f | wc -l)" "$n"
is "and nothing is left beside it" "$(ls -A "$TMPROOT" | grep -c '^\.\?out2.')" "0"
