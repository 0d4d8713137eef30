# The sandbox against hostile templates and plugins (issue 8), with the real
# binary on a real repository: template text that closes the generated
# function, plugins changing what other plugins see, endless loops and
# memory bombs (budgets, exit 3 naming the plugin, previous site kept).
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
marker="$TMPROOT/pwned"
status "the site builds" 0 "$CONGKHAI" build -C content -o out
cp -R out keep

# 1. a content template that closes the function runs inside the sandbox
mkdir -p content/templates
printf '{%% end and os.execute("touch %s") and function(_ENV) local _o, _n = {}, 0 %%}\n' "$marker" > content/templates/404.html
status "a template escaping its function: exit 3" 3 "$CONGKHAI" build -C content -o out
has "it is stopped by the sandbox" "$TMPROOT/.out" "sandbox: os.execute is not allowed"
has "the message names the template file" "$TMPROOT/.out" "content/templates/404.html:1"
ok "the command did not run" test ! -e "$marker"
ok "the previous site is untouched" diff -r keep out
printf '{%% end and debug.getinfo(1) and function(_ENV) local _o, _n = {}, 0 %%}\n' > content/templates/404.html
status "debug from a template: exit 3" 3 "$CONGKHAI" build -C content -o out
has "debug is not allowed" "$TMPROOT/.out" "sandbox: debug is not allowed"
printf 'xyz{%%-%%}zyx\n' > content/templates/404.html
status "a tag of only trim marks builds" 0 "$CONGKHAI" build -C content -o out
has "and renders nothing for it" out/404.html "xyzzyx"
rm -rf content/templates

# 2. plugins cannot change what another plugin sees
mkdir -p content/plugins/evil content/plugins/early
cat > content/plugins/evil/init.lua <<'L'
return { name = "evil", setup = function(site)
  rawset(congkhai, "escape", tostring)
  rawset(congkhai, "template", function() return function() return "<script>evil()</script>" end end)
  local mt = getmetatable("")
  if mt then mt.__index = { upper = function() return "EVIL" end, format = string.format } end
  pcall(setmetatable, site, { __index = function() return "evil" end })
  pcall(setmetatable, site.pages[1], { __index = function() return "evil" end })
end }
L
cat > content/plugins/early/init.lua <<'L'
-- listed before the portal: its render uses the theme the portal made
return { name = "early", render = function(site)
  site:write("som/index.html", site.theme.page({ title = "Sớm <b>", body = "<p>thân</p>", url = "/som/" }))
  if ("a"):upper() ~= "A" then error("string methods were hijacked") end
end }
L
printf 'plugins: [evil, early, portal, search]\n' >> content/site.yaml
sed -i 's/^title: .*/title: "Cổng <img src=x onerror=alert(1)>"/' content/site.yaml
status "hostile plugins do not break the build" 0 "$CONGKHAI" build -C content -o out
has "the theme's page() works from a plugin listed before the portal" out/som/index.html "<title>Sớm &lt;b&gt;"
has "with the body it was given" out/som/index.html "<p>thân</p>"
has "the portal still escapes after rawset(congkhai, 'escape', tostring)" out/index.html "Cổng &lt;img src=x onerror=alert(1)&gt;"
hasnt "no raw script from a replaced template function" out/index.html "<script>evil()"
hasnt "no unescaped title" out/index.html "<img src=x onerror"
rm -rf content/plugins/evil content/plugins/early
sed -i '/^plugins: \[evil/d' content/site.yaml
git checkout -q content/site.yaml
status "the site builds again" 0 "$CONGKHAI" build -C content -o out
rm -rf keep && cp -R out keep

# 3. budgets: time and memory, not catchable by pcall, exit 3, the plugin named
mkdir -p content/plugins/robots
budget() { # name env lua expected
  printf '%s\n' "$3" > content/plugins/robots/init.lua
  env $2 timeout 120 "$CONGKHAI" build -C content -o out > err.txt 2>&1; r=$?
  is "$1: exit 3" "$r" "3"
  has "$1: message names the plugin" err.txt "$4"
  ok "$1: the previous site is untouched" diff -r keep out
}
budget "an endless loop" CONGKHAI_HOOK_SECONDS=1 \
  'return { name = "robots", render = function() while true do end end }' \
  "sandbox: plugin 'robots' ran out of time: a hook may use 1 s"
# the time the core spends writing a plugin's files is not the hook's,
# but a loop around site:write still runs out of it
budget "an endless loop of writes" CONGKHAI_HOOK_SECONDS=1 \
  'return { name = "robots", render = function(site) while true do site:write("x.txt", "x") end end }' \
  "sandbox: plugin 'robots' ran out of time"
budget "an endless loop behind pcall" CONGKHAI_HOOK_SECONDS=1 \
  'return { name = "robots", page = function() while true do pcall(function() while true do end end) end end }' \
  "sandbox: plugin 'robots' ran out of time"
budget "a memory bomb" CONGKHAI_HOOK_MIB=64 \
  'return { name = "robots", setup = function() local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1 << 20) .. i end end }' \
  "sandbox: plugin 'robots' ran out of memory: the plugins may use 64 MiB"
budget "a memory bomb behind pcall" CONGKHAI_HOOK_MIB=64 \
  'return { name = "robots", setup = function() while true do pcall(string.rep, "x", 1 << 30) end end }' \
  "sandbox: plugin 'robots' ran out of memory"
budget "one C call that runs on (the watchdog)" CONGKHAI_HOOK_SECONDS=1 \
  'return { name = "robots", render = function() return ("a"):rep(300000):find(("a*"):rep(12) .. "b") end }' \
  "plugin 'robots' (content/plugins/robots/init.lua) .*không dừng được"
is "the abandoned build left its temporary tree" "$(ls -a | grep -c '^\.out\.tmp-')" "1"
printf 'return { name = "robots" }\n' > content/plugins/robots/init.lua
status "the next build" 0 "$CONGKHAI" build -C content -o out
is "removes it" "$(ls -a | grep -c '^\.out\.tmp-')" "0"
rm -rf keep && cp -R out keep
budget "a finalizer" CONGKHAI_HOOK_SECONDS=1 \
  'return { name = "robots", setup = function() setmetatable({}, { __gc = function() while true do end end }) end }' \
  "sandbox: __gc metamethods are not allowed"
