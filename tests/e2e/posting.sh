# Posting boards, printed sheets and version pages (issue 11, SPEC §4),
# without a browser: which pages exist for which history, what they say,
# and that nothing breaks without git or in English. The QR codes
# themselves are decoded in tests/browser/posting.test.mjs.
. "$(dirname "$0")/lib.sh"
repo=$(mkrepo)
cd "$repo"
sed -i 's/fee: Miễn lệ phí/fee: 8.000 đồng/' content/procedures/ho-tich/dang-ky-khai-sinh.md
commit . "2024-03-01T09:00:00+07:00" "Sửa đổi lệ phí đăng ký khai sinh"
git rm -q content/procedures/chung-thuc/chung-thuc-ban-sao.md
commit . "2024-04-01T09:00:00+07:00" "Thôi công khai chứng thực bản sao"
status "the site builds" 0 "$CONGKHAI" build -C content -o out -q

V=out/thu-tuc/1.001193/phien-ban
is "one version page per day with a significant change" "$(ls $V | tr '\n' ' ')" "2024-01-15 2024-03-01 "
has "the current version says so" $V/2024-03-01/index.html "Đây là bản hiện hành"
has "an old version says it has changed, and since when" $V/2024-01-15/index.html "Bản công bố ngày 15/01/2024 đã được thay đổi (lần gần nhất ngày 01/03/2024)"
has "an old version shows the fee as it was, marked changed" $V/2024-01-15/index.html "<dd>Miễn lệ phí <strong class=\"badge badge-notyet\">đã thay đổi</strong>"
has "and the change since, old and new" $V/2024-01-15/index.html "<del>Miễn lệ phí</del> → <ins>8.000 đồng</ins>"
has "version pages point search engines at the procedure" $V/2024-01-15/index.html '<link rel="canonical" href="https://example.gov.vn/thu-tuc/1.001193/">'
has "and are not indexed" $V/2024-01-15/index.html '<meta name="robots" content="noindex">'
is "a deleted procedure keeps the page of its published version" "$(ls out/thu-tuc/2.000815/phien-ban | tr '\n' ' ')" "2024-01-15 "
has "which says since when it is no longer published" out/thu-tuc/2.000815/phien-ban/2024-01-15/index.html "đã thôi công khai từ ngày 01/04/2024"

S=out/thu-tuc/1.001193/in/index.html
has "the sheet shows the current fee" $S "<td>8.000 đồng</td>"
has "the sheet links its version page" $S "phien-ban/2024-03-01/"
has "the sheet has two QR codes as SVG" $S '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 41 41" class="qr"'
is "exactly two" "$(grep -o '<svg' $S | wc -l)" 2
has "the procedure page links its sheet" out/thu-tuc/1.001193/index.html 'href="/thu-tuc/1.001193/in/"'
has "the board of a field lists its procedures in force" out/niem-yet/ho-tich/index.html "1.001193"
is "one QR code per procedure on the board" "$(grep -o '<svg' out/niem-yet/ho-tich/index.html | wc -l)" 2
hasnt "a deleted procedure has no board" out/niem-yet/index.html "chung-thuc"
has "the boards are listed" out/niem-yet/index.html 'href="/niem-yet/ho-tich/"'

# an abolished procedure: off the board, its sheet says so
sed -i 's/^field: Hộ tịch$/field: Hộ tịch\nstatus: bãi bỏ/' content/procedures/ho-tich/dang-ky-ket-hon.md
commit . "2024-05-01T09:00:00+07:00" "Bãi bỏ thủ tục đăng ký kết hôn"
status "builds with an abolished procedure" 0 "$CONGKHAI" build -C content -o out -q
is "the abolished procedure leaves the board" "$(grep -o '<svg' out/niem-yet/ho-tich/index.html | wc -l)" 1
has "its sheet says it is abolished" out/thu-tuc/1.000894/in/index.html "đã bị bãi bỏ"
has "its last version says so" out/thu-tuc/1.000894/phien-ban/2024-05-01/index.html "Thủ tục này đã bị bãi bỏ"

# without git: sheets and boards, no version pages; English strings
plain=$TMPROOT/plain
cp -R "$FIXTURES/mini" "$plain"
printf 'language: en\n' >> "$plain/site.yaml"
status "a site outside git builds" 0 "$CONGKHAI" build -C "$plain" -o "$TMPROOT/pout" -q
ok "its sheets exist" test -f "$TMPROOT/pout/thu-tuc/1.001193/in/index.html"
ok "without history there are no version pages" test ! -e "$TMPROOT/pout/thu-tuc/1.001193/phien-ban"
hasnt "nor a version code on the sheet" "$TMPROOT/pout/thu-tuc/1.001193/in/index.html" "phien-ban"
has "the sheet speaks English" "$TMPROOT/pout/thu-tuc/1.001193/in/index.html" "Scan for the full, latest version"
has "Vietnamese content is marked lang=vi in the English UI" "$TMPROOT/pout/thu-tuc/1.001193/in/index.html" '<h1 lang="vi">Đăng ký khai sinh</h1>'
has "so is the procedure page's title" "$TMPROOT/pout/thu-tuc/1.001193/index.html" '<h1 lang="vi">'

# hostile titles are escaped on sheets and boards
sed -i 's/^title: Đăng ký khai sinh$/title: "<script>alert(1)<\/script> Đăng ký khai sinh"/' content/procedures/ho-tich/dang-ky-khai-sinh.md
commit . "2024-06-01T09:00:00+07:00" "minor: thử tiêu đề"
status "builds with markup in a title" 0 "$CONGKHAI" build -C content -o out -q
hasnt "the sheet escapes it" out/thu-tuc/1.001193/in/index.html "<script>alert"
hasnt "the board escapes it" out/niem-yet/ho-tich/index.html "<script>alert"
