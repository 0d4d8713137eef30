# congkhai init and finding the site from anywhere in it (issue 12): a new
# site builds and checks clean as made; commands run in a sub-folder find
# the content root upward, as git does; the output lands beside content/,
# relative to where the user stands, and never inside the content tree.
. "$(dirname "$0")/lib.sh"
cd "$TMPROOT"
status "init makes a site" 0 "$CONGKHAI" init moi
for f in content/site.yaml content/procedures/ho-tich/dang-ky-khai-sinh.md content/news/cong-di-vao-hoat-dong.md \
    content/pages/gioi-thieu.md content/data content/static .gitignore; do
  ok "init made $f" test -e "moi/$f"
done
has "the .gitignore keeps the built site out of git" moi/.gitignore "^/site/$"
status "init again is refused" 1 "$CONGKHAI" init moi
has "and says so" "$TMPROOT/.out" "đã có một cổng"
cd moi
git init -q -b main && git add -A && commit . "2024-05-01T09:00:00+07:00" "Khởi tạo cổng"
status "the new site checks clean" 0 "$CONGKHAI" check
hasnt "with no warning" "$TMPROOT/.out" "warning"
status "and builds from its root" 0 "$CONGKHAI" build
ok "into site/ beside content/" test -s site/thu-tuc/1.001193/index.html
is "git sees nothing new after the build" "$(git status --porcelain)" ""

# from inside the content tree
cd content/procedures/ho-tich
status "build from a sub-folder of the content" 0 "$CONGKHAI" build
ok "finds the root upward and writes site/ beside content/" test -s ../../../site/index.html
ok "nothing is written inside the content tree" test ! -e site -a ! -e ../site -a ! -e ../../site
status "check from there" 0 "$CONGKHAI" check
status "new from there writes into the content root" 0 "$CONGKHAI" new page "Liên hệ"
ok "the page is in content/pages/" test -s ../../pages/lien-he.md
rm ../../pages/lien-he.md
status "-o is relative to where the user stands" 0 "$CONGKHAI" build -o ../../../ngoai
ok "so ../../../ngoai is beside content/" test -s ../../../ngoai/index.html
status "an output inside the content tree is refused" 2 "$CONGKHAI" build -o ../../khong-duoc
has "with a reason" "$TMPROOT/.out" "không ghi trang vào bên trong thư mục nội dung"
ok "and nothing is written there" test ! -e ../../khong-duoc
cd ../../..
status "an output in a content folder is refused" 2 "$CONGKHAI" build -o content/static/x
is "git still sees nothing new" "$(git status --porcelain)" "?? ngoai/"

# a site whose root holds site.yaml itself (no content/ folder)
cd "$TMPROOT" && mkdir -p phang && cp -R moi/content/. phang/ && cd phang/news
status "a flat site builds from a sub-folder" 0 "$CONGKHAI" build
ok "into site/ in its root" test -s ../site/index.html
status "an output in one of its content folders is refused" 2 "$CONGKHAI" build -o ../procedures/x

# new where there is no site says how to start one
mkdir -p "$TMPROOT/rong" && cd "$TMPROOT/rong"
status "new without a site: usage error" 2 "$CONGKHAI" new procedure "Thử"
has "it says to run congkhai init" "$TMPROOT/.out" "hãy tạo bằng 'congkhai init'"
ok "and writes nothing" test ! -e procedures
