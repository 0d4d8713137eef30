#!/bin/bash
# The README's two commands on a fresh Debian 12 (bookworm, minbase + git + make), as root, in a chroot.
# Run from a checkout of the project. Needs root and debootstrap (installed if missing).
# A base root is cached in $FRESH_DIR/base.tar (default /tmp/ck-fresh) so reruns skip debootstrap.
# Prints FAIL lines and, last, "fresh: P passed, F failed". Takes 5-8 minutes (package downloads).
# Exit 0 when both commands pass, 1 when one fails, 75 when the root cannot be made or cannot reach
# Debian's mirrors (no network): .ci/run turns 75 into a loud warning.
# Kept in step with ../shared/tools/fresh-debian-check.sh, plus that exit status.
set -u
src=$(pwd)
W=${FRESH_DIR:-/tmp/ck-fresh}; R=$W/root; mkdir -p "$W"
pass=0 fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
mnt() { for d in proc sys dev dev/pts dev/shm; do mkdir -p "$R/$d"; mount --bind "/$d" "$R/$d"; done; }
umnt() { for d in dev/shm dev/pts dev sys proc; do umount -l "$R/$d" 2>/dev/null; done; }
trap umnt EXIT
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
if [ ! -s "$W/base.tar" ]; then
  rm -rf "$W/base"
  debootstrap --variant=minbase --include=git,make,ca-certificates bookworm "$W/base" http://deb.debian.org/debian >"$W/debootstrap.log" 2>&1 ||
    { echo "fresh: could not make the root (debootstrap failed: $(tail -1 "$W/debootstrap.log"))"; exit 75; }
  printf 'deb http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' > "$W/base/etc/apt/sources.list"
  tar -C "$W/base" -cf "$W/base.tar" . && rm -rf "$W/base"
fi
umnt; rm -rf "$R"; mkdir -p "$R"; tar -C "$R" -xf "$W/base.tar"
# Extra CA certificates of this host (e.g. a TLS-intercepting proxy) are copied in: environment, not project.
cp /usr/local/share/ca-certificates/*.crt "$R/usr/local/share/ca-certificates/" 2>/dev/null
cp /etc/resolv.conf "$R/etc/resolv.conf"; printf '127.0.0.1 localhost %s\n' "$(hostname)" > "$R/etc/hosts"
mnt
chroot "$R" update-ca-certificates >/dev/null 2>&1
chroot "$R" apt-get update -qq >"$W/apt-update.log" 2>&1 ||
  { echo "fresh: the root cannot reach Debian's mirrors: $(tail -1 "$W/apt-update.log")"; exit 75; }
git clone -q "$src" "$R/root/congkhai"
run() { chroot "$R" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm \
        sh -c "cd /root/congkhai && $1" >"$W/$2.log" 2>&1; echo $? >"$W/$2.rc"; }
# A user with neither root nor sudo is told exactly what to run as root (before root installs anything).
chroot "$R" useradd -m editor >/dev/null 2>&1
git clone -q "$src" "$R/home/editor/congkhai" && chroot "$R" chown -R editor /home/editor/congkhai
chroot "$R" env -i HOME=/home/editor PATH=/usr/bin:/bin su editor -s /bin/sh -c "cd /home/editor/congkhai && make demo" >"$W/nosudo.log" 2>&1
echo $? >"$W/nosudo.rc"
[ "$(cat "$W/nosudo.rc")" != 0 ] && grep -q "apt-get install -y --no-install-recommends" "$W/nosudo.log" && ok ||
  bad "make demo without root or sudo did not print the root command: $(tail -3 "$W/nosudo.log" | tr '\n' ' ')"
t0=$(date +%s); run "make demo" demo; t1=$(date +%s)
[ "$(cat "$W/demo.rc")" = 0 ] && ok || bad "make demo (first run) exit $(cat "$W/demo.rc"): $(tail -2 "$W/demo.log" | tr '\n' ' ')"
[ -s "$R/root/congkhai/site/index.html" ] && [ -s "$R/root/congkhai/site/thu-tuc/index.html" ] && ok || bad "make demo left no site/index.html and site/thu-tuc/"
run "make test" test; t2=$(date +%s)
last=$(grep -E '^[A-Za-z]*:? ?[0-9]+ passed, [0-9]+ failed' "$W/test.log" | tail -1)
[ "$(cat "$W/test.rc")" = 0 ] && ok || bad "make test exit $(cat "$W/test.rc"): ${last:-$(tail -2 "$W/test.log" | tr '\n' ' ')}"
case "$last" in *" 0 failed"*) ok ;; *) bad "make test summary: '${last:-none}'" ;; esac
n=$(echo "$last" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+'); [ "${n:-0}" -ge 100 ] && ok || bad "make test ran only ${n:-0} tests"
echo "fresh: $pass passed, $fail failed (demo $((t1-t0)) s, test $((t2-t1)) s; logs in $W)"
[ "$fail" = 0 ]
