#!/bin/sh
# Search benchmark (issue 4) on the N-procedure synthetic site: index size
# on disk (SQLite and the static files), the time the search plugin adds to
# a build, and in headless chromium the bytes fetched by the first query of
# a common and of a rare word and the time to the first results.
# REAL=1: the site is the commune's 293 real procedures
# (bench/relevance/corpus) copied until there are N, each copy with codes of
# its own, and the queries are the relevance benchmark's first 25.
set -u
cd "$(dirname "$0")/.."
BIN=${BUILD:-build}/congkhai
N=${N:-10000}
d=$(mktemp -d "$PWD/bench/out.XXXXXX")
if [ "${REAL:-}" ]; then
	mkdir -p "$d/content/procedures"
	cp -r bench/relevance/corpus/site.yaml bench/relevance/corpus/data "$d/content/"
	find bench/relevance/corpus/procedures -name '*.md' | sort > "$d/files"
	i=0
	while [ "$i" -lt "$N" ]; do
		while read -r f && [ "$i" -lt "$N" ]; do
			i=$((i + 1))
			sed "s/^code: .*/code: \"9.$(printf %06d "$i")\"/" "$f" > "$d/content/procedures/$i.md"
		done < "$d/files"
	done
fi
[ "${REAL:-}" ] || lua5.4 bench/gen.lua "$N" "$d/content"
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
printf '  %-22s %5s %9s %8s %8s\n' "first query" "reqs" "KB" "ms" "page ms"
# common words (in every document), a rarer phrase, a rare word, a code
if [ "${REAL:-}" ]; then
	tail -n +2 bench/relevance/queries.tsv | head -25 | cut -f4 | tr '\n' '\0' |
	    xargs -0 node bench/search-browser.mjs "$d/site" | sed 's/^/  /'
else
	node bench/search-browser.mjs "$d/site" "ho so" "tu phap" "dang ky giay phep" "dang ki khai sinh" "lai xe" "ton giao" \
	    "1.000042" "cap lai giay phep lai xe" "cap doi giay phep xay dung" "gia han giay phep hoat dong ton giao" |
	    sed 's/^/  /'
fi
cd / && rm -rf "$d"
