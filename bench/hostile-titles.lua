-- hostile-titles.lua N DIR: a content tree of N procedures whose titles
-- (and bodies) are 60 random syllables each, from about 1,000 made-up
-- ones: every syllable stands in many titles and next to many others, the
-- worst case for the search index's groups of title words (core/index.c).
-- The build must end well within the hook budget (bench/README.md).
local n, out = tonumber(arg[1] or "5000"), assert(arg[2], "usage: lua5.4 hostile-titles.lua N DIR")
os.execute("mkdir -p '" .. out .. "/procedures'")
local f = assert(io.open(out .. "/site.yaml", "w"))
f:write("title: Thử tiêu đề khó\nbase_url: /\n")
f:close()
local seed = 11
local function rand(k) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k end
local cons = { "b", "c", "d", "g", "h", "k", "l", "m", "n", "ph", "qu", "s", "t", "th", "tr", "v", "x", "ng", "nh", "kh" }
local vow = { "a", "e", "i", "o", "u", "an", "en", "in", "on", "ung", "ang", "inh", "oi", "ai", "ao" }
local function syllable() return cons[rand(#cons) + 1] .. vow[rand(#vow) + 1] .. (rand(4) == 0 and tostring(rand(9)) or "") end
for i = 1, n do
  local t = {}
  for j = 1, 60 do t[j] = syllable() end
  local words = table.concat(t, " ")
  local g = assert(io.open(string.format("%s/procedures/p%d.md", out, i), "w"))
  g:write(string.format('---\ncode: "1.%06d"\ntitle: %s\nfield: Hộ tịch\nlevel: xã\nagency: UBND xã\n' ..
    'processing_time: 5 ngày\nfee: Không\nonline: không\n---\n%s\n\n## Trình tự thực hiện\n- Nộp hồ sơ\n\n' ..
    '## Thành phần hồ sơ\n- Tờ khai\n\n## Căn cứ pháp lý\n- Luật\n', i, words, words))
  g:close()
end
