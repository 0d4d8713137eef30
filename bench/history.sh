#!/bin/sh
# History benchmark (issue 3): a repository of FILES procedures over COMMITS
# commits; `congkhai history` cold (no cache) and warm (cache filled), and one
# new commit after a warm run, beside `git log --name-status` over the same
# repository. Median of RUNS runs each.
set -u
cd "$(dirname "$0")/.."
BIN=$PWD/${BUILD:-build}/congkhai
FILES=${FILES:-10000}; COMMITS=${COMMITS:-2000}; RUNS=${RUNS:-3}
d=$(mktemp -d "$PWD/bench/out.XXXXXX")
git init -q -b main "$d/repo"
lua5.4 bench/history-repo.lua "$FILES" "$COMMITS" | git -C "$d/repo" fast-import --quiet
git -C "$d/repo" checkout -q main
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
t() { /usr/bin/time -f "%e %M" -o "$d/one" "$@" > /dev/null 2>&1; cat "$d/one"; }
cd "$d/repo"
: > "$d/cold"; : > "$d/warm"; : > "$d/git"; : > "$d/one-more"
for i in $(seq "$RUNS"); do
  rm -f .git/congkhai-cache.sqlite*
  t "$BIN" history -C content --json 1.000001 >> "$d/cold"
  t "$BIN" history -C content --json 1.000001 >> "$d/warm"
  t git log --name-status --format=%H%x09%s >> "$d/git"
done
for i in $(seq "$RUNS"); do
  sed -i "s/^fee: .*/fee: $i$i.000 đồng/" content/procedures/000/tt-1.md
  git -c user.name=b -c user.email=b@x commit -qam "Thêm một lần sửa $i"
  t "$BIN" history -C content --json 1.000001 >> "$d/one-more"
done
printf '%-34s %10s %10s\n' "history of $FILES files, $COMMITS commits" "median s" "peak MiB"
for k in cold warm one-more git; do
  s=$(cut -d' ' -f1 "$d/$k" | median); kb=$(cut -d' ' -f2 "$d/$k" | median)
  label=$(case $k in cold) echo "congkhai history, cold cache";; warm) echo "congkhai history, warm cache";;
    one-more) echo "congkhai history, +1 commit";; git) echo "git log --name-status";; esac)
  awk -v l="$label" -v s="$s" -v kb="$kb" 'BEGIN { printf "%-34s %10.2f %10.1f\n", l, s, kb / 1024 }'
done
cd / && rm -rf "$d"
