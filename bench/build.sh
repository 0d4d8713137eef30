#!/bin/sh
# Build benchmark (issue 13): a repository of FILES procedures (~6.5 KB
# each) over COMMITS commits (bench/history-repo.lua), built by congkhai
# and, in the same run on the same files, by Debian's hugo with a minimal
# layout (bench/hugo/). Prints one table, medians of RUNS runs of wall
# seconds and peak MiB, and the ratio congkhai / hugo:
#   no history      congkhai on a copy of the content outside git; hugo
#   history, cold   congkhai without its history cache; hugo --enableGitInfo
#   history, warm   congkhai with the cache filled, into a new output
#   no-op rebuild   into the same output, nothing changed
#   one edit        one procedure edited and committed, into the same output,
#                   after a first such edit and build (not timed): an editor's
#                   steady state, where the tree the last build replaced is
#                   kept (.git/congkhai-spare) for the next to write over;
#                   that first edit is a row of its own
#   check           congkhai check (hugo has none)
#   with search     congkhai without history (its search index included)
#                   against hugo then Pagefind over hugo's pages, when
#                   bench/relevance has Pagefind (sh .ci/deps bench)
# and `git log --name-only` over the repository, history's yardstick.
# BENCH_DIR (default bench/) is where the repository and the outputs go:
# /dev/shm takes the file system's own costs out. Not a test: numbers for
# the record (bench/README.md).
set -u
cd "$(dirname "$0")/.."
BIN=$PWD/${BUILD:-build}/congkhai
FILES=${FILES:-10000}; COMMITS=${COMMITS:-200}; RUNS=${RUNS:-3}
for c in hugo /usr/bin/time lua5.4; do
  command -v "$c" >/dev/null || { echo "bench: $c missing (sh .ci/deps bench)"; exit 1; }
done
d=$(mktemp -d "${BENCH_DIR:-$PWD/bench}/out.XXXXXX")
trap 'rm -rf "$d"' EXIT
git init -q -b main "$d/repo"
lua5.4 bench/history-repo.lua "$FILES" "$COMMITS" | git -C "$d/repo" fast-import --quiet
git -C "$d/repo" checkout -q main
sleep 1; git -C "$d/repo" update-index -q --refresh   # as `git status` leaves a checkout
sleep 2   # inputs changed in the last 2 s make a build unrecorded (fingerprint.c): not a no-op
mkdir "$d/plain" && cp -R "$d/repo/content" "$d/plain/"
for s in repo plain; do cp -R bench/hugo/hugo.toml bench/hugo/layouts "$d/$s/"; done
printf '.hugo_build.lock\nhugo.toml\nlayouts/\n' >> "$d/repo/.git/info/exclude"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# m ROW cmd...: one run of cmd, "seconds peak_kb" appended to $d/ROW
m() {
  row=$1; shift
  /usr/bin/time -f "%e %M" -o "$d/one" "$@" > /dev/null 2> "$d/err" || { echo "  failed: $*"; tail -3 "$d/err"; }
  cat "$d/one" >> "$d/$row"
}
ck() { m "$1" "$BIN" build -q -C "$d/$2/content" -o "$d/$3"; }
PAGEFIND=$PWD/bench/relevance/node_modules/.bin/pagefind
[ -x "$PAGEFIND" ] || { echo "bench: no Pagefind (sh .ci/deps bench); its row is left out"; PAGEFIND=; }
hugo_() { m "$1" hugo --quiet -s "$d/$2" --contentDir content/procedures -d "$d/$3" $4; }

edit=$(cd "$d/repo" && git ls-files content/procedures | head -1)
for i in $(seq "$RUNS"); do
  ck ck-plain plain "o-plain"
  hugo_ hugo-plain plain "h-plain" ""
  [ -z "$PAGEFIND" ] || m pagefind "$PAGEFIND" --site "$d/h-plain"
  rm -rf "$d"/repo/.git/congkhai-cache.sqlite* "$d/repo/.git/congkhai-build.fp" "$d/repo/.git/congkhai-spare"
  ck ck-cold repo "o-cold"
  hugo_ hugo-cold repo "h-git" --enableGitInfo
  rm -f "$d/repo/.git/congkhai-build.fp"
  ck ck-warm repo "o-warm"
  ck ck-noop repo "o-warm"
  hugo_ hugo-noop repo "h-git" --enableGitInfo
  for e in first "$i"; do
    printf '\nGhi chú thử số %s.\n' "$e" >> "$d/repo/$edit"
    git -C "$d/repo" -c user.name=b -c user.email=b@x commit -q -am "Sửa thủ tục, lần $e"
    [ "$e" = first ] && ck ck-edit0 repo "o-warm"
  done
  ck ck-edit repo "o-warm"
  hugo_ hugo-edit repo "h-git" --enableGitInfo
  m ck-check "$BIN" check -C "$d/repo/content"
  m gitlog git -C "$d/repo" log --name-only
  rm -rf "$d"/o-* "$d"/h-*
done

col() { cut -d' ' -f"$2" "$d/$1" 2>/dev/null | median; }
row() { # label congkhai-row hugo-row
  awk -v l="$1" -v s="$(col "$2" 1)" -v k="$(col "$2" 2)" -v hs="$(col "$3" 1)" -v hk="$(col "$3" 2)" 'BEGIN {
    h = hs == "" ? "| — | —" : sprintf("| %.2f | %.0f", hs, hk / 1024)
    r = hs > 0 ? sprintf("%.2f", s / hs) : "—"
    printf "| %s | %.2f | %.0f %s | %s |\n", l, s, k / 1024, h, r }'
}
echo "build benchmark: $FILES procedures, $COMMITS commits, median of $RUNS runs ($(nproc) cores)"
echo
echo "| build | congkhai s | MiB | hugo s | MiB | ratio |"
echo "|---|---|---|---|---|---|"
row "no history" ck-plain hugo-plain
row "history, cold (hugo --enableGitInfo)" ck-cold hugo-cold
row "history, warm" ck-warm hugo-cold
row "no-op rebuild, same output" ck-noop hugo-noop
row "one file edited and committed" ck-edit hugo-edit
row "the first edit after a full build" ck-edit0 none
row "check" ck-check none
if [ -n "$PAGEFIND" ]; then   # hugo then pagefind, run by run: seconds added, the larger peak
  paste -d' ' "$d/hugo-plain" "$d/pagefind" | awk '{ print $1 + $3, ($2 > $4 ? $2 : $4) }' > "$d/hugo-pf"
  row "with search (hugo + Pagefind)" ck-plain hugo-pf
  awk -v s="$(col pagefind 1)" -v k="$(col pagefind 2)" 'BEGIN {
    printf "\nPagefind alone over hugo'"'"'s %s pages: %.2f s, %.0f MiB\n", '"$FILES"', s, k / 1024 }'
fi
awk -v g="$(col gitlog 1)" -v c="$(col ck-cold 1)" -v p="$(col ck-plain 1)" 'BEGIN {
  printf "\ngit log --name-only: %.2f s; a cold build in git takes %.2f s more than outside (%.1fx git log)\n", g, c - p, (g > 0 ? (c - p) / g : 0) }'
