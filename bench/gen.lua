-- gen.lua — synthetic content for benchmarks: N procedures (4–8 KB each,
-- realistic Vietnamese text, every required key and section) spread over
-- fields, levels and agencies, plus a site.yaml and a few articles.
-- Deterministic for a given N.   usage: lua5.4 bench/gen.lua N OUTDIR
local N, OUT = tonumber(arg[1]), arg[2]
assert(N and OUT, "usage: lua5.4 bench/gen.lua N OUTDIR")

local seed = 20231013
local function rand(n)                       -- a small LCG: same output everywhere
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end
local function pick(t) return t[rand(#t)] end

local fields = { "Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Hộ kinh doanh", "Bảo trợ xã hội",
  "Giáo dục và Đào tạo", "Người có công", "Môi trường", "Đường bộ", "Tôn giáo", "Nuôi con nuôi",
  "Lý lịch tư pháp", "Thành lập và hoạt động doanh nghiệp", "Văn hóa cơ sở", "Y tế dự phòng" }
local levels = { "tỉnh", "huyện", "xã" }
local agencies = { "UBND phường, xã", "UBND thành phố", "Phòng Tư pháp", "Phòng Tài chính – Kế hoạch",
  "Phòng Quản lý đô thị", "Chi nhánh Văn phòng đăng ký đất đai", "Sở Tư pháp", "Sở Giao thông vận tải" }
local onlines = { "toàn trình", "một phần", "không" }
local verbs = { "Đăng ký", "Cấp", "Cấp đổi", "Cấp lại", "Xác nhận", "Gia hạn", "Điều chỉnh", "Thông báo", "Chấm dứt" }
local objects = { "giấy phép hoạt động", "giấy chứng nhận đủ điều kiện", "hồ sơ trợ cấp", "giấy xác nhận cư trú",
  "chứng chỉ hành nghề", "giấy phép kinh doanh", "quyết định hỗ trợ", "thông tin hộ tịch", "giấy chứng nhận quyền sử dụng đất",
  "giấy phép xây dựng", "bản sao văn bằng", "giấy phép lái xe", "đường bộ nội thị", "hoạt động tôn giáo" }
local sentences = {
  "Người yêu cầu nộp hồ sơ tại Bộ phận tiếp nhận và trả kết quả hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia.",
  "Công chức tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ và viết giấy tiếp nhận, hẹn ngày trả kết quả.",
  "Trường hợp hồ sơ chưa đầy đủ, công chức hướng dẫn người nộp bổ sung một lần bằng văn bản.",
  "Cơ quan có thẩm quyền xem xét, thẩm định hồ sơ và trình lãnh đạo ký quyết định trong thời hạn quy định.",
  "Kết quả được trả trực tiếp, qua dịch vụ bưu chính công ích hoặc trên Cổng Dịch vụ công quốc gia.",
  "Người dân có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ được cấp khi tiếp nhận.",
  "Phí, lệ phí được nộp trực tiếp hoặc thanh toán trực tuyến qua nền tảng thanh toán của Cổng Dịch vụ công quốc gia.",
  "Trường hợp từ chối giải quyết, cơ quan trả lời bằng văn bản và nêu rõ lý do.",
  "Thời hạn giải quyết được tính từ ngày nhận đủ hồ sơ hợp lệ, không kể ngày nghỉ lễ, Tết.",
  "Hồ sơ điện tử có giá trị pháp lý như hồ sơ giấy khi được ký số theo quy định.",
  "Đường bộ, đường thủy nội địa và các công trình công cộng được bảo vệ theo quy định của pháp luật.",
  "Đối tượng thuộc hộ nghèo, hộ cận nghèo, người khuyết tật được miễn, giảm phí theo quy định của Hội đồng nhân dân tỉnh.",
}
local docs = { "Tờ khai theo mẫu (01 bản chính)", "Giấy tờ tùy thân (xuất trình bản chính)",
  "Giấy tờ chứng minh nơi cư trú (01 bản sao)", "Văn bản ủy quyền nếu nộp thay (01 bản chính)",
  "Bản vẽ, sơ đồ vị trí (02 bản)", "Giấy chứng nhận đã cấp (bản gốc)", "Đơn đề nghị có xác nhận của UBND cấp xã (01 bản chính)" }
local laws = { "Luật Hộ tịch số 60/2014/QH13", "Luật Đất đai số 31/2024/QH15", "Luật Xây dựng số 50/2014/QH13",
  "Nghị định số 123/2015/NĐ-CP", "Nghị định số 23/2015/NĐ-CP", "Nghị định số 01/2021/NĐ-CP",
  "Nghị định số 20/2021/NĐ-CP", "Thông tư số 85/2019/TT-BTC", "Nghị định số 118/2025/NĐ-CP" }

local function paragraph(n)
  local p = {}
  for i = 1, n do p[i] = pick(sentences) end
  return table.concat(p, " ")
end

local function mkdir(p) os.execute("mkdir -p '" .. p .. "'") end

mkdir(OUT .. "/procedures")
mkdir(OUT .. "/news")
local f = assert(io.open(OUT .. "/site.yaml", "w"))
f:write("title: Cổng thử tải\nbase_url: https://bench.example/\n")
f:close()

for i = 1, N do
  local field = fields[(i - 1) % #fields + 1]
  local dir = OUT .. "/procedures/" .. string.format("%03d", (i - 1) // 500)
  if (i - 1) % 500 == 0 then mkdir(dir) end
  local code = string.format("%d.%06d", 1 + (i % 2), i)
  local title = pick(verbs) .. " " .. pick(objects) .. " " .. i
  local out = {
    "---", 'code: "' .. code .. '"', "title: " .. title, "field: " .. field,
    "level: " .. levels[rand(3)], "agency: " .. pick(agencies),
    "processing_time: " .. rand(20) .. " ngày làm việc",
    "fee: " .. (rand(3) == 1 and "Miễn lệ phí" or (rand(20) * 5 .. ".000 đồng")),
    "online: " .. onlines[rand(3)], "---",
    paragraph(3 + rand(3)), "", "## Trình tự thực hiện", "" }
  for s = 1, 3 + rand(4) do out[#out + 1] = s .. ". " .. paragraph(1 + rand(2)) end
  out[#out + 1] = "\n## Cách thức thực hiện\n\n" .. paragraph(2 + rand(3))
  out[#out + 1] = "\n## Thành phần hồ sơ\n"
  for _ = 1, 3 + rand(4) do out[#out + 1] = "- " .. pick(docs) end
  out[#out + 1] = "\n## Đối tượng thực hiện\n\n" .. paragraph(1 + rand(2))
  out[#out + 1] = "\n## Kết quả thực hiện\n\n" .. paragraph(1 + rand(2))
  out[#out + 1] = "\n## Yêu cầu, điều kiện\n\n" .. paragraph(3 + rand(6))
  out[#out + 1] = "\n## Căn cứ pháp lý\n"
  for _ = 1, 2 + rand(3) do out[#out + 1] = "- " .. pick(laws) end
  local g = assert(io.open(dir .. "/tt-" .. i .. ".md", "w"))
  g:write(table.concat(out, "\n"), "\n")
  g:close()
end
for i = 1, 30 do
  local g = assert(io.open(OUT .. "/news/tin-" .. i .. ".md", "w"))
  g:write(string.format("---\ntitle: Tin số %d\ndate: 2024-%02d-%02d\n---\n%s\n", i, (i % 12) + 1, (i % 28) + 1, paragraph(8)))
  g:close()
end
