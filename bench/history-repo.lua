-- history-repo.lua — a git fast-import stream for the history benchmark:
-- FILES procedures added in the first commit, then COMMITS-1 commits that
-- each change the fee of 5 procedures and add a document to one of them.
-- usage: lua5.4 bench/history-repo.lua FILES COMMITS | git fast-import
local FILES, COMMITS = tonumber(arg[1]), tonumber(arg[2])
local seed = 7
local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
local fee, extra = {}, {}

local function body(i)
  local docs = { "- Tờ khai (01 bản chính)", "- Giấy tờ tùy thân (xuất trình)" }
  for k = 1, extra[i] or 0 do docs[#docs + 1] = "- Giấy tờ bổ sung số " .. k end
  return table.concat({ "---", string.format('code: "1.%06d"', i), "title: Thủ tục số " .. i,
    "field: Hộ tịch", "level: xã", "agency: UBND cấp xã", "processing_time: 03 ngày làm việc",
    "fee: " .. (fee[i] or 10) .. ".000 đồng", "online: một phần", "---",
    "Giới thiệu thủ tục số " .. i .. ".", "", "## Trình tự thực hiện", "", "1. Nộp hồ sơ.", "",
    "## Thành phần hồ sơ", "", table.concat(docs, "\n"), "", "## Căn cứ pháp lý", "", "- Luật Hộ tịch", "" }, "\n")
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
