# site:each(list, fn) (core/leach.c): the items of a list handed to fn in
# up to -j worker processes. Whatever -j is, a build writes the same bytes
# and says the same things in the same order; what fn returns comes back
# in item order; two items writing one file, a bad return value, a Lua
# error, site:error and an endless loop end the build the same way in
# every mode, and the last good site stays. The site has 46 pages, so -j 4
# gives four runs (1-11 here, 12-23, 24-34 and 35-46 in children).
. "$(dirname "$0")/lib.sh"
export CONGKHAI_PLUGIN_PATH="$ROOT/plugins"

repo=$(mkrepo)
c="$repo/content"
for i in $(seq 10 49); do
  sed "s/^code: .*/code: \"9.0000$i\"/; s/^title: .*/title: Thủ tục thử số $i/" \
    "$c/procedures/ho-tich/dang-ky-khai-sinh.md" > "$c/procedures/ho-tich/thu-$i.md"
done
commit "$repo" "2024-02-01T09:00:00+07:00" "Công bố thêm thủ tục"
sed -i 's/^fee: .*/fee: 5.000 đồng/' "$c"/procedures/ho-tich/thu-1*.md
commit "$repo" "2024-03-01T09:00:00+07:00" "Sửa đổi lệ phí"

mkdir -p "$c/plugins/eachtest"
cat > "$c/plugins/eachtest/init.lua" <<'EOF'
local M = { name = "eachtest", version = "1", options = { mode = "ok", at = 30 } }
local mode, at
function M.setup(site, options) mode, at = options.mode, options.at end
function M.render(site)
  local seen = 0
  site:write("each/carried.txt", "A\n")    -- the last good site's bytes: carried over (a link)
  if mode == "carry" then site:append("each/carried.txt", "B\n") end
  site:write("each/appended.txt", "head\n")
  local r = site:each(site.pages, function(p, i)
    seen = seen + 1
    site:append("each/appended.txt", i .. "\n")
    if i == at and mode == "mix" then site:write("each/appended.txt", "x") end
    if i == at and mode == "unsafe" then site:append("../outside.txt", "x") end
    site:warn("item " .. i, p)
    print("printed " .. i .. " " .. p.url)
    site:write("each/" .. i .. ".txt", p.title)
    if i == at then
      if mode == "error" then error("item failed at " .. i) end
      if mode == "table" then return {} end
      if mode == "loop" then while true do end end
      if mode == "siteerror" then site:error("item refused at " .. i, p) end
    end
    if mode == "dup" and (i == 5 or i == at) then site:write("each/same.txt", "x" .. i) end
    if i % 3 == 0 then return nil end
    return p.kind .. ":" .. i
  end)
  site:append("each/appended.txt", "tail\n")
  if mode == "carry" then error("stopped after appending to a carried file") end
  local lines = {}
  for i = 1, #site.pages do lines[i] = tostring(r[i]) end
  site:write("each/all.txt", table.concat(lines, "\n") .. "\n")
  local nested = site:each({ 1, 2, 3 }, function(x)
    return table.concat(site:each({ x, x * 10 }, function(y) return tostring(y) end), ",")
  end)
  site:write("each/nested.txt", table.concat(nested, ";") .. "\n")
  site:write("each/seen.txt", tostring(seen) .. "\n")
end
return M
EOF
use() {   # use MODE [AT]: the plugins the site runs
  printf 'title: Cổng thử nghiệm\norganization: UBND phường Thử Nghiệm\nbase_url: https://example.gov.vn/\nplugins:\n  - default\n  - name: eachtest\n    mode: %s\n    at: %s\n' "$1" "${2:-30}" > "$c/site.yaml"
}
build() {   # build JOBS OUT: stderr in OUT.err
  "$CONGKHAI" build -j "$1" -C "$c" -o "$2" 2> "$2.err"
}

use ok
status "-j 1 builds" 0 build 1 "$repo/j1"
status "-j 4 builds" 0 build 4 "$repo/j4"
status "-j 3 builds" 0 build 3 "$repo/j3"
ok "-j 4 writes the very bytes of -j 1" diff -r -x seen.txt "$repo/j1" "$repo/j4"
ok "-j 3 writes the very bytes of -j 1" diff -r -x seen.txt "$repo/j1" "$repo/j3"
for j in 1 4; do grep -v '^đã tạo' "$repo/j$j.err" > "$repo/said$j"; done   # its path and time
ok "and says the same things in the same order" cmp "$repo/said1" "$repo/said4"
grep -o 'item [0-9]*' "$repo/j4.err" | tr -d 'item ' | tr '\n' ' ' > "$repo/order"
is "the items' warnings come in item order" "$(cat "$repo/order")" "$(seq 1 46 | tr '\n' ' ')"
is "what each item printed comes in item order" \
  "$(grep -o 'printed [0-9]*' "$repo/j4.err" | tr -d 'printed ' | tr '\n' ' ')" "$(seq 1 46 | tr '\n' ' ')"
has "the count says 47 warnings (46 items, and the uncommitted plugin)" "$repo/j4.err" "0 lỗi, 47 cảnh báo"
# pages in path order: news/ (2 articles), pages/ (1), procedures/ (43)
is "what fn returned comes back in item order, nil as nil" \
  "$(sed -n '1p;3p;4p;46p' "$repo/j4/each/all.txt" | tr '\n' ' ')" "article:1 nil procedure:4 procedure:46 "
is "a nested call runs in place" "$(cat "$repo/j4/each/nested.txt")" "1,10;2,20;3,30"
is "what fn changes in Lua values is not seen after the call" "$(cat "$repo/j4/each/seen.txt")" "11"
is "without workers it is" "$(cat "$repo/j1/each/seen.txt")" "46"
is "site:append: the parts come in item order, after what was written before the call" \
  "$(tr '\n' ' ' < "$repo/j4/each/appended.txt")" "head $(seq 1 46 | tr '\n' ' ')tail "
is "the workers' spool files are gone" "$(ls -A "$repo/j4" | grep -c congkhai-each)" "0"
ok "every procedure's print sheet is there" test -f "$repo/j4/thu-tuc/9.000049/in/index.html"
ok "and its version pages" test -n "$(ls -d "$repo"/j4/thu-tuc/9.000012/phien-ban/*/ 2>/dev/null)"

# failures: the same in every mode; the last good site stays
for j in 1 4; do
  use dup
  status "-j $j: two items writing one file is an error" 3 build "$j" "$repo/j4"
  has "-j $j: it names both items and the file" "$repo/j4.err" "items 5 and 30 both wrote 'each/same.txt'"
  use mix 30
  status "-j $j: a file items append to written by one of them is an error" 3 build "$j" "$repo/j4"
  has "-j $j: it names the item and the file" "$repo/j4.err" "item 30 wrote 'each/appended.txt', which items append to"
  use unsafe 20
  status "-j $j: site:append outside the output is an error" 3 build "$j" "$repo/j4"
  has "-j $j: it says so" "$repo/j4.err" "unsafe output path '../outside.txt'"
  ok "-j $j: and writes nothing there" test ! -e "$repo/outside.txt"
  use carry
  status "-j $j: a build that appends to a file carried over, then fails" 3 build "$j" "$repo/j4"
  is "-j $j: leaves the last good site's file as it was" "$(cat "$repo/j4/each/carried.txt")" "A"
  use table 33
  status "-j $j: a table returned is an error" 3 build "$j" "$repo/j4"
  has "-j $j: it names the item" "$repo/j4.err" "returned a table for item 33"
  use error 30
  status "-j $j: a Lua error in an item stops the build" 3 build "$j" "$repo/j4"
  has "-j $j: the message names the plugin's file and line" "$repo/j4.err" "plugins/eachtest/init.lua:18: item failed at 30"
  is "-j $j: nothing an item after it said is said" "$(grep -c 'item 3[1-9]' "$repo/j4.err")" "0"
  is "-j $j: what the items before it said is said" "$(grep -c 'warning: item' "$repo/j4.err")" "30"
  use error 5
  status "-j $j: so does one in this process's own run" 3 build "$j" "$repo/j4"
  has "-j $j: with its message" "$repo/j4.err" "item failed at 5"
  use siteerror 25
  status "-j $j: site:error in an item is invalid content" 1 build "$j" "$repo/j4"
  has "-j $j: and says why" "$repo/j4.err" "item refused at 25"
  use loop 40
  export CONGKHAI_HOOK_SECONDS=1
  status "-j $j: an endless loop in an item runs out of time" 3 build "$j" "$repo/j4"
  unset CONGKHAI_HOOK_SECONDS
  has "-j $j: the sandbox says so" "$repo/j4.err" "ran out of time"
  ok "-j $j: the last good site stays" diff -r -x seen.txt "$repo/j1" "$repo/j4"
done
echo "1..$_n"
