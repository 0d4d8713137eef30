-- history-repo.lua — a git fast-import stream for the history benchmark:
-- FILES procedures (~6.5 KB each) added in the first commit, then COMMITS-1 commits that
-- each change the fee of 5 procedures and add a document to one of them.
-- usage: lua5.4 bench/history-repo.lua FILES COMMITS | git fast-import
local FILES, COMMITS = tonumber(arg[1]), tonumber(arg[2])
local seed = 7
local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
local fee, extra = {}, {}
-- filler text, so a file weighs ~6.5 KB as real procedures do (bench/gen.lua)
local sentences = {
  "Người yêu cầu nộp hồ sơ tại Bộ phận tiếp nhận và trả kết quả hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia.",
  "Công chức tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ và viết giấy tiếp nhận, hẹn ngày trả kết quả.",
  "Trường hợp hồ sơ chưa đầy đủ, công chức hướng dẫn người nộp bổ sung một lần bằng văn bản.",
  "Cơ quan có thẩm quyền xem xét, thẩm định hồ sơ và trình lãnh đạo ký quyết định trong thời hạn quy định.",
  "Kết quả được trả trực tiếp, qua dịch vụ bưu chính công ích hoặc trên Cổng Dịch vụ công quốc gia.",
  "Người dân có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ được cấp khi tiếp nhận.",
  "Thời hạn giải quyết được tính từ ngày nhận đủ hồ sơ hợp lệ, không kể ngày nghỉ lễ, Tết.",
}
local function paragraph(i, k, n)
  local p = {}
  for j = 1, n do p[j] = sentences[(i * 7 + k * 3 + j) % #sentences + 1] end
  return table.concat(p, " ")
end

local function body(i)
  local docs = { "- Tờ khai (01 bản chính)", "- Giấy tờ tùy thân (xuất trình)" }
  for k = 1, extra[i] or 0 do docs[#docs + 1] = "- Giấy tờ bổ sung số " .. k end
  return table.concat({ "---", string.format('code: "1.%06d"', i), "title: Thủ tục số " .. i,
    "field: Hộ tịch", "level: xã", "agency: UBND cấp xã", "processing_time: 03 ngày làm việc",
    "fee: " .. (fee[i] or 10) .. ".000 đồng", "online: một phần", "---",
    "Giới thiệu thủ tục số " .. i .. ". " .. paragraph(i, 1, 6), "", "## Trình tự thực hiện", "",
    "1. " .. paragraph(i, 2, 3), "2. " .. paragraph(i, 3, 3), "3. " .. paragraph(i, 4, 3), "",
    "## Cách thức thực hiện", "", paragraph(i, 5, 8), "",
    "## Thành phần hồ sơ", "", table.concat(docs, "\n"), "",
    "## Yêu cầu, điều kiện", "", paragraph(i, 6, 12), "", paragraph(i, 7, 11), "",
    "## Căn cứ pháp lý", "", "- Luật Hộ tịch", "" }, "\n")
end


local t0 = 1700000000
for c = 1, COMMITS do
  local msg = c == 1 and "Công bố danh mục" or ("Cập nhật phí đợt " .. c)
  io.write("commit refs/heads/main\n")
  io.write(string.format("committer Bench <b@x> %d +0700\n", t0 + c * 3600))
  io.write(string.format("data %d\n%s\n", #msg, msg))
  local touched = {}
  if c == 1 then
    local y = "title: Thử lịch sử\nbase_url: https://bench.example/\n"
    io.write(string.format("M 100644 inline content/site.yaml\ndata %d\n%s\n", #y, y))
    for i = 1, FILES do touched[#touched + 1] = i end
  else
    for _ = 1, 5 do local i = rand(FILES); fee[i] = (fee[i] or 10) + 5; touched[#touched + 1] = i end
    extra[touched[1]] = (extra[touched[1]] or 0) + 1
  end
  for _, i in ipairs(touched) do
    local d = body(i)
    io.write(string.format("M 100644 inline content/procedures/%03d/tt-%d.md\ndata %d\n%s\n", i // 500, i, #d, d))
  end
end
io.write("done\n")
