# congkhai serve (issue 12): builds and serves on 127.0.0.1 with the
# server's own base URL, rebuilds on change, reports a broken build while
# the last good site stays served, marks drafts, stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
KS=content/procedures/ho-tich/dang-ky-khai-sinh.md
sed -i 's|^base_url: .*|base_url: https://example.gov.vn/cong-khai/|' content/site.yaml
port=$(( 20000 + $$ % 20000 ))
"$CONGKHAI" serve -C content --port $port > serve.out 2> serve.err &
pid=$!
get() { curl -s --max-time 5 "http://127.0.0.1:$port$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port$1"; }
version() { get /__congkhai/status | sed -n 's/.*"version":\([0-9]*\).*/\1/p'; }
wait_for() { # tries shell-condition: until the condition holds, 0.25 s apart
  t=$1; shift
  while [ "$t" -gt 0 ]; do eval "$1" >/dev/null 2>&1 && return 0; sleep 0.25; t=$((t - 1)); done; return 1
}
ok "it serves within 30 s" wait_for 120 '[ "$(code /)" = 200 ]'
has "it says where" serve.out "http://127.0.0.1:$port/"
is "the first build is version 1" "$(version)" "1"
get /thu-tuc/1.001193/ > page.html
has "a page carries the reload script" page.html "/__congkhai/status"
has "links use the server's address, not the site's sub-path" page.html 'href="/assets/style.css"'
is "and the stylesheet is there" "$(code /assets/style.css)" "200"
is "/thu-tuc/1.001193 without a slash is served too" "$(code /thu-tuc/1.001193)" "200"
is "a missing page is a 404" "$(code /khong-co/)" "404"
is "nothing escapes the output" "$(code /../../etc/passwd)" "404"
ok "the output is not in the content tree" test ! -e content/site -a ! -e site

# a change rebuilds
sed -i 's/^fee: .*/fee: 77.000 đồng/' $KS
ok "an edit is rebuilt within 10 s" wait_for 40 '[ "$(version)" = 2 ]'
get /thu-tuc/1.001193/ > page.html
has "the page shows the change" page.html "77.000 đồng"

# a broken file: errors reported, the last good site stays
sed -i 's/^title: .*/title: "không đóng/' $KS
ok "a broken build is reported within 10 s" wait_for 40 'get /__congkhai/status | grep -q "error:"'
get /__congkhai/status > status.json
has "the status names the file and line" status.json "dang-ky-khai-sinh.md:[0-9]*:[0-9]*: error: "
is "the version did not move" "$(version)" "2"
get /thu-tuc/1.001193/ > page.html
has "the last good page is still served" page.html "77.000 đồng"
has "the terminal shows the error too" serve.err "dang-ky-khai-sinh.md:[0-9]*:[0-9]*: error: "
git checkout -q $KS
ok "the fix clears the errors within 10 s" wait_for 40 'get /__congkhai/status | grep -q "\"errors\":null"'

# drafts are shown, with a banner
cp $KS content/procedures/ho-tich/nhap.md
sed -i 's/^code: .*/code: "1.009998"/; s/^title: .*/title: Thủ tục nháp\ndraft: true/' content/procedures/ho-tich/nhap.md
ok "a new draft is built" wait_for 40 '[ "$(code /thu-tuc/1.009998/)" = 200 ]'
get /thu-tuc/1.009998/ > draft.html
has "with a draft banner" draft.html "Bản nháp: chưa công khai"
get /thu-tuc/1.001193/ > page.html
hasnt "other pages have none" page.html "Bản nháp: chưa công khai"

tmpdir=$(ls -d /dev/shm/congkhai-serve-* /tmp/congkhai-serve-* 2>/dev/null | while read d; do [ -e "$d/site/.congkhai-site" ] && echo "$d"; done | head -1)
kill -TERM $pid
ok "SIGTERM stops it" wait_for 40 '! kill -0 $pid'
wait $pid; is "with exit 0" "$?" "0"
ok "its temporary output is removed" sh -c "[ -z '$tmpdir' ] || [ ! -e '$tmpdir' ]"
status "a bad port is a usage error" 2 "$CONGKHAI" serve --port 0
