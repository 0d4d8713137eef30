# .ci/deps, the installer behind make demo / make test, in a sandboxed PATH:
# stub id, dpkg-query, sudo and apt-get stand in for the system, so every
# path (root, sudo, neither, failures) is exercised without installing
# anything.
. "$(dirname "$0")/lib.sh"

bin="$TMPROOT/bin"; mkdir -p "$bin"
for t in sh grep tr wc cat dirname sed; do ln -s "$(command -v $t)" "$bin/$t"; done
stub() { printf '#!/bin/sh\n%s\n' "$2" > "$bin/$1"; chmod +x "$bin/$1"; }
# Nothing installed but build-essential; apt-get and sudo log their calls.
stub dpkg-query 'for a; do p=$a; done; [ "$p" = build-essential ] && printf "install ok installed"; exit 0'
stub apt-get 'echo "apt-get $*" >> "$LOG"'
# A copy of the script in a bare tree, so tests/browser/node_modules is absent.
mkdir -p "$TMPROOT/tree/.ci" "$TMPROOT/tree/tests/browser"
cp "$ROOT/.ci/deps" "$TMPROOT/tree/.ci/"; cp "$ROOT/tests/browser/package.json" "$TMPROOT/tree/tests/browser/"
run() { env -i PATH="$bin" LOG="$TMPROOT/log" sh "$TMPROOT/tree/.ci/deps" "$@"; }

# neither root nor sudo
stub id 'echo 1000'
rm -f "$TMPROOT/log"
status "no root, no sudo: exit 1" 1 run build
has "it names the command to run as root" "$TMPROOT/.out" "apt-get update && apt-get install -y --no-install-recommends pkg-config liblua5.4-dev"
hasnt "an installed package is not asked for" "$TMPROOT/.out" "install -y --no-install-recommends build-essential"
ok "nothing was run" test ! -e "$TMPROOT/log"

# root: apt-get runs, not silenced, only the missing packages of the profile
stub id 'echo 0'
status "as root: exit 0" 0 run build
has "apt-get update ran" "$TMPROOT/log" "^apt-get update$"
has "apt-get install ran with the build packages" "$TMPROOT/log" "install -y --no-install-recommends pkg-config liblua5.4-dev"
hasnt "apt is not silenced" "$TMPROOT/log" "\-qq"
hasnt "the build profile installs no browser" "$TMPROOT/log" "chromium"
has "it says what it installs" "$TMPROOT/.out" "deps (build): 15 Debian package(s) missing"

# a user with passwordless sudo
stub id 'echo 1000'
stub sudo 'echo "sudo $*" >> "$LOG"; [ "$1" = -n ] && exit 0; "$@"'
rm -f "$TMPROOT/log"
status "with sudo: exit 0" 0 run build
has "apt-get install went through sudo" "$TMPROOT/log" "^sudo apt-get install -y"

# the test profile asks for the browser and Debian's Node.js (no node on PATH)
stub id 'echo 0'
rm -f "$TMPROOT/log"
status "test profile stops when npm is missing" 1 run test
has "the test profile installs chromium, nodejs and npm" "$TMPROOT/log" "chromium nodejs npm"
has "an npm failure says what to run" "$TMPROOT/.out" "deps: npm could not install playwright-core"

# apt-get failing is reported with the command
stub apt-get 'exit 100'
status "a failed apt-get update: exit 1" 1 run build
has "it says what failed" "$TMPROOT/.out" "apt-get update failed"
status "an unknown profile is a usage error" 2 run nonsense
