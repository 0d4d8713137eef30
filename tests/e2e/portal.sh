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
