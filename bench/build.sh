#!/bin/sh
# Build benchmark: N synthetic procedures (4–8 KB each) built by congkhai
# and, in the same run on the same files, by Debian's hugo with a minimal
# layout. Prints the median of 3 runs: wall time, pages/s, peak memory,
# and the ratio congkhai / hugo. Not a test: numbers for the record.
set -u
cd "$(dirname "$0")/.."
BIN=${BUILD:-build}/congkhai
RUNS=${RUNS:-3}
SIZES=${SIZES:-"1000 10000"}
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure OUTFILE cmd...: append "seconds peak_kb" of one run
measure() {
  f=$1; shift
  /usr/bin/time -f "%e %M" -o "$f.one" "$@" > /dev/null 2> "$f.err" || { echo "  failed: $*"; tail -3 "$f.err"; }
  cat "$f.one" >> "$f"
}

printf '%-9s %7s %10s %10s %12s\n' "tool" "pages" "median s" "pages/s" "peak MiB"
for n in $SIZES; do
  d=$(mktemp -d "$PWD/bench/out.XXXXXX")
  lua5.4 bench/gen.lua "$n" "$d/content"
  git -C "$d/content" init -q && git -C "$d/content" add -A && \
    git -C "$d/content" -c user.name=b -c user.email=b@x commit -q -m "Nội dung thử tải"
  : > "$d/ck"; : > "$d/hugo"
  for i in $(seq "$RUNS"); do
    measure "$d/ck" "$BIN" build -q -C "$d/content" -o "$d/site-ck-$i"
    measure "$d/hugo" hugo --quiet -s bench/hugo --contentDir "$d/content/procedures" -d "$d/site-hugo-$i"
  done
  for tool in ck hugo; do
    s=$(cut -d' ' -f1 "$d/$tool" | median); kb=$(cut -d' ' -f2 "$d/$tool" | median)
    eval "s_$tool=$s"
    name=$([ $tool = ck ] && echo congkhai || echo hugo)
    awk -v t="$name" -v n="$n" -v s="$s" -v kb="$kb" \
      'BEGIN { printf "%-9s %7d %10.2f %10.0f %12.1f\n", t, n, s, (s > 0 ? n / s : 0), kb / 1024 }'
  done
  awk -v a="$s_ck" -v b="$s_hugo" 'BEGIN { if (b > 0) printf "%-9s %7s %10.2fx (congkhai time / hugo time)\n", "ratio", "", a / b }'
  rm -rf "$d"
done
