# lib.sh — sourced by every end-to-end test. Prints TAP lines that tests/run counts.
#   . "$(dirname "$0")/lib.sh"
#   repo=$(mkrepo)            # temp dir with a git repo and a minimal content/ tree
#   ok "name" command args    # passes when the command exits 0
#   is "name" "$got" "$want"  # passes when the strings are equal
#   has "name" file pattern   # passes when grep -q pattern file
#   hasnt "name" file pattern
#   status "name" N command   # passes when the command exits with N
set -u
CONGKHAI=${CONGKHAI:-$CONGKHAI_ROOT/build/asan/congkhai}
ROOT=${CONGKHAI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
FIXTURES="$ROOT/tests/fixtures"
_n=0
TMPROOT=$(mktemp -d)
trap 'rm -rf "$TMPROOT"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=t@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=t@example.org

_res() { _n=$((_n + 1)); if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; fi; }
ok()     { d=$1; shift; "$@" > "$TMPROOT/.out" 2>&1; r=$?; _res $r "$d"; [ $r -eq 0 ] || sed 's/^/#   /' "$TMPROOT/.out" | head -20; }
status() { d=$1; w=$2; shift 2; "$@" > "$TMPROOT/.out" 2>&1; r=$?; [ "$r" -eq "$w" ]; _res $? "$d"; [ "$r" -eq "$w" ] || { echo "#   exit $r, wanted $w"; sed 's/^/#   /' "$TMPROOT/.out" | head -20; }; }
is()     { [ "$2" = "$3" ]; r=$?; _res $r "$1"; [ $r -eq 0 ] || printf '#   got:  %s\n#   want: %s\n' "$2" "$3"; }
has()    { grep -q -- "$3" "$2" 2>/dev/null; r=$?; _res $r "$1"; [ $r -eq 0 ] || echo "#   '$3' not in $2"; }
hasnt()  { ! grep -q -- "$3" "$2" 2>/dev/null; r=$?; _res $r "$1"; [ $r -eq 0 ] || { echo "#   '$3' found in $2:"; grep -n -- "$3" "$2" | head -3 | sed 's/^/#   /'; }; }
# Last command's combined output (after ok/status).
out() { cat "$TMPROOT/.out"; }

# mkrepo [fixture]: copy tests/fixtures/<fixture> (default: mini) into a new
# git repository under content/, commit it, print the repo path.
mkrepo() {
  r=$(mktemp -d "$TMPROOT/repo.XXXXXX")
  mkdir -p "$r/content"
  cp -R "$FIXTURES/${1:-mini}/." "$r/content/"
  printf '/*\n!/content/\n!/.gitignore\n' > "$r/.gitignore"   # test outputs stay untracked
  git -C "$r" init -q -b main
  git -C "$r" add -A
  GIT_AUTHOR_DATE="2024-01-15T09:00:00+07:00" GIT_COMMITTER_DATE="2024-01-15T09:00:00+07:00" \
    git -C "$r" commit -q -m "Công bố danh mục thủ tục"
  echo "$r"
}
# commit REPO DATE MESSAGE: commit everything with the given date.
commit() {
  git -C "$1" add -A
  GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" git -C "$1" commit -q -m "$3"
}
