#!/bin/sh
# History benchmark (issue 3): a repository of FILES procedures (~6.5 KB
# each) over COMMITS commits; `congkhai history` cold (no cache) and warm
# (cache filled), and one new commit after a warm run, beside `git log
# --name-only` and `--name-status` over the same repository, and beside
# `congkhai history` on a copy of the content outside git (loading the site
# alone: what history adds is the difference). With BUILDS=1 (the default)
# also a full `congkhai build` cold and warm, and on the copy outside git.
# Median of RUNS runs each.
#
# The index is refreshed after checkout (as `git status` does): a fresh
# checkout leaves every entry "racily clean", and libgit2 then re-hashes
# every file to list uncommitted changes (about 60 µs a file), which is not
# history work. Set RACY=1 to keep it that way and see that cost too.
set -u
cd "$(dirname "$0")/.."
BIN=$PWD/${BUILD:-build}/congkhai
FILES=${FILES:-10000}; COMMITS=${COMMITS:-2000}; RUNS=${RUNS:-3}; BUILDS=${BUILDS:-1}
d=$(mktemp -d "$PWD/bench/out.XXXXXX")
git init -q -b main "$d/repo"
lua5.4 bench/history-repo.lua "$FILES" "$COMMITS" | git -C "$d/repo" fast-import --quiet
git -C "$d/repo" checkout -q main
mkdir "$d/plain" && cp -R "$d/repo/content" "$d/plain/"
[ "${RACY:-0}" = 1 ] || { sleep 1; git -C "$d/repo" update-index -q --refresh; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
t() { /usr/bin/time -f "%e %M" -o "$d/one" "$@" > /dev/null 2>&1; cat "$d/one"; }
cd "$d/repo"
for k in cold warm one-more nogit gitonly gitstatus bcold bwarm bnogit; do : > "$d/$k"; done
for i in $(seq "$RUNS"); do
  rm -f .git/congkhai-cache.sqlite*
  t "$BIN" history -C content --json 1.000001 >> "$d/cold"
  t "$BIN" history -C content --json 1.000001 >> "$d/warm"
  t "$BIN" history -C "$d/plain/content" --json 1.000001 >> "$d/nogit"
  t git log --name-only --format=%H%x09%s >> "$d/gitonly"
  t git log --name-status --format=%H%x09%s >> "$d/gitstatus"
  if [ "$BUILDS" = 1 ]; then
    rm -f .git/congkhai-cache.sqlite*
    t "$BIN" build -q -C content -o "$d/site" >> "$d/bcold"
    t "$BIN" build -q -C content -o "$d/site" >> "$d/bwarm"
    t "$BIN" build -q -C "$d/plain/content" -o "$d/site2" >> "$d/bnogit"
  fi
done
for i in $(seq "$RUNS"); do
  sed -i "s/^fee: .*/fee: $i$i.000 đồng/" content/procedures/000/tt-1.md
  git -c user.name=b -c user.email=b@x commit -qam "Thêm một lần sửa $i"
  t "$BIN" history -C content --json 1.000001 >> "$d/one-more"
done
printf '%-38s %10s %10s\n' "history of $FILES files, $COMMITS commits" "median s" "peak MiB"
for k in cold warm one-more nogit gitonly gitstatus bcold bwarm bnogit; do
  [ -s "$d/$k" ] || continue
  s=$(cut -d' ' -f1 "$d/$k" | median); kb=$(cut -d' ' -f2 "$d/$k" | median)
  label=$(case $k in cold) echo "congkhai history, cold cache";; warm) echo "congkhai history, warm cache";;
    one-more) echo "congkhai history, +1 commit";; nogit) echo "congkhai history, content outside git";;
    gitonly) echo "git log --name-only";; gitstatus) echo "git log --name-status";;
    bcold) echo "congkhai build, cold cache";; bwarm) echo "congkhai build, warm cache";;
    bnogit) echo "congkhai build, content outside git";; esac)
  awk -v l="$label" -v s="$s" -v kb="$kb" 'BEGIN { printf "%-38s %10.2f %10.1f\n", l, s, kb / 1024 }'
done
cd / && rm -rf "$d"
