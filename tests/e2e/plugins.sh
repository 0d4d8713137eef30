# Plugins on a real repository: the documented worked example, options,
# shadowing a built-in, `congkhai plugins`, site:error (exit 1), Lua errors
# and sandbox violations (exit 3, previous site kept), template errors.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
mkdir -p content/plugins
cp -R "$ROOT/docs/examples/word-count" content/plugins/
cat >> content/site.yaml <<'Y'
plugins:
  - portal
  - name: word-count
    min_words: 1000
Y
status "the worked example builds" 0 "$CONGKHAI" build -C content -o out
has "it writes its JSON report" out/bao-cao/so-tu.json '"code":"1.000894"'
has "it renders through the portal's layout" out/bao-cao/so-tu/index.html '<a class="skip" href="#main">'
has "it renders its own template" out/bao-cao/so-tu/index.html "Số từ của mỗi thủ tục"
"$CONGKHAI" build -C content -o out > err.txt 2>&1
has "options reach setup: min_words 1000 warns about a short page" err.txt "content/procedures/ho-tich/dang-ky-khai-sinh.md:1:1: warning: only"
cp -R out keep

status "congkhai plugins exits 0" 0 "$CONGKHAI" plugins -C content
has "it lists the built-in portal" "$TMPROOT/.out" "portal .*built-in"
has "it lists the site plugin with its hooks" "$TMPROOT/.out" "hooks: setup page render"
has "it says where the site plugin came from" "$TMPROOT/.out" "content/plugins/word-count/init.lua"

# a site plugin shadows the built-in of the same name
mkdir -p content/plugins/robots
cat > content/plugins/robots/init.lua <<'L'
return { name = "robots", render = function(site)
  site:write("robots.txt", "riêng\n")
  -- a reader: its strings are written in order until it returns nil
  local i = 0
  site:write("parts.txt", function() i = i + 1; if i <= 2 then return ({ "một ", "hai\n" })[i] end end)
  local j = 0
  site:write("empty-end.txt", function() j = j + 1; return ({ "x", "" , "never" })[j] end)
  -- many small strings and a large one: written in pieces, in order
  local k = 0
  site:write("many.txt", function()
    k = k + 1
    if k <= 3000 then return string.format("%05d ", k) .. string.rep("x", 94) end
    if k == 3001 then return string.rep("y", 200000) end
  end)
end }
L
sed -i 's/^  - portal$/  - portal\n  - robots/' content/site.yaml
status "a shadowing plugin builds" 0 "$CONGKHAI" build -C content -o out
is "the site's robots plugin replaced the built-in one" "$(cat out/robots.txt)" "riêng"
is "site:write with a reader writes its strings in order" "$(cat out/parts.txt)" "một hai"
is "a reader's empty string ends the file" "$(cat out/empty-end.txt)" "x"
python3 -c 'import sys; sys.stdout.write("".join("%05d " % k + "x" * 94 for k in range(1, 3001)) + "y" * 200000)' > many.want
ok "a reader's many strings and a large one are written whole and in order" cmp out/many.txt many.want
"$CONGKHAI" plugins -C content > list.txt 2>&1
has "congkhai plugins shows robots from the site" list.txt "robots .*site .*content/plugins/robots/init.lua"
rm -rf keep && cp -R out keep

# failures: each exits with its status and leaves the last site as it was
fail_with() { # name status lua-body expected-text
  printf '%s\n' "$3" > content/plugins/robots/init.lua
  "$CONGKHAI" build -C content -o out > err.txt 2>&1; r=$?
  is "$1: exit $2" "$r" "$2"
  has "$1: message" err.txt "$4"
  ok "$1: the previous site is untouched" diff -r keep out
}
fail_with "a Lua error" 3 'return { name = "robots", render = function(site)
  local x = nil
  return x.y
end }' "plugin 'robots' (content/plugins/robots/init.lua).*"
has "a Lua error names the file and line" err.txt "content/plugins/robots/init.lua:3: attempt to index"
has "a Lua error comes with a traceback" err.txt "stack traceback:"
fail_with "os.execute" 3 'return { name = "robots", setup = function() os.execute("touch /tmp/pwned") end }' "sandbox: os.execute is not allowed"
fail_with "io.popen" 3 'return { name = "robots", setup = function() io.popen("id") end }' "sandbox: io.popen is not allowed"
fail_with "debug" 3 'return { name = "robots", setup = function() debug.getinfo(1) end }' "sandbox: debug is not allowed"
fail_with "package.loadlib" 3 'return { name = "robots", setup = function() package.loadlib("x", "y") end }' "sandbox: package is not allowed"
fail_with "writing a file" 3 'return { name = "robots", setup = function() io.open("x.txt", "w") end }' "sandbox: io.open with mode 'w' is not allowed"
fail_with "reading outside" 3 'return { name = "robots", setup = function() io.open("/etc/passwd") end }' "outside the plugin's folder"
fail_with "writing outside the output" 3 'return { name = "robots", render = function(site) site:write("../evil.txt", "x") end }' "unsafe output path"
ok "nothing was written outside the output" test ! -e evil.txt
fail_with "a reader that returns a table" 3 'return { name = "robots", render = function(site)
  local n = 0
  site:write("big.txt", function() n = n + 1; return n == 1 and "a" or {} end)
end }' "the reader of 'big.txt' returned a table, not a string"
fail_with "a reader that fails" 3 'return { name = "robots", render = function(site)
  site:write("big.txt", function() error("hỏng giữa chừng") end)
end }' "hỏng giữa chừng"
fail_with "a reader outside the output" 3 'return { name = "robots", render = function(site)
  site:write("../evil.txt", function() return nil end)
end }' "unsafe output path"
ok "nothing was written outside the output by a reader" test ! -e evil.txt
fail_with "site:error" 1 'return { name = "robots", page = function(p, site) if p.kind == "article" then site:error("thiếu ảnh minh họa", p) end end }' "content/news/cong-van-mau.md:1:1: error: thiếu ảnh minh họa"
fail_with "a template error" 3 'return { name = "robots", render = function(site) congkhai.template("a\n{{ nil + 1 }}", "t.html")({}) end }' "t.html:2: attempt to perform arithmetic"

printf 'return { name = "robots" }\n' > content/plugins/robots/init.lua
sed -i 's/^  - robots$/  - robotz/' content/site.yaml
status "an unknown plugin is a content error" 1 "$CONGKHAI" build -C content -o out
has "it names the plugin" "$TMPROOT/.out" "content/site.yaml:[0-9]*:[0-9]*: error: .*robotz"

# site:page without the portal: a bare document, with the scripts asked for
bare=$TMPROOT/bare
cp -R "$FIXTURES/mini" "$bare"
printf 'plugins: [changes, search]\n' >> "$bare/site.yaml"
status "a site without the portal builds" 0 "$CONGKHAI" build -C "$bare" -o "$TMPROOT/bare-out" -q
has "site:page makes a whole document without a theme" "$TMPROOT/bare-out/thay-doi/index.html" '<title>Thay đổi gần đây</title></head><body><main><h1>'
has "the search page carries its script" "$TMPROOT/bare-out/tim-kiem/index.html" '<script type="module" async>(function () {'

# congkhai.clip counts characters, not bytes
mkdir -p "$bare/plugins/clipper"
cat > "$bare/plugins/clipper/init.lua" <<'L'
return { name = "clipper", render = function(site)
  site:write("clip.txt", table.concat({ congkhai.clip("Đăng ký", 7), congkhai.clip("Đăng ký", 6),
    congkhai.clip("Đăng ký khai sinh", 4), congkhai.clip("", 1) }, "|"))
  site:write("p/index.html", site:page({ title = "P", body = "<p>x</p>", scripts = { "p/a.js" } }))
end }
L
# the bulky page fields are made when read, and behave as fields
mkdir -p "$bare/plugins/lazy"
cat > "$bare/plugins/lazy/init.lua" <<'L'
return { name = "lazy", render = function(site)
  local out = {}
  for _, p in ipairs(site.procedures) do
    local listed = {}
    for k in pairs(p) do listed[k] = true end
    local s = p.sections[1]
    out[#out + 1] = table.concat({ p.url, tostring(#p.html > 0 and p.html:find("<", 1, true) ~= nil),
      tostring(#p.text > 0 and not p.text:find("<", 1, true)), tostring(p.intro ~= nil),
      tostring(p.html == p.html), tostring(s.html:find("<li>", 1, true) ~= nil or s.html:find("<p>", 1, true) ~= nil),
      tostring(type(s.items) == "table" and type(s.entries) == "table" and #s.items == #s.entries),
      tostring(listed.html == nil and listed.text == nil), tostring(getmetatable(p)),
      tostring(p.section[s.id].text == s.text) }, " ")
    p.html = "shadowed"
    out[#out + 1] = p.html .. " " .. tostring(rawget(p, "html"))
  end
  site:write("lazy.txt", table.concat(out, "\n"))
end }
L
sed -i 's/^plugins: \[changes, search\]$/plugins: [lazy]/' "$bare/site.yaml"
status "a plugin reads the bulky page fields" 0 "$CONGKHAI" build -C "$bare" -o "$TMPROOT/lazy-out" -q
is "html, text, intro and sections' html, items and entries are there, not listed by pairs, the metatable locked" \
  "$(sed -n 1p "$TMPROOT/lazy-out/lazy.txt" | cut -d' ' -f2-)" "true true true true true true true false true"
is "and a plugin's assignment shadows them" "$(sed -n 2p "$TMPROOT/lazy-out/lazy.txt")" "shadowed shadowed"
sed -i 's/^plugins: \[lazy\]$/plugins: [changes, search]/' "$bare/site.yaml"

# ix:add reads a page's text from the core (not copied), unless a plugin set its own
mkdir -p "$bare/plugins/retext"
cat > "$bare/plugins/retext/init.lua" <<'L'
return { name = "retext", page = function(p)
  if p.meta.code == "1.000894" then p.text = "zqxwv" end
end }
L
sed -i 's/^plugins: \[changes, search\]$/plugins: [retext, search]/' "$bare/site.yaml"
status "a plugin sets a page's text before the search plugin indexes it" 0 "$CONGKHAI" build -C "$bare" -o "$TMPROOT/retext-out" -q
found() { "$CONGKHAI" search -o "$TMPROOT/retext-out" --json "$@" | grep -o '"url":"/thu-tuc/[^"]*"' | tr '\n' ' '; }
is "the index takes the plugin's text" "$(found zqxwv)" '"url":"/thu-tuc/1.000894/" '
is "instead of the page's own (its body alone says tự nguyện)" "$(found nguyen)" ""
is "a page no plugin touched is indexed with its body" "$(found 'chứng sinh' | grep -o 1.001193)" "1.001193"
sed -i 's/^plugins: \[retext, search\]$/plugins: [changes, search]/' "$bare/site.yaml"

sed -i 's/^plugins: \[changes, search\]$/plugins: [clipper]/' "$bare/site.yaml"
status "a plugin clips text" 0 "$CONGKHAI" build -C "$bare" -o "$TMPROOT/clip-out" -q
is "clip keeps what fits and cuts by characters with an ellipsis" "$(cat "$TMPROOT/clip-out/clip.txt")" "Đăng ký|Đăng …|Đăn…|"
has "site:page without a theme loads the scripts asked for, at the base path" "$TMPROOT/clip-out/p/index.html" '<script defer src="/p/a.js"></script></head>'
