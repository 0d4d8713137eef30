#!/bin/sh
# run.sh — relevance benchmark of congkhai search on a real corpus (bench/relevance/README.md).
# usage: [CONGKHAI=build/congkhai] sh bench/relevance/run.sh [-v]
#   -v  also list, per engine, the queries whose first result is not the wanted one.
# Builds corpus/ into a temporary directory, runs queries.tsv through `congkhai search`,
# the /tim-kiem/ page in headless chromium and (when `npm ci` was run here) Pagefind,
# and prints the metrics. Exit 0 unless the build fails. Only localhost is used.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONGKHAI=${CONGKHAI:-$ROOT/build/congkhai}
case $CONGKHAI in /*) ;; *) CONGKHAI=$(pwd)/$CONGKHAI ;; esac
VERBOSE=
[ "${1:-}" = "-v" ] && VERBOSE=-v
TMP=$(mktemp -d "${TMPDIR:-/tmp}/congkhai-relevance.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

if ! "$CONGKHAI" build -C "$HERE/corpus" -o "$TMP/site" -q; then
  echo "run.sh: building the corpus with $CONGKHAI failed" >&2
  exit 1
fi

PF=
PAGEFIND=$HERE/node_modules/.bin/pagefind
if [ -x "$PAGEFIND" ]; then
  cp -R "$TMP/site" "$TMP/pf"
  # Pagefind indexes the procedure pages only (the engines then rank the same documents).
  if "$PAGEFIND" --site "$TMP/pf" --glob 'thu-tuc/*/index.html' >"$TMP/pagefind.log" 2>&1; then
    printf '<!doctype html><html lang="vi"><meta charset="utf-8"><title>pagefind</title></html>\n' >"$TMP/pf/pf-bench.html"
    PF=$TMP/pf
  else
    echo "pagefind: indexing failed (skipped):" >&2
    tail -5 "$TMP/pagefind.log" >&2
  fi
else
  echo "pagefind: not installed (run 'npm ci' in bench/relevance); skipped" >&2
fi

node "$HERE/relevance.mjs" --congkhai "$CONGKHAI" --site "$TMP/site" ${PF:+--pagefind "$PF"} \
  --queries "$HERE/queries.tsv" --corpus "$HERE/corpus" $VERBOSE || echo "run.sh: the benchmark script failed" >&2
exit 0
