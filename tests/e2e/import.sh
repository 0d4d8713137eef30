# congkhai import: procedures from the national portal's procedure JSON,
# official letters (công văn) from their text. A fact the input lacks is
# written "chưa xác minh" or warned about, never guessed; nothing is
# overwritten without --force; what is written passes congkhai check.
. "$(dirname "$0")/lib.sh"
IMP=$FIXTURES/import
LET=$IMP/letters
W=$TMPROOT/w; mkdir -p "$W/c" "$W/l"; cd "$W"
printf 'title: T\n' > c/site.yaml
printf 'title: T\n' > l/site.yaml

# fm FILE KEY: the value of a top-level front matter key ("..." removed)
fm() { sed -n "/^---$/,/^---$/s/^$2: \"\(.*\)\"$/\1/p" "$1" | head -1; }
# items FILE KEY: how many items the front matter list KEY has
items() { awk -v k="$2:" '$1 == k {f = 1; next} /^[^ ]/ {f = 0} f && /^  - / {n++} END {print n + 0}' "$1"; }
# section FILE TITLE: the non-blank lines of the body section "## TITLE"
section() { awk -v t="## $2" '$0 == t {f = 1; next} /^## / {f = 0} f && NF' "$1"; }

# ---------------------------------------------------------------- dvcqg
"$CONGKHAI" import dvcqg -C c "$IMP/ket-hon.json" > o.txt 2> e.txt; r=$?
is "dvcqg: a full procedure imports" "$r" "0"
is "it prints the path written" "$(cat o.txt)" "c/procedures/dang-ky-ket-hon.md"
p=c/procedures/dang-ky-ket-hon.md
is "code" "$(fm $p code)" "1.000894"
is "title" "$(fm $p title)" "Đăng ký kết hôn"
is "field from category" "$(fm $p field)" "Hộ tịch"
is "level from the executing unit" "$(fm $p level)" "xã"
is "agency" "$(fm $p agency)" "Ủy ban nhân dân cấp xã"
is "processing_time: the one time of every channel" "$(fm $p processing_time)" "01 ngày làm việc"
is "fee with its exemption" "$(fm $p fee)" "0 đồng (Miễn lệ phí đối với công dân Việt Nam cư trú ở trong nước)"
is "online: an online channel does not tell toàn trình from một phần" "$(fm $p online)" "chưa xác minh"
is "and that is the one warning" "$(grep -c 'warning: .*toàn trình' e.txt) $(grep -c warning e.txt)" "1 1"
is "one channel per method" "$(items $p channels)" "3"
has "channels name the method as the SPEC spells it" $p '^  - method: "bưu chính"$'
has "a channel keeps its note" $p 'note: "Trường hợp cần xác minh điều kiện kết hôn'
is "both sub-cases" "$(items $p cases)" "2"
has "a sub-case keeps its own time" $p '^    time: "05 ngày làm việc"$'
has "the announcing decision" $p '^  - number: "1079/QĐ-BTP"$'
has "its date in Vietnam's time" $p '^    date: "2024-06-10"$'
has "sources name the file" $p 'title: "Cổng Dịch vụ công quốc gia, dữ liệu chi tiết thủ tục 1.000894 (tệp ket-hon.json)"'
has "sources link the portal's record" $p 'url: "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2c4e-5a1b-7f3c-8d2e-1a2b3c4d5e6f"'
has "counts survive: original" $p '^- Tờ khai đăng ký kết hôn theo mẫu (01 bản chính)$'
has "counts survive: original and copy" $p 'điện tử) (01 bản chính, 01 bản sao)$'
has "items to submit under ### Phải nộp" $p '^### Phải nộp$'
has "items to present under ### Phải xuất trình" $p '^### Phải xuất trình$'
has "HTML entities decoded" $p 'nam, nữ – còn giá trị sử dụng (01 bản chính)$'
hasnt "no HTML tags left" $p '<p>\|<br>\|<li>\|&nbsp;\|&quot;'
has "<li> became a list item" $p '^- Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên;$'
has "<p> became a paragraph" $p '^Hai bên nam, nữ đáp ứng đủ điều kiện kết hôn theo Điều 8'
has "legal basis with its number" $p '^- 85/2019/TT-BTC: Hướng dẫn về phí'
has "subjects" $p '^- Công dân Việt Nam$'
has "results" $p '^- Giấy chứng nhận kết hôn$'
has "forms from the attachments" $p '^- Tờ khai đăng ký kết hôn$'
for s in "Trình tự thực hiện" "Cách thức thực hiện" "Thành phần hồ sơ" "Đối tượng thực hiện" \
    "Kết quả thực hiện" "Yêu cầu, điều kiện" "Căn cứ pháp lý"; do
  has "section $s" $p "^## $s\$"
done

"$CONGKHAI" import dvcqg -C c "$IMP/thieu-thong-tin.json" > o.txt 2> e.txt; r=$?
is "dvcqg: a sparse procedure in a list imports" "$r" "0"
q=$(cat o.txt)
is "named after its title" "$q" "c/procedures/chung-thuc-ban-sao-tu-ban-chinh-giay-to-van-ban-do-co-quan-to-chuc-co-tham-quyen.md"
for k in field level agency processing_time fee online; do
  is "missing $k is chưa xác minh" "$(fm "$q" $k)" "chưa xác minh"
done
for s in "Trình tự thực hiện" "Thành phần hồ sơ" "Căn cứ pháp lý"; do
  is "missing section $s is chưa xác minh" "$(section "$q" "$s")" "chưa xác minh"
done
hasnt "no optional section is made up" "$q" "^## Cách thức thực hiện\|^## Đối tượng\|^## Kết quả\|^## Yêu cầu"
hasnt "no channel is made up" "$q" "^channels:"
is "each gap is a warning" "$(grep -c 'warning: .*chưa xác minh' e.txt)" "9"

status "check accepts the imported procedures" 0 "$CONGKHAI" check -C c
status "check --strict refuses the facts not yet verified" 1 "$CONGKHAI" check --strict -C c

echo "sửa tay" >> $p
"$CONGKHAI" import dvcqg -C c "$IMP/ket-hon.json" > o.txt 2> e.txt; r=$?
is "an existing file is refused" "$r" "1"
has "the refusal names the file and --force" e.txt "^c/procedures/dang-ky-ket-hon.md: error: .*--force"
has "and the file is kept" $p "sửa tay"
status "--force overwrites" 0 "$CONGKHAI" import dvcqg --force -C c "$IMP/ket-hon.json"
hasnt "with the new text" $p "sửa tay"

n=$(ls c/procedures | wc -l)
"$CONGKHAI" import dvcqg -C c "$IMP/hong.json" > o.txt 2> e.txt; r=$?
is "malformed JSON is invalid content" "$r" "1"
has "reported at its line and column" e.txt "hong.json:6:14: error: JSON: "
is "and nothing is written" "$(ls c/procedures | wc -l)" "$n"
"$CONGKHAI" import dvcqg -C c "$IMP/khong-ten.json" > o.txt 2> e.txt; r=$?
is "a procedure without a name is refused" "$r" "1"
has "said without a position" e.txt "khong-ten.json: error: .*'name'"
mkdir m; printf 'title: T\n' > m/site.yaml
"$CONGKHAI" import dvcqg -C m "$IMP/hong.json" "$IMP/ket-hon.json" > o.txt 2> e.txt; r=$?
is "one bad file among several: exit 1" "$r" "1"
is "the good one is written" "$(cat o.txt)" "m/procedures/dang-ky-ket-hon.md"

"$CONGKHAI" import dvcqg -C m "$IMP/cung-ten.json" > o.txt 2> e.txt; r=$?
is "two procedures of one name in one file both import" "$r" "0"
is "the second is named with its code too" "$(cat o.txt | tr '\n' ' ')" \
  "m/procedures/cap-giay-phep-xay-dung-moi-doi-voi-nha-o-rieng-le.md m/procedures/cap-giay-phep-xay-dung-moi-doi-voi-nha-o-rieng-le-1-009975.md "
x=m/procedures/cap-giay-phep-xay-dung-moi-doi-voi-nha-o-rieng-le.md; y=${x%.md}-1-009975.md
is "each with its level" "$(fm $y level)" "tỉnh"
is "online: toàn trình when the portal says the whole process is" "$(fm $x online)" "toàn trình"
is "online: không when no method is online" "$(fm $y online)" "không"
is "a fee in đồng with its unit" "$(fm $x fee)" "75.000 đồng/giấy phép"
is "a time in days" "$(fm $y processing_time)" "20 ngày"
printf '{"code": "1.000895", "name": "Đăng ký kết hôn"}' > khac.json
"$CONGKHAI" import dvcqg --force -C m khac.json > o.txt 2> e.txt; r=$?
is "--force never replaces another procedure's file" "$(fm m/procedures/dang-ky-ket-hon.md code)" "1.000894"
is "the other procedure gets its own" "$(cat o.txt)" "m/procedures/dang-ky-ket-hon-1-000895.md"

# --------------------------------------------------------------- letters
# letter FILE [ARGS]: import one letter into l/, path on o.txt, messages on e.txt
letter() { f=$1; shift; "$CONGKHAI" import letter -C l "$LET/$f" "$@" > o.txt 2> e.txt; }
# facts NAME NUMBER DATE RECIPIENTS SIGNER: the facts of the letter just imported
facts() {
  is "$1: số hiệu" "$(fm "$a" number)" "$2"
  is "$1: date" "$(fm "$a" date)" "$3"
  is "$1: recipients" "$(items "$a" recipients)" "$4"
  is "$1: signer" "$(fm "$a" signer)" "$5"
}

letter 000_3fe7638839a1ee5e.txt; r=$?
is "letter 000 (Markdown export) imports" "$r" "0"
a=$(cat o.txt)
is "into news/, named after its subject" "$a" "l/news/trien-khai-thong-bao-ket-luan-so-252-tb-vpcp-ngay-29-6-2023-cua-pho-thu-tuong.md"
facts 000 "4945/UBND-NV" "2023-07-13" 2 "Nguyễn Thị Thu Hương"
is "000: kind" "$(fm "$a" kind)" "van-ban"
is "000: issuer" "$(fm "$a" issuer)" "ỦY BAN NHÂN DÂN THÀNH PHỐ VŨNG TÀU"
is "000: title is the subject" "$(fm "$a" title)" "Triển khai Thông báo kết luận số 252/TB-VPCP ngày 29/6/2023 của Phó Thủ tướng Chính phủ Trần Lưu Quang tại cuộc họp Cải cách thủ tục hành chính"
is "000: summary is the V/v as written" "$(fm "$a" summary)" "V/v triển khai Thông báo kết luận số 252/TB-VPCP ngày 29/6/2023 của Phó Thủ tướng Chính phủ Trần Lưu Quang tại cuộc họp Cải cách thủ tục hành chính."
is "000: signing for the chair" "$(fm "$a" x-authority)" "KT. CHỦ TỊCH"
is "000: signer's title" "$(fm "$a" x-signer_title)" "PHÓ CHỦ TỊCH"
has "000: Nơi nhận kept at the end" "$a" '^\*\*Nơi nhận:\*\*$'
has "000: its items" "$a" '^- Lưu: VT, NV$'
has "000: a line broken in two is one paragraph" "$a" "tăng cường kỷ luật, kỷ cương hành chính, thường xuyên tự kiểm tra"
hasnt "000: the header is not in the body" "$a" "Độc lập\|^Số:\|Kính gửi"
is "000: nothing missing, nothing said" "$(grep -c warning e.txt)" "0"

letter 001_9bc8e8eeb1ef6b7c.txt; r=$?
is "letter 001 (unsigned draft): a blank date is an error" "$r" "1"
has "said at the date's line" e.txt "001_9bc8e8eeb1ef6b7c.txt:11:1: error: .*--date"
is "and nothing is written" "$(cat o.txt)" ""
letter 001_9bc8e8eeb1ef6b7c.txt --date 2023-05-20; r=$?
is "001: a --date the letter contradicts is refused" "$r" "1"
letter 001_9bc8e8eeb1ef6b7c.txt --date 2024-05-20; r=$?
is "001: with --date it imports" "$r" "0"
a=$(cat o.txt)
facts 001 "" "2024-05-20" 2 "Nguyễn Thị Thu Hương"
has "001: the blank số hiệu is warned about at its line" e.txt "001_9bc8e8eeb1ef6b7c.txt:9:1: warning: .*Số: /UBND-VHTT"
has "001: a word broken by the page is joined" "$a" "các phòng, ban, đơn vị liên quan"

letter 002_7fb8cdf6f692b459.txt; r=$?
is "letter 002 (a news item about a letter) imports" "$r" "0"
a=$(cat o.txt)
is "002: the headline is the title" "$(fm "$a" title)" "Tăng cường triển khai các nhiệm vụ cải cách thủ tục hành chính"
facts 002 "5440/UBND-KSTT" "2023-10-06" 0 ""     # the letter it reports; nothing invented
has "002: the missing signer is warned about" e.txt "002_7fb8cdf6f692b459.txt: warning: không tìm thấy người ký"
hasnt "002: the web page's chrome is dropped" "$a" "ĐÁNH GIÁ BÀI VIẾT\|Các tin khác\|Lượt xem"

letter 003_02df49aac0549dce.txt --date 2022-08-19; r=$?
is "letter 003 (text from a PDF) imports with --date" "$r" "0"
a=$(cat o.txt)
is "003: the subject broken over four lines" "$(fm "$a" title)" "Thực hiện nhiệm vụ trọng tâm về cải cách hành chính (CCHC) 6 tháng cuối năm 2022"
facts 003 "" "2022-08-19" 3 "Vũ Hồng Thuấn"
has "003: the missing số hiệu is warned about" e.txt "003_02df49aac0549dce.txt: warning: không tìm thấy số hiệu"
has "003: PDF lines joined into one list item" "$a" "^- Trên cơ sở nhân sự kiện toàn, xây dựng phương án làm việc tại Bộ phận ít nhất 04 giờ/01tuần.$"
has "003: a wrapped item going on in capitals is joined" "$a" "tại phòng làm việc của Thường trực UBND Thành phố.$"
has "003: a line of its own stays a paragraph" "$a" "^Thời gian thực hiện: hoàn thành trong tháng 8 năm 2022.$"

letter 004_1be019f8e289f66e.txt; r=$?
is "letter 004 (signature before Nơi nhận) imports" "$r" "0"
a=$(cat o.txt)
facts 004 "2441/UBND-THCBKS" "2024-06-06" 2 "Tạ Văn Dũng"
is "004: a V/v going on in the next line" "$(fm "$a" title)" "Triển khai Văn bản số 3855/VPCP-KSTT ngày 04/6/2024 của Văn phòng Chính phủ"
is "004: by order of the chair" "$(fm "$a" x-authority)" "TL. CHỦ TỊCH"
has "004: Nơi nhận items" "$a" '^- Lưu: VT, THCBKS (Huyện)$'

status "check accepts every imported letter" 0 "$CONGKHAI" check -C l
status "a letter is not overwritten" 1 "$CONGKHAI" import letter -C l "$LET/004_1be019f8e289f66e.txt"

printf 'Kính gửi: Ông A\n\nNội dung.\n' > nodate.txt
status "a letter without any date is refused" 1 "$CONGKHAI" import letter -C l nodate.txt
has "and told to give --date" "$TMPROOT/.out" "nodate.txt: error: .*--date YYYY-MM-DD"
printf 'Số: 12/UBND\nHà Nội, ngày 31 tháng 2 năm 2024\nV/v thử\n\nNội dung.\n' > baddate.txt
status "an impossible date is refused" 1 "$CONGKHAI" import letter -C l baddate.txt

# ----------------------------------------------------------------- usage
status "no kind: usage error" 2 "$CONGKHAI" import -C c
status "an unknown kind: usage error" 2 "$CONGKHAI" import poster x.txt -C c
status "no file: usage error" 2 "$CONGKHAI" import dvcqg -C c
status "--date is for letters" 2 "$CONGKHAI" import dvcqg --date 2024-01-01 -C c "$IMP/ket-hon.json"
status "--date must be a real date" 2 "$CONGKHAI" import letter --date 2024-02-30 -C l "$LET/001_9bc8e8eeb1ef6b7c.txt"
status "an unknown option: usage error" 2 "$CONGKHAI" import letter --bogus -C l x.txt
status "no site: usage error" 2 "$CONGKHAI" import letter -C "$W/none" x.txt
status "--help" 0 "$CONGKHAI" import --help
has "the help names both kinds" "$TMPROOT/.out" "import dvcqg FILE.json"
printf 'title: T\nlanguage: en\n' > l/site.yaml
letter 002_7fb8cdf6f692b459.txt --force
has "messages follow the site's language" e.txt "warning: no signer found"
