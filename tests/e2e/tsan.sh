# ThreadSanitizer on the parallel parts: the threaded load and render of
# Markdown (-j), folding on the index threads, the SQLite writer thread,
# on the sample portal and a repository with history. No race may be reported.
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-build}
TSAN="$ROOT/$BUILD/tsan/congkhai"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
export CONGKHAI_PLUGIN_PATH="$ROOT/plugins"
if [ ! -x "$TSAN" ]; then echo "not ok - $TSAN is not built (make test builds it)"; exit 0; fi
status "build -j 4 of the sample portal under TSan" 0 "$TSAN" build -C "$ROOT/content" -o "$TMPROOT/out" -j 4 -q
hasnt "no data race reported" "$TMPROOT/.out" "ThreadSanitizer"
status "check under TSan (threads: one per CPU)" 0 "$TSAN" check -C "$ROOT/content"
hasnt "no data race reported by check" "$TMPROOT/.out" "ThreadSanitizer"
repo=$(mkrepo)
status "build -j 3 of a repository with history under TSan" 0 "$TSAN" build -C "$repo/content" -o "$TMPROOT/out2" -j 3 -q
hasnt "no data race there either" "$TMPROOT/.out" "ThreadSanitizer"
