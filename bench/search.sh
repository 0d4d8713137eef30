#!/bin/sh
# Search benchmark (issue 4) on the N-procedure synthetic site: index size
# on disk (SQLite and the static files), the time the search plugin adds to
# a build, and in headless chromium the bytes fetched by the first query of
# a common and of a rare word and the time to the first results.
set -u
cd "$(dirname "$0")/.."
BIN=${BUILD:-build}/congkhai
N=${N:-10000}
d=$(mktemp -d "$PWD/bench/out.XXXXXX")
lua5.4 bench/gen.lua "$N" "$d/content"
git -C "$d/content" init -q && git -C "$d/content" add -A && git -C "$d/content" -c user.name=b -c user.email=b@x commit -q -m "Thử"
t() { /usr/bin/time -f "%e" -o "$d/t" "$@" > /dev/null 2>&1; cat "$d/t"; }
printf 'plugins:\n  - portal\n' >> "$d/content/site.yaml"
without=$(t "$BIN" build -q -C "$d/content" -o "$d/no-search")
printf '  - search\n' >> "$d/content/site.yaml"
with=$(t "$BIN" build -q -C "$d/content" -o "$d/site")
echo "search index for $N procedures"
awk -v a="$without" -v b="$with" 'BEGIN { printf "  build without search %.2f s, with search %.2f s: the index adds %.2f s\n", a, b, b - a }'
echo "  index.sqlite        $(du -h --apparent-size "$d/site/index.sqlite" | cut -f1)"
echo "  static index        $(du -sh --apparent-size "$d/site/tim-kiem/i" | cut -f1) in $(find "$d/site/tim-kiem/i" -type f | wc -l) files ($(du -sh "$d/site/tim-kiem/i" | cut -f1) in disk blocks)"
printf '  %-22s %5s %9s %8s\n' "first query" "reqs" "KB" "ms"
# common words (in every document), a rarer phrase, a rare word, a code
node bench/search-browser.mjs "$d/site" "ho so" "tu phap" "dang ky giay phep" "dang ki khai sinh" "lai xe" "ton giao" "1.000042" "cap lai giay phep lai xe" | sed 's/^/  /'
cd / && rm -rf "$d"
