# The portal theme on a real git repository: every SPEC §4 URL, exact values
# on a procedure page, sub-path links, English UI, escaping, page weight.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
status "the mini site builds" 0 "$CONGKHAI" build -C content -o out
for u in index.html thu-tuc/index.html thu-tuc/1.001193/index.html linh-vuc/ho-tich/index.html \
  linh-vuc/index.html cap/xa/index.html cap/huyen/index.html cap/tinh/index.html co-quan/ubnd-cap-xa/index.html \
  tin-tuc/index.html tin-tuc/tin-thu-nghiem/index.html gioi-thieu/index.html thay-doi/index.html \
  tim-kiem/index.html feed.xml thay-doi/feed.xml sitemap.xml robots.txt 404.html assets/style.css; do
  ok "/$u exists" test -s "out/$u"
done
P=out/thu-tuc/1.001193/index.html
has "the procedure page shows its code" $P "Mã thủ tục: <strong>1.001193</strong>"
has "the procedure page shows the time limit" $P "<dd>01 ngày làm việc</dd>"
has "the procedure page shows the fee" $P "<dd>Miễn lệ phí</dd>"
has "the procedure page lists each document" $P "<li>Giấy chứng sinh <span class=\"counts\">Bản chính: 1</span></li>"
has "the procedure page has its sections as anchors" $P '<section id="thanh-phan-ho-so" class="section">'
has "the procedure page links the national portal's search" $P "ma_thu_tuc=1.001193"
has "the procedure page links feedback" $P "Phản ánh, kiến nghị về thủ tục này"
has "the procedure page shows the decision" $P "1450/QĐ-UBND ngày 14/6/2023"
has "the procedure page is in Vietnamese" $P '<html lang="vi">'
hasnt "the procedure page runs no script (its JSON-LD is data)" $P "<script\\( [^t]\\|>\\)"
size=$(( $(wc -c < $P) + $(wc -c < out/assets/style.css) ))
ok "the procedure page with its CSS weighs under 50 KB ($size bytes)" test $size -lt 51200
has "the catalog groups by field" out/thu-tuc/index.html '<h2><a href="/linh-vuc/chung-thuc/">Chứng thực</a></h2>'
has "the catalog lists the procedure with its code" out/thu-tuc/index.html '<span class="code">1.000894</span> Đăng ký kết hôn'
has "the official letter shows its number" out/tin-tuc/cong-van-mau/index.html "<dd>4945/UBND-NV</dd>"
has "the official letter shows its recipients" out/tin-tuc/cong-van-mau/index.html "<li>UBND các phường</li>"
has "the news list shows the date as dd/mm/yyyy" out/tin-tuc/index.html "01/03/2024"
has "the menu lists the standing page" out/index.html '<a href="/gioi-thieu/">Giới thiệu</a>'
has "the search page has its labelled input" out/tim-kiem/index.html '<label for="q">'
has "the search page says it needs JavaScript" out/tim-kiem/index.html "<noscript>"
has "the feed has absolute URLs" out/feed.xml "https://example.gov.vn/tin-tuc/tin-thu-nghiem/"
has "the sitemap has absolute URLs" out/sitemap.xml "<loc>https://example.gov.vn/thu-tuc/1.001193/</loc>"
has "robots.txt names the sitemap" out/robots.txt "Sitemap: https://example.gov.vn/sitemap.xml"

# a base URL with a sub-path: every root-relative link carries it
status "a sub-path build" 0 "$CONGKHAI" build -C content -o sub --base-url https://example.gov.vn/cong-khai/
bad=$(grep -rhoE '(href|src|action)="/[^"]*"' sub --include=*.html | grep -v '"/cong-khai/' | sort -u | head -5)
is "every href/src/action starts with the sub-path" "$bad" ""
has "the body's root-relative links carry the sub-path" sub/tin-tuc/tin-thu-nghiem/index.html 'href="/cong-khai/thu-tuc/1.001193/"'
has "canonical URLs carry the sub-path" sub/thu-tuc/1.001193/index.html 'rel="canonical" href="https://example.gov.vn/cong-khai/thu-tuc/1.001193/"'

# aliases redirect
printf 'aliases: [/thu-tuc/cu/khai-sinh/]\n' > /tmp/alias.$$
sed -i "/^online: toàn trình/r /tmp/alias.$$" content/procedures/ho-tich/dang-ky-khai-sinh.md; rm -f /tmp/alias.$$
status "a site with an alias builds" 0 "$CONGKHAI" build -C content -o out
has "the alias redirects to the page" out/thu-tuc/cu/khai-sinh/index.html 'http-equiv="refresh" content="0; url=/thu-tuc/1.001193/"'

# English
sed -i 's/^title: Cổng thử nghiệm/title: Test portal\nlanguage: en/' content/site.yaml
status "an English site builds" 0 "$CONGKHAI" build -C content -o en
has "the English page is marked en" en/thu-tuc/1.001193/index.html '<html lang="en">'
has "the English labels are used" en/thu-tuc/1.001193/index.html "Procedure code: <strong>1.001193</strong>"
hasnt "no Vietnamese UI label is left" en/thu-tuc/1.001193/index.html "Mã thủ tục"

# hostile front matter and bodies are escaped
cat > content/news/xss.md <<'X'
---
title: "<script>alert(1)</script> & \"x\""
date: 2024-05-01
summary: "<img src=x onerror=alert(2)>"
---
<script>alert(3)</script>
X
status "hostile content builds" 0 "$CONGKHAI" build -C content -o h
hasnt "a hostile title is escaped on its page" h/tin-tuc/xss/index.html "<script>alert(1)"
has "the title shows as text" h/tin-tuc/xss/index.html "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"
hasnt "a hostile summary is escaped in lists" h/tin-tuc/index.html "<img src=x"
hasnt "a hostile title is escaped in the feed" h/feed.xml "<script>"

# shared links and structured data: GovernmentService JSON-LD, Open Graph
ld=$(sed -n 's|.*<script type="application/ld+json">\(.*\)</script>.*|\1|p' $P | python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
print(j["@type"], j["identifier"], j["name"], j["provider"]["name"], j["description"])' 2>&1)
is "the procedure page has GovernmentService JSON-LD with its code, name, provider, time and fee" "$ld" \
  "GovernmentService 1.001193 Đăng ký khai sinh UBND cấp xã Thời hạn giải quyết: 01 ngày làm việc. Phí, lệ phí: Miễn lệ phí"
has "Open Graph title" $P '<meta property="og:title" content="Đăng ký khai sinh">'
has "Open Graph description with code, time and fee" $P '<meta property="og:description" content="Mã thủ tục 1.001193. Thời hạn giải quyết: 01 ngày làm việc. Phí, lệ phí: Miễn lệ phí">'
has "Open Graph URL is the canonical one" $P '<meta property="og:url" content="https://example.gov.vn/thu-tuc/1.001193/">'
has "articles are Open Graph articles" out/tin-tuc/tin-thu-nghiem/index.html '<meta property="og:type" content="article">'
has "every page names the favicon" out/index.html '<link rel="icon" href="/favicon.ico"'
ok "which exists, an ICO" sh -c "head -c 4 out/favicon.ico | od -An -tx1 | grep -q '00 00 01 00'"
has "the procedure page offers its own feed" $P '<link rel="alternate" type="application/atom+xml" title="Thay đổi của thủ tục 1.001193" href="/thu-tuc/1.001193/feed.xml">'
hasnt "no commit ids on pages" $P 'class="commit"'
has "the first publication is said so" $P 'Đăng lần đầu'
hasnt "not by the first commit's subject" $P 'Công bố danh mục thủ tục'

# one count rule: procedures in force, the same on home, catalog, field and agency pages
cd "$(mkrepo)"
cat > content/procedures/ho-tich/cu.md <<'X'
---
code: "9.000001"
title: Thủ tục cũ đã bãi bỏ
field: Hộ tịch
level: xã
agency: UBND cấp xã
processing_time: 01 ngày
fee: Không
online: không
status: bãi bỏ
---
## Trình tự thực hiện
- Nộp hồ sơ.
## Thành phần hồ sơ
- Tờ khai.
## Căn cứ pháp lý
- Luật.
X
status "builds with an abolished procedure" 0 "$CONGKHAI" build -C content -o c -q
is "home counts Hộ tịch's procedures in force" "$(grep -o 'Hộ tịch<span class="count">[^<]*' c/index.html)" 'Hộ tịch<span class="count">2 thủ tục'
is "the catalog's chip agrees" "$(grep -o 'Hộ tịch <span class="count">[^<]*' c/thu-tuc/index.html)" 'Hộ tịch <span class="count">2'
has "the field page agrees" c/linh-vuc/ho-tich/index.html '<p>2 thủ tục</p>'
is "the agency index agrees with the agency page" "$(grep -o 'ubnd-cap-xa/">UBND cấp xã</a> <span class="count">[^<]*' c/co-quan/index.html)" 'ubnd-cap-xa/">UBND cấp xã</a> <span class="count">1'
has "the agency page" c/co-quan/ubnd-cap-xa/index.html '<p>1 thủ tục</p>'
has "the catalog total counts procedures in force" c/thu-tuc/index.html 'Danh mục 3 thủ tục hành chính đang có hiệu lực'
