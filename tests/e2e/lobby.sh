# The lobby screen (plugins/lobby/, /bang-tin/): a standalone page for the
# one-stop desk's notice board. Recent changes with the first publication
# shown as such (never the first commit's subject), campaigns and notices,
# the latest 766 result, the contact; CSS-only rotation with a
# reduced-motion fallback, a refresh, escaping, and sites without history.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
L=out/bang-tin/index.html

# a significant change to one procedure, a minor one, a campaign, a notice, news
sed -i 's/^processing_time:.*/processing_time: "02 ngày làm việc"/' content/procedures/chung-thuc/chung-thuc-ban-sao.md
commit "$repo" "2024-03-05T09:00:00+07:00" "Rút ngắn thời hạn chứng thực <b>còn 02 ngày</b>"
sed -i 's/^title: \(.*\)/title: \1 /' content/procedures/ho-tich/dang-ky-khai-sinh.md
commit "$repo" "2024-03-06T09:00:00+07:00" "minor: sửa khoảng trắng"
cat > content/news/chien-dich-mau.md <<'EOF'
---
title: "Chiến dịch <script>alert(1)</script> dịch vụ công"
date: 2024-04-01
kind: chien-dich
summary: "Mỗi người dân một tài khoản & <i>mỗi</i> thủ tục niêm yết đủ."
---
Nội dung.
EOF
cat > content/news/thong-bao-mau.md <<'EOF'
---
title: Thông báo lịch nghỉ lễ
date: 2024-04-20
kind: thong-bao
summary: Bộ phận một cửa nghỉ lễ 30/4 và 1/5.
---
Nội dung.
EOF
cat > content/news/tin-thuong.md <<'EOF'
---
title: Tin thường không lên bảng tin
date: 2024-05-01
summary: Tin tức.
---
Nội dung.
EOF
mkdir -p content/data
cat > content/data/chi-so-766.yaml <<'EOF'
source: Thông báo số 12/TB-VPUBND
groups:
  - { key: a, name: "Nhóm A", max: 50 }
  - { key: b, name: "Nhóm B", max: 50 }
results:
  - { period: "2024-04", unit: "Phường Thử Nghiệm", total: 79.5, rank: 5, of: 8, label: Khá, scores: { a: 40, b: 39.5 } }
  - { period: "2024-05", unit: "Phường Thử Nghiệm", total: "82,4", rank: 3, of: 8, label: Tốt, scores: { a: 41, b: 41.4 } }
EOF
commit "$repo" "2024-05-02T09:00:00+07:00" "Tin bài tháng 4"

status "the site builds" 0 "$CONGKHAI" build -C content -o out
ok "the lobby page is at /bang-tin/" test -f "$L"
has "it is a whole document in the site's language" "$L" '<html lang="vi">'
has "it reloads itself every 10 minutes to pick up rebuilds" "$L" 'setTimeout(function () { location.reload(); }, 600000)'
hasnt "not with meta refresh (WCAG 2.2.1)" "$L" 'http-equiv="refresh"'
hasnt "it is standalone: no portal menu or stylesheet" "$L" 'style.css\|class="site-header"'
hasnt "it rotates with no JavaScript (the one script only reloads)" "$L" "<script src\\|function rotate\\|setInterval"
hasnt "and has no links to follow" "$L" '<a '
has "its base font is at least 32 px on a 1920 px screen (1.9vw = 36.5 px)" "$L" 'html{font-size:clamp(18px,1.9vw,72px)}'

# (a) recent changes
has "the changes slide is there" "$L" '<h2 id="trang-1-h">Thủ tục hành chính mới cập nhật</h2>'
has "a significant change shows its date, code and note, escaped" "$L" \
  '<p class="what"><span class="meta"><time datetime="2024-03-05">05/03/2024</time> · <span class="code">2.000815</span></span> Chứng thực bản sao'
has "with its note, escaped" "$L" 'Rút ngắn thời hạn chứng thực &lt;b&gt;còn 02 ngày&lt;/b&gt;'
has "a first publication is shown as such" "$L" '<p class="note first">Đăng lần đầu</p>'
hasnt "never as the first commit's subject" "$L" "Công bố danh mục thủ tục"
hasnt "a minor change is not listed" "$L" "sửa khoảng trắng"
is "changes are newest first" "$(grep -o 'datetime="2024-0[0-9]-[0-9]*">' "$L" | head -2 | tr '\n' '|')" \
  'datetime="2024-03-05">|datetime="2024-01-15">|'
is "each procedure's first publication is listed once" "$(grep -c 'Đăng lần đầu' "$L")" "3"

# (b) campaigns and notices
has "a campaign has its own slide" "$L" '<h2 id="trang-3-h">Chiến dịch</h2>'
has "a notice too, newest first" "$L" '<h2 id="trang-2-h">Thông báo</h2>'
has "a title is escaped" "$L" 'Chiến dịch &lt;script&gt;alert(1)&lt;/script&gt; dịch vụ công'
has "a summary is escaped" "$L" 'Mỗi người dân một tài khoản &amp; &lt;i&gt;mỗi&lt;/i&gt; thủ tục niêm yết đủ.'
hasnt "ordinary news is left out" "$L" "Tin thường không lên bảng tin"

# (c) the latest 766 result
has "the 766 slide shows the latest period" "$L" 'Kết quả tháng 5/2024'
has "with the total, Vietnamese style" "$L" '<span class="big">82,4</span> điểm trên 100'
has "the rank and label" "$L" 'Xếp hạng 3/8 · Xếp loại Tốt'
hasnt "not an older period" "$L" '79,5'

# (d) contact
has "the contact slide gives the phone" "$L" '<dt>Điện thoại</dt><dd>0254 000 000</dd>'
has "and the site's address" "$L" '<p class="web">Tra cứu thủ tục tại <strong>example.gov.vn</strong></p>'
has "each slide says where it is in the cycle" "$L" '<p class="count">Trang 5/5</p>'

# the rotation: CSS only, reduced motion respected
has "slides rotate with CSS keyframes" "$L" '@keyframes lobby-rotate{0%{opacity:1;visibility:visible}20%{opacity:0;visibility:hidden}'
has "one cycle is 5 slides of 12 s" "$L" '.rotate .slide{animation:lobby-rotate 60s step-end infinite}'
has "each slide starts 12 s after the one before" "$L" '.rotate .slide:nth-child(5){animation-delay:48s}'
has "rotation only when motion is welcome" "$L" '@media (prefers-reduced-motion: no-preference){'
has "with reduced motion the slides are stacked, not animated" "$L" \
  '@media (prefers-reduced-motion: reduce){'
has "and shown all at once" "$L" '.slide,.rotate .slide{position:static;opacity:1;visibility:visible;animation:none}'

# options: seconds and limit
cp content/site.yaml "$TMPROOT/site.yaml"
printf 'plugins:\n  - portal\n  - results\n  - name: lobby\n    seconds: 20\n    limit: 2\n' >> content/site.yaml
status "options are accepted" 0 "$CONGKHAI" build -C content -o out
has "seconds sets the time per slide" "$L" '.rotate .slide:nth-child(2){animation-delay:20s}'
is "limit caps the changes listed" "$(grep -c '<li><p class="what">' "$L")" "2"
printf 'plugins:\n  - name: lobby\n    seconds: "không"\n' > content/site.yaml.tail
cp "$TMPROOT/site.yaml" content/site.yaml; cat content/site.yaml.tail >> content/site.yaml; rm content/site.yaml.tail
status "a bad option is a warning, not a failure" 0 "$CONGKHAI" build -C content -o out
has "the warning says what was used" "$TMPROOT/.out" "warning: lobby: 'seconds' phải là số từ 3 đến 600; dùng 12"

# English
cp "$TMPROOT/site.yaml" content/site.yaml
printf 'language: en\n' >> content/site.yaml
status "an English site builds" 0 "$CONGKHAI" build -C content -o out
has "the page is in English" "$L" '<html lang="en">'
has "a first publication reads 'First published'" "$L" '<p class="note first">First published</p>'
hasnt "and no Vietnamese label is left" "$L" 'Đăng lần đầu\|Liên hệ\|Xếp hạng'
has "the 766 total uses a decimal point" "$L" '<span class="big">82.4</span> points out of 100'
cp "$TMPROOT/site.yaml" content/site.yaml

# a site without history: a plain directory, not git
plain="$TMPROOT/plain"
mkdir -p "$plain"
cp -R "$FIXTURES/mini/." "$plain/"
status "a site without git builds" 0 "$CONGKHAI" build -C "$plain" -o "$TMPROOT/plain-out"
P="$TMPROOT/plain-out/bang-tin/index.html"
ok "and has a lobby page" test -f "$P"
hasnt "without a changes slide" "$P" "Thủ tục hành chính mới cập nhật"
has "the contact still shows" "$P" '<dd>0254 000 000</dd>'
hasnt "a single slide does not rotate" "$P" 'class="slides rotate"'

# nothing at all to show: the site's title and address
printf 'title: "Cổng <thử> nghiệm"\nbase_url: https://example.gov.vn/\n' > "$plain/site.yaml"
status "a site with nothing for the board builds" 0 "$CONGKHAI" build -C "$plain" -o "$TMPROOT/plain-out"
has "the one slide is the site's title, escaped" "$P" '<h2 id="trang-1-h">Cổng &lt;thử&gt; nghiệm</h2>'
has "with the site's address" "$P" '<strong>example.gov.vn</strong>'
