# Symbolic links and .git (issue 8, SPEC §7): nothing is read through a link
# that leaves the content tree or a plugin's folder, nothing under .git is
# readable or published; check and build both fail on such a link.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
echo "TOP-SECRET" > "$TMPROOT/secret.txt"
mkdir -p "$TMPROOT/outside" && echo "OUTSIDE-SECRET" > "$TMPROOT/outside/secret.txt"
status "the site builds" 0 "$CONGKHAI" build -C content -o out
cp -R out keep

# a template that is a link to a file outside
mkdir -p content/templates content/static
ln -s "$TMPROOT/secret.txt" content/templates/404.html
status "templates/404.html -> outside: build exits 1" 1 "$CONGKHAI" build -C content -o out
has "it names the link" "$TMPROOT/.out" "content/templates/404.html: error: "
ok "the previous site is kept" diff -r keep out
ok "nothing was published" sh -c '! grep -r TOP-SECRET out'
status "check exits 1 too" 1 "$CONGKHAI" check -C content
rm content/templates/404.html

# a static file that is a link into the repository's .git
ln -s ../../.git/config content/static/cfg.txt
status "static/cfg.txt -> .git/config: build exits 1" 1 "$CONGKHAI" build -C content -o out
has "the link is refused" "$TMPROOT/.out" "content/static/cfg.txt: error: "
ok "the git config is not published" test ! -e out/cfg.txt
status "check exits 1 for it" 1 "$CONGKHAI" check -C content
rm content/static/cfg.txt

# the content root is the repository itself: .git is still out of reach
cp -R content/. ./
mkdir -p static && ln -sf ../.git/config static/cfg.txt
status "a link into .git from a root content dir: build exits 1" 1 "$CONGKHAI" build -C . -o out2
ok "nothing from .git is published" sh -c '! grep -rq "repositoryformatversion" out2 2>/dev/null'
rm -rf static/cfg.txt
mkdir -p plugins/peek
cat > plugins/peek/init.lua <<'L'
return { name = "peek", render = function(site)
  local f = io.open(".git/config")
  if f then site:write("leak.txt", f:read("a")) end
  local ok = pcall(congkhai.read, ".git/HEAD")
  if ok then site:write("leak2.txt", "x") end
  pcall(site.copy, site, ".git/config", "leak3.txt")
end }
L
printf 'plugins: [peek]\n' >> site.yaml
status "a plugin looking into .git builds" 0 "$CONGKHAI" build -C . -o out3
ok "io.open('.git/config') read nothing" test ! -e out3/leak.txt
ok "congkhai.read('.git/HEAD') read nothing" test ! -e out3/leak2.txt
ok "site:copy('.git/config') copied nothing" test ! -e out3/leak3.txt
git checkout -q -- . 2>/dev/null; git clean -qfd -e out -e keep 2>/dev/null

# a top-level folder that is a link to a folder outside
rm -rf content/static && ln -s "$TMPROOT/outside" content/static
status "static -> an outside folder: build exits 1" 1 "$CONGKHAI" build -C content -o out
has "the folder link is refused" "$TMPROOT/.out" "content/static: error: "
ok "its files are not published" sh -c '! grep -r OUTSIDE-SECRET out'
status "check exits 1 for it" 1 "$CONGKHAI" check -C content
rm content/static
ln -s "$TMPROOT/outside" content/data
status "data -> an outside folder: build exits 1" 1 "$CONGKHAI" build -C content -o out
rm content/data
mv content/procedures "$TMPROOT/procs-all" && ln -s "$TMPROOT/procs-all" content/procedures
status "procedures -> an outside folder: build exits 1" 1 "$CONGKHAI" build -C content -o out
has "the top-level link is named" "$TMPROOT/.out" "content/procedures: error: "
rm content/procedures && mv "$TMPROOT/procs-all" content/procedures

# links that stay inside the tree still work
mkdir -p content/static/forms
echo "mẫu đơn" > content/static/forms/mau.txt
ln -s forms/mau.txt content/static/mau-don.txt
status "a link inside the tree builds" 0 "$CONGKHAI" build -C content -o out
is "and is published with the target's content" "$(cat out/mau-don.txt)" "mẫu đơn"
ln -s forms content/static/forms-link
status "a link to a folder inside builds" 0 "$CONGKHAI" build -C content -o out
has "with a warning that it is not followed" "$TMPROOT/.out" "content/static/forms-link: warning: liên kết tượng trưng tới một thư mục"
ln -s .. content/static/loop
status "a link cycle ends" 0 timeout 60 "$CONGKHAI" build -C content -o out
rm content/static/forms-link content/static/loop

# a committed symlink (git mode 120000), built with --rev
ln -s /etc/passwd content/static/passwd.txt
commit . "2024-02-01T09:00:00+07:00" "minor: thêm liên kết"
status "--rev with a committed link: exit 1" 1 "$CONGKHAI" build -C content -o out --rev HEAD
has "the committed link is refused" "$TMPROOT/.out" "content/static/passwd.txt: error: "
ok "its target is not published" sh -c '! grep -rq "root:" out'
ok "nor the link itself" test ! -e out/passwd.txt
