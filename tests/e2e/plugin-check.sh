# site.yaml's plugin list (issue 12): "default" extends the default set;
# unknown plugins, misspelt hooks and undeclared options are errors in
# `check` and `build`, at the line, with "did you mean".
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
mkdir -p content/plugins
cp -R "$ROOT/docs/examples/word-count" content/plugins/
printf 'plugins: [default, word-count]\n' >> content/site.yaml
status "plugins: [default, word-count] builds" 0 "$CONGKHAI" build -C content -o out
ok "the default set ran (the portal's home page)" test -s out/index.html
ok "the default set ran (the search index)" test -s out/index.sqlite
ok "and the added plugin ran" test -s out/bao-cao/so-tu.json
"$CONGKHAI" plugins -C content > list.txt 2>&1
has "congkhai plugins lists the expansion" list.txt "^sitemap "
has "and the added plugin" list.txt "^word-count "
git checkout -q content/site.yaml

set_plugins() { git checkout -q content/site.yaml; printf '%s\n' "$@" >> content/site.yaml; }
line_of() { grep -n "$1" content/site.yaml | head -1 | cut -d: -f1; }

set_plugins "plugins: [portal, du-lieu-mo]"
status "an unknown plugin: check exits 1" 1 "$CONGKHAI" check -C content
has "it is named at its line" "$TMPROOT/.out" "content/site.yaml:$(line_of du-lieu-mo):[0-9]*: error: không tìm thấy plugin 'du-lieu-mo'"
status "and build exits 1" 1 "$CONGKHAI" build -C content -o out
set_plugins "plugins: [portl]"
status "a misspelt plugin: check exits 1" 1 "$CONGKHAI" check -C content
has "did you mean portal" "$TMPROOT/.out" "có phải ý bạn là 'portal'"

mkdir -p content/plugins/typo
cat > content/plugins/typo/init.lua <<'L'
local M = { name = "typo" }

function M.rendr(site)
  site:write("x.txt", "x")
end

return M
L
set_plugins "plugins: [portal, typo]"
status "a misspelt hook: check exits 1" 1 "$CONGKHAI" check -C content
has "it points at the function's line" "$TMPROOT/.out" "content/plugins/typo/init.lua:3:1: error: hook 'rendr' không tồn tại; có phải ý bạn là 'render'?"
status "and build exits 1" 1 "$CONGKHAI" build -C content -o out
printf 'local M = { name = "typo" }\nfunction M.helper() end\nreturn M\n' > content/plugins/typo/init.lua
status "a function that is no hook at all: check exits 1" 1 "$CONGKHAI" check -C content
has "it says what hooks are" "$TMPROOT/.out" "các hook là setup, page, render và finish"

set_plugins "plugins:" "  - portal" "  - name: word-count" "    min_word: 3"
status "a misspelt option: check exits 1" 1 "$CONGKHAI" check -C content
has "it points at the option" "$TMPROOT/.out" "content/site.yaml:$(line_of min_word):5: error: plugin 'word-count' không có tùy chọn 'min_word'; có phải ý bạn là 'min_words'?"
set_plugins "plugins:" "  - portal" "  - name: sitemap" "    limit: 3"
status "an option to a plugin that takes none: check exits 1" 1 "$CONGKHAI" check -C content
has "it says so" "$TMPROOT/.out" "plugin 'sitemap' không nhận tùy chọn nào"

# declared options are defaults that setup receives
cat > content/plugins/typo/init.lua <<'L'
local M = { name = "typo", options = { greeting = "xin chào", count = 2 } }
local got
function M.setup(site, options) got = options end
function M.render(site) site:write("opts.txt", got.greeting .. " " .. tostring(got.count)) end
return M
L
set_plugins "plugins:" "  - name: typo" "    count: 5"
status "declared options build" 0 "$CONGKHAI" build -C content -o out
is "setup gets the defaults with site.yaml's values over them" "$(cat out/opts.txt)" "xin chào 5"
status "and check is clean" 0 "$CONGKHAI" check -C content
