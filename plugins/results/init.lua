-- results — /chi-so-766/: the Decision 766/QĐ-TTg service-quality index
-- (Chỉ số phục vụ người dân, doanh nghiệp) from data/chi-so-766.yaml (or
-- data/chi-so-766.csv): one page listing every period, newest first, with
-- the latest in full, and one page per period at /chi-so-766/YYYY-MM/. Each
-- unit's result gets a caption (period, unit, total/100, rank, label,
-- source), an accessible table of the score per group against its maximum
-- and an inline SVG bar chart made at build time; each period gets a chart
-- comparing its units' totals. No JavaScript.
--
-- setup() validates the data and publishes the model as site.results766
-- (docs/results.md) for other plugins (the home page, the lobby screen).
-- Bad data is a warning naming the file and the entry, never a crash.
local M = { name = "results", version = "1.0" }

local function esc(s) return congkhai.escape(s == nil and "" or tostring(s)) end

local S = {
  vi = {
    title = "Chỉ số phục vụ người dân, doanh nghiệp",
    subtitle = "Kết quả đánh giá theo Quyết định số 766/QĐ-TTg",
    intro = "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp " ..
      "trong thực hiện thủ tục hành chính, dịch vụ công (Quyết định số 766/QĐ-TTg ngày 23/6/2022). " ..
      "Tổng điểm tối đa là 100.",
    home = "Trang chủ", latest = "Kỳ mới nhất", all = "Các kỳ đánh giá", period_title = "Kết quả %s",
    totals = "Tổng điểm các đơn vị, %s", totals_h = "So sánh tổng điểm",
    groups_chart = "Điểm theo nhóm chỉ số của %s, %s, tính theo phần trăm điểm tối đa",
    table_caption = "Điểm theo nhóm chỉ số: %s, %s",
    group = "Nhóm chỉ số", score = "Điểm", max = "Tối đa", share = "Tỷ lệ", total = "Tổng điểm",
    summary = "%s, %s: tổng điểm %s/100", rank = "xếp hạng %s", label = "xếp loại %s",
    points = "%s/100 điểm", units = "%s đơn vị",
    source = "Nguồn", source_published = "công bố ngày %s", no_source = "không ghi nguồn",
    notice = "Số liệu được công khai theo kết quả đánh giá của cơ quan có thẩm quyền; " ..
      "khi có khác biệt, kết quả trên Cổng Dịch vụ công quốc gia là căn cứ.",
    details = "Xem chi tiết %s", none = "—", as_written = "ghi trong dữ liệu: %s",
    other = "Các kỳ khác", chart_row = "%s: %s trên %s điểm",
    -- warnings
    w_nodata = "%s: không đọc được dữ liệu chỉ số 766 (cần một bảng có 'groups' và 'results')",
    w_noresults = "%s: không có 'results' (danh sách kết quả)",
    w_groups = "%s: thiếu 'groups' (các nhóm chỉ số với điểm tối đa): chỉ hiển thị tổng điểm",
    w_group = "%s: groups[%d]: %s",
    w_entry = "%s: results[%d] (%s): %s",
    m_nokey = "thiếu 'key'", m_dupkey = "nhóm '%s' bị lặp", m_badmax = "'max' của nhóm '%s' không phải số dương: %s",
    m_sum = "tổng điểm tối đa của các nhóm là %s, không phải 100",
    m_noperiod = "thiếu 'period' (kỳ đánh giá, dạng YYYY-MM): bỏ qua",
    m_badperiod = "'period' phải có dạng YYYY-MM, không phải '%s': bỏ qua",
    m_nounit = "thiếu 'unit' (đơn vị): bỏ qua", m_dup = "đơn vị bị lặp trong kỳ %s: bỏ qua",
    m_nottable = "mục không phải một bảng: bỏ qua",
    m_total = "'total' không phải số: '%s'", m_total_range = "'total' %s nằm ngoài khoảng 0–100",
    m_int = "'%s' không phải số nguyên dương: '%s'", m_rank = "thứ hạng %s lớn hơn số đơn vị %s",
    m_score = "điểm nhóm '%s' không phải số: '%s'", m_above = "điểm nhóm '%s' (%s) lớn hơn điểm tối đa %s",
    m_neg = "điểm nhóm '%s' âm: %s", m_unknown = "nhóm '%s' không có trong 'groups'",
    m_scores = "'scores' phải là một bảng nhóm: điểm",
    m_url = "'source_url' phải là địa chỉ http(s): bỏ liên kết", m_date = "'date' phải có dạng YYYY-MM-DD: '%s'",
    m_nosource = "không ghi nguồn ('source') của kết quả",
    m_csvcol = "cột '%s' không phải nhóm chỉ số đã biết; ghi 'Tên nhóm (điểm tối đa)' ở tiêu đề cột",
  },
  en = {
    title = "Service quality index",
    subtitle = "Results under Decision 766/QĐ-TTg",
    intro = "The index for directing, managing and assessing the quality of service to citizens and " ..
      "businesses in administrative procedures and public services (Decision 766/QĐ-TTg of 23 June 2022). " ..
      "The maximum total is 100.",
    home = "Home", latest = "Latest period", all = "All periods", period_title = "Results for %s",
    totals = "Total score of each unit, %s", totals_h = "Totals compared",
    groups_chart = "Score per group of %s, %s, as a share of the maximum",
    table_caption = "Score per group: %s, %s",
    group = "Group", score = "Score", max = "Maximum", share = "Share", total = "Total",
    summary = "%s, %s: total %s/100", rank = "ranked %s", label = "rated %s",
    points = "%s/100 points", units = "%s units",
    source = "Source", source_published = "published %s", no_source = "source not stated",
    notice = "Figures as published by the assessing authority; where they differ, the results on the " ..
      "National Public Service Portal prevail.",
    details = "Details for %s", none = "—", as_written = "as written in the data: %s",
    other = "Other periods", chart_row = "%s: %s of %s points",
    w_nodata = "%s: cannot read the Decision 766 data (a map with 'groups' and 'results' is needed)",
    w_noresults = "%s: no 'results' (the list of results)",
    w_groups = "%s: no 'groups' (the index groups with their maxima): only totals are shown",
    w_group = "%s: groups[%d]: %s",
    w_entry = "%s: results[%d] (%s): %s",
    m_nokey = "no 'key'", m_dupkey = "group '%s' repeated", m_badmax = "'max' of group '%s' is not a positive number: %s",
    m_sum = "the groups' maxima add up to %s, not 100",
    m_noperiod = "no 'period' (YYYY-MM): skipped",
    m_badperiod = "'period' must be YYYY-MM, not '%s': skipped",
    m_nounit = "no 'unit': skipped", m_dup = "unit repeated in period %s: skipped",
    m_nottable = "the entry is not a map: skipped",
    m_total = "'total' is not a number: '%s'", m_total_range = "'total' %s is outside 0–100",
    m_int = "'%s' is not a positive whole number: '%s'", m_rank = "rank %s is greater than the number of units %s",
    m_score = "score of group '%s' is not a number: '%s'", m_above = "score of group '%s' (%s) is above its maximum %s",
    m_neg = "score of group '%s' is negative: %s", m_unknown = "group '%s' is not in 'groups'",
    m_scores = "'scores' must be a map of group: score",
    m_url = "'source_url' must be an http(s) address: not linked", m_date = "'date' must be YYYY-MM-DD: '%s'",
    m_nosource = "the results name no 'source'",
    m_csvcol = "column '%s' is not a known index group; write 'Group name (maximum)' as its header",
  },
}

-- The groups of Decision 766 as first published (DOMAIN.md §2), used for
-- the CSV form, whose header cannot carry a group's name and maximum.
local STANDARD = {
  { key = "cong_khai", name = "Công khai, minh bạch", max = 18 },
  { key = "tien_do", name = "Tiến độ, kết quả giải quyết", max = 20 },
  { key = "so_hoa", name = "Số hóa hồ sơ", max = 22 },
  { key = "dich_vu_truc_tuyen", name = "Cung cấp dịch vụ trực tuyến", max = 22 },
  { key = "hai_long", name = "Mức độ hài lòng", max = 18 },
}
local CSV_FIXED = { period = true, unit = true, total = true, rank = true, of = true, label = true,
  source = true, source_url = true, date = true }

local s            -- the strings of the site's language
local lang         -- "vi" or "en"
local model        -- what setup made, or nil

-- ------------------------------------------------------------ numbers

local function trim(v) return (v:gsub("^%s+", ""):gsub("%s+$", "")) end

-- A number from a Lua number or a string written "82.4" or "82,4"; nil
-- when it is anything else (no exponents, hex, inf or nan).
local function num(v)
  if math.type(v) then
    if v ~= v or v == math.huge or v == -math.huge then return nil end
    return v + 0.0
  end
  if type(v) ~= "string" then return nil end
  local t = trim(v)
  if #t > 40 then return nil end
  t = t:gsub(",", ".", 1)
  if not (t:match("^%-?%d+%.?%d*$") or t:match("^%-?%d*%.%d+$")) then return nil end
  return tonumber(t) + 0.0
end

-- A positive whole number, or nil.
local function whole(v)
  local n = num(v)
  if not n or n < 1 or n ~= math.floor(n) or n > 1e9 then return nil end
  return math.tointeger(n)
end

local function sep(str) return lang == "en" and str or (str:gsub("%.", ",")) end

-- 82.4 → "82,4" (en "82.4"); at least one decimal, two when the data has
-- them (83.47), never more.
local function dec(n)
  local t = string.format("%.2f", n)
  if t:sub(-1) == "0" then t = t:sub(1, -2) end
  if t == "-0.0" then t = "0.0" end
  return sep(t)
end

-- a maximum: 18 → "18", 7.5 → "7,5"
local function maxfmt(n)
  if n == math.floor(n) and math.abs(n) < 1e15 then return congkhai.number(math.tointeger(n)) end
  return dec(n)
end

local function int(n) return congkhai.number(n) end

-- a length in the SVG, one decimal, always with a dot
local function px(n) return (string.format("%.1f", n):gsub("%.0$", "")) end

-- ------------------------------------------------------------ text

local function str(v)
  if type(v) == "string" then return v end
  if math.type(v) then return tostring(v) end
  return nil
end

local cut = congkhai.clip   -- at most n characters, with "…" when cut

local function period_label(p) return congkhai.date(p .. "-01", "month") end

local function http_url(u)
  u = str(u)
  if u and (u:match("^https?://[%w%-%.]+") ) and not u:find("[%s<>\"]") then return u end
  return nil
end

-- ------------------------------------------------------------ the model

local function warn(site, fmt, ...) site:warn(string.format(fmt, ...)) end

local function read_groups(site, file, raw)
  local groups, seen = {}, {}
  if type(raw) ~= "table" or #raw == 0 then
    warn(site, s.w_groups, file)
    return groups
  end
  local sum = 0
  for i, g in ipairs(raw) do
    local key = type(g) == "table" and str(g.key)
    local max = type(g) == "table" and num(g.max)
    if not key or key == "" then
      warn(site, s.w_group, file, i, s.m_nokey)
    elseif seen[key] then
      warn(site, s.w_group, file, i, string.format(s.m_dupkey, cut(key, 60)))
    elseif not max or max <= 0 then
      warn(site, s.w_group, file, i, string.format(s.m_badmax, cut(key, 60), cut(str(g.max) or "nil", 30)))
    else
      seen[key] = true
      local name = str(g.name)
      groups[#groups + 1] = { key = key, name = (name and name ~= "") and name or key, max = max }
      sum = sum + max
    end
  end
  if #groups > 0 and math.abs(sum - 100) > 0.001 then warn(site, "%s: " .. s.m_sum, file, dec(sum)) end
  return groups
end

-- One result, checked; nil when it cannot be shown (no period or unit).
local function read_result(site, file, i, r, groups, gindex, seen)
  local function w(msg, name) warn(site, s.w_entry, file, i, name, msg) end
  if type(r) ~= "table" then w(s.m_nottable, "?"); return nil end
  local unit, period = str(r.unit), str(r.period)
  if unit then unit = trim(unit) end
  if period then period = trim(period) end
  local name = cut((unit and unit ~= "" and unit or "?") .. ", " .. (period or "?"), 80)
  if not period or period == "" then w(s.m_noperiod, name); return nil end
  local y, m = period:match("^(%d%d%d%d)%-(%d%d)$")
  if not y or tonumber(m) < 1 or tonumber(m) > 12 or tonumber(y) < 1 then
    w(string.format(s.m_badperiod, cut(period, 40)), name); return nil
  end
  if not unit or unit == "" then w(s.m_nounit, name); return nil end
  local id = period .. "\0" .. unit
  if seen[id] then w(string.format(s.m_dup, period), name); return nil end
  seen[id] = true

  local res = { period = period, unit = unit, url = congkhai.url_for("result", period), scores = {}, written = {} }
  -- total: a number from 0 to 100, else shown as written
  res.total = num(r.total)
  if r.total ~= nil and not res.total then
    res.total_text = cut(str(r.total) or type(r.total), 40)
    w(string.format(s.m_total, res.total_text), name)
  elseif res.total and (res.total < 0 or res.total > 100) then
    w(string.format(s.m_total_range, dec(res.total)), name)
  end
  -- rank of N
  for _, k in ipairs({ "rank", "of" }) do
    if r[k] ~= nil then
      res[k] = whole(r[k])
      if not res[k] then
        res[k .. "_text"] = cut(str(r[k]) or type(r[k]), 20)
        w(string.format(s.m_int, k, res[k .. "_text"]), name)
      end
    end
  end
  if res.rank and res.of and res.rank > res.of then
    w(string.format(s.m_rank, int(res.rank), int(res.of)), name)
  end
  res.label = str(r.label)
  res.source = str(r.source)
  if r.source_url ~= nil then
    res.source_url = http_url(r.source_url)
    if not res.source_url then w(s.m_url, name) end
  end
  if r.date ~= nil then
    local d = str(r.date)
    if d and d:match("^%d%d%d%d%-%d%d%-%d%d$") and tonumber(d:sub(6, 7)) >= 1 and tonumber(d:sub(6, 7)) <= 12
        and tonumber(d:sub(9, 10)) >= 1 and tonumber(d:sub(9, 10)) <= 31 and tonumber(d:sub(1, 4)) >= 1 then
      res.date = d
    else
      w(string.format(s.m_date, cut(d or type(r.date), 30)), name)
    end
  end
  -- scores per group
  local sc = r.scores
  if sc ~= nil and type(sc) ~= "table" then w(s.m_scores, name); sc = nil end
  sc = sc or {}
  for _, g in ipairs(groups) do
    local v = sc[g.key]
    if v ~= nil then
      local n = num(v)
      if not n then
        res.written[g.key] = cut(str(v) or type(v), 40)
        w(string.format(s.m_score, cut(g.key, 40), res.written[g.key]), name)
      else
        if n > g.max + 1e-9 then w(string.format(s.m_above, cut(g.key, 40), dec(n), maxfmt(g.max)), name) end
        if n < 0 then w(string.format(s.m_neg, cut(g.key, 40), dec(n)), name) end
        res.scores[g.key] = n
      end
    end
  end
  local unknown = {}
  for k in pairs(sc) do
    if type(k) == "string" and not gindex[k] then unknown[#unknown + 1] = k end
  end
  table.sort(unknown)
  for _, k in ipairs(unknown) do
    if #groups > 0 then w(string.format(s.m_unknown, cut(k, 40)), name) end
  end
  return res
end

-- The CSV form: rows keyed by the header. Group columns are the standard
-- keys (STANDARD) or headed "Group name (max)".
local function from_csv(site, file, rows)
  local data = { results = {}, groups = {} }
  local cols, std = {}, {}
  for _, g in ipairs(STANDARD) do std[g.key] = g end
  for k in pairs(rows[1] or {}) do if type(k) == "string" then cols[#cols + 1] = k end end
  table.sort(cols)
  local colkey = {}
  for _, c in ipairs(cols) do
    if not CSV_FIXED[c] then
      local name, max = c:match("^(.-)%s*%(%s*([%d%.,]+)%s*%)%s*$")
      if std[c] then
        data.groups[#data.groups + 1] = std[c]; colkey[c] = c
      elseif name and name ~= "" and num(max) then
        local key = congkhai.slug(name)
        data.groups[#data.groups + 1] = { key = key, name = name, max = num(max) }
        colkey[c] = key
      elseif c ~= "" then
        warn(site, "%s: %s", file, string.format(s.m_csvcol, cut(c, 60)))
      end
    end
  end
  -- standard groups in their Decision order, the others after
  local order = {}
  for i, g in ipairs(STANDARD) do order[g.key] = i end
  table.sort(data.groups, function(a, b)
    local x, y = order[a.key] or 99, order[b.key] or 99
    if x ~= y then return x < y end
    return a.key < b.key
  end)
  for _, row in ipairs(rows) do
    local r = { scores = {} }
    for c, v in pairs(row) do
      if CSV_FIXED[c] then r[c] = (v ~= "" and v or nil)
      elseif colkey[c] and v ~= "" then r.scores[colkey[c]] = v end
    end
    data.results[#data.results + 1] = r
  end
  return data
end

local function data_file(data)
  if type(data) == "table" and data[1] ~= nil then return "data/chi-so-766.csv" end
  for _, f in ipairs({ "data/chi-so-766.yaml", "data/chi-so-766.yml" }) do
    if pcall(congkhai.read, f) then return f end
  end
  return "data/chi-so-766.yaml"
end

local function build_model(site, data)
  local file = data_file(data)
  if type(data) ~= "table" then warn(site, s.w_nodata, file); return nil end
  if data[1] ~= nil then data = from_csv(site, file, data) end
  local groups = read_groups(site, file, data.groups)
  local gindex = {}
  for _, g in ipairs(groups) do gindex[g.key] = g end
  if type(data.results) ~= "table" or #data.results == 0 then warn(site, s.w_noresults, file); return nil end
  local source = str(data.source)
  local source_url = data.source_url ~= nil and http_url(data.source_url) or nil
  if data.source_url ~= nil and not source_url then warn(site, "%s: %s", file, s.m_url) end
  local byperiod, periods, seen, nosource = {}, {}, {}, false
  for i, r in ipairs(data.results) do
    local res = read_result(site, file, i, r, groups, gindex, seen)
    if res then
      res.shown = res.total and dec(res.total) or res.total_text   -- the total as pages write it
      if not res.source then
        res.source, res.source_url = source, res.source_url or source_url
        if not res.source then nosource = true end
      end
      local p = byperiod[res.period]
      if not p then
        p = { period = res.period, label = period_label(res.period), url = res.url, results = {} }
        byperiod[res.period] = p
        periods[#periods + 1] = p
      end
      p.results[#p.results + 1] = res
    end
  end
  if nosource then warn(site, "%s: %s", file, s.m_nosource) end
  if #periods == 0 then return nil end
  table.sort(periods, function(a, b) return a.period > b.period end)
  return { file = file, source = source, source_url = source_url, groups = groups, periods = periods,
    latest = periods[1], url = congkhai.url_for("results") }
end

function M.setup(site, options)
  lang = site.language == "en" and "en" or "vi"
  s = S[lang]
  model = nil
  local data = site.data and site.data["chi-so-766"]
  if data == nil then return end
  model = build_model(site, data)
  if model then site.results766 = model end
end

-- ------------------------------------------------------------ charts

local INK, BAR, FRAME = "#1b1b1b", "#0b4ea2", "#5f6368"   -- 16.8:1, 8.6:1, 6.3:1 on white
local W, FONT = 360, 14      -- viewBox width; at 328 px (a 360 px phone less margins) text stays ≥ 12.7 px

local function svg_open(h, label)
  return '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="' .. esc(label) ..
    '" viewBox="0 0 ' .. W .. " " .. px(h) .. '" width="100%" style="max-width:42rem;height:auto" ' ..
    'font-family="system-ui, sans-serif" font-size="' .. FONT .. '"><title>' .. esc(label) .. "</title>"
end

-- rows: { name, value (number or nil), max, text } → a horizontal bar
-- chart: per row the name and value above a frame of the full width, filled
-- to value/max.
local function bar_chart(label, rows)
  local row_h, bar_h = 46, 18
  local out, said = {}, {}
  for _, r in ipairs(rows) do said[#said + 1] = string.format(s.chart_row, r.name, r.text, r.max and maxfmt(r.max) or s.none) end
  local h = #rows * row_h + 4
  out[#out + 1] = svg_open(h, label .. ": " .. table.concat(said, "; "))
  local track = W - 8
  for i, r in ipairs(rows) do
    local y = (i - 1) * row_h + 2
    out[#out + 1] = '<g><text x="4" y="' .. px(y + FONT) .. '" fill="' .. INK .. '">' .. esc(cut(r.name, 30)) .. "</text>"
    out[#out + 1] = '<text x="' .. px(W - 4) .. '" y="' .. px(y + FONT) .. '" fill="' .. INK ..
      '" text-anchor="end" font-weight="bold">' .. esc(r.shown or r.text) .. "</text>"
    out[#out + 1] = '<rect x="4" y="' .. px(y + FONT + 6) .. '" width="' .. px(track) .. '" height="' .. bar_h ..
      '" fill="#ffffff" stroke="' .. FRAME .. '" stroke-width="1"/>'
    if r.value and r.max and r.max > 0 then
      local share = math.max(0, math.min(1, r.value / r.max))
      out[#out + 1] = '<rect class="bar" x="4" y="' .. px(y + FONT + 6) .. '" width="' .. px(track * share) ..
        '" height="' .. bar_h .. '" fill="' .. BAR .. '"/>'
    end
    out[#out + 1] = "</g>"
  end
  out[#out + 1] = "</svg>"
  return '<figure class="chart" style="margin:1rem 0">' .. table.concat(out, "\n") .. "</figure>"
end

local function groups_chart(p, res)
  local rows = {}
  for _, g in ipairs(model.groups) do
    local v = res.scores[g.key]
    rows[#rows + 1] = { name = g.name, value = v, max = g.max,
      text = v and dec(v) or (res.written[g.key] and cut(res.written[g.key], 8)) or s.none }
    rows[#rows].shown = rows[#rows].text .. "/" .. maxfmt(g.max)
  end
  if #rows == 0 then return "" end
  return bar_chart(string.format(s.groups_chart, res.unit, p.label), rows)
end

local function totals_chart(p, level)
  local list = {}
  for _, r in ipairs(p.results) do if r.total then list[#list + 1] = r end end
  if #list < 2 then return "" end
  table.sort(list, function(a, b)
    if a.total ~= b.total then return a.total > b.total end
    return congkhai.sortkey(a.unit) < congkhai.sortkey(b.unit)
  end)
  local rows = {}
  for _, r in ipairs(list) do rows[#rows + 1] = { name = r.unit, value = r.total, max = 100, text = dec(r.total) } end
  local title = string.format(s.totals, p.label)
  return "<h" .. level .. ">" .. esc(s.totals_h) .. "</h" .. level .. ">" .. bar_chart(title, rows)
end

-- ------------------------------------------------------------ pages

local function total_text(res)
  if res.total then return dec(res.total) end
  return res.total_text or s.none
end

local function rank_text(res)
  local a = res.rank and int(res.rank) or res.rank_text
  local b = res.of and int(res.of) or res.of_text
  if not a then return nil end
  return a .. (b and ("/" .. b) or "")
end

local function source_html(site, res)
  local src = res.source and esc(res.source) or esc(s.no_source)
  if res.source_url then src = '<a href="' .. esc(res.source_url) .. '">' .. src .. "</a>" end
  if res.date then src = src .. " (" .. esc(string.format(s.source_published, congkhai.date(res.date))) .. ")" end
  return '<p class="source"><small>' .. esc(s.source) .. ": " .. src .. ". " .. esc(s.notice) .. "</small></p>"
end

-- the one-sentence caption of a result
local function summary(p, res)
  local parts = { string.format(s.summary, res.unit, p.label, total_text(res)) }
  local rk = rank_text(res)
  if rk then parts[#parts + 1] = string.format(s.rank, rk) end
  if res.label and res.label ~= "" then parts[#parts + 1] = string.format(s.label, res.label) end
  return table.concat(parts, ", ") .. "."
end

local function result_table(p, res)
  local out = { '<div class="table-wrap"><table class="results-766">',
    "<caption>" .. esc(string.format(s.table_caption, res.unit, p.label)) .. "</caption>",
    '<thead><tr><th scope="col">' .. esc(s.group) .. '</th><th scope="col">' .. esc(s.score) ..
    '</th><th scope="col">' .. esc(s.max) .. '</th><th scope="col">' .. esc(s.share) .. "</th></tr></thead><tbody>" }
  for _, g in ipairs(model.groups) do
    local v = res.scores[g.key]
    local shown = v and dec(v) or res.written[g.key] or s.none
    local share = v and (dec(math.floor(v / g.max * 1000 + 0.5) / 10) .. "%") or s.none
    out[#out + 1] = '<tr><th scope="row">' .. esc(g.name) .. "</th><td>" .. esc(shown) .. "</td><td>" ..
      esc(maxfmt(g.max)) .. "</td><td>" .. esc(share) .. "</td></tr>"
  end
  out[#out + 1] = "</tbody><tfoot><tr><th scope=\"row\">" .. esc(s.total) .. "</th><td>" .. esc(total_text(res)) ..
    "</td><td>100</td><td>" .. (res.total and esc(dec(math.floor(res.total * 10 + 0.5) / 10) .. "%") or esc(s.none)) ..
    "</td></tr></tfoot></table></div>"
  return table.concat(out, "\n")
end

local function unit_id(i) return "don-vi-" .. i end

local function result_html(site, p, res, i, level)
  local h = "h" .. level
  local out = { '<section class="result-766" id="' .. unit_id(i) .. '">',
    "<" .. h .. ">" .. esc(res.unit) .. "</" .. h .. ">",
    '<p class="lead">' .. esc(summary(p, res)) .. "</p>" }
  if #model.groups > 0 then
    out[#out + 1] = result_table(p, res)
    out[#out + 1] = groups_chart(p, res)
  end
  out[#out + 1] = source_html(site, res)
  out[#out + 1] = "</section>"
  return table.concat(out, "\n")
end

-- a period in full: the totals chart, then each unit
local function period_html(site, p, level)
  local out = { totals_chart(p, level) }
  for i, res in ipairs(p.results) do out[#out + 1] = result_html(site, p, res, i, level) end
  return table.concat(out, "\n")
end

local function period_list(site, current)
  local out = { '<ul class="proc-list">' }
  for _, p in ipairs(model.periods) do
    local units = {}
    for _, r in ipairs(p.results) do
      units[#units + 1] = esc(r.unit) .. " " .. esc(total_text(r))
    end
    local link = p == current and ("<strong>" .. esc(p.label) .. "</strong>")
      or ('<a href="' .. esc(site:link(p.url)) .. '">' .. esc(p.label) .. "</a>")
    out[#out + 1] = "<li>" .. link .. '<span class="proc-meta">' .. table.concat(units, "; ") .. "</span></li>"
  end
  out[#out + 1] = "</ul>"
  return table.concat(out, "\n")
end

local function document(site, title, body, url, crumbs)
  return site:page({ title = title, body = body, url = url, breadcrumbs = crumbs })
end

function M.render(site)
  if not model then return end
  local home = { title = s.home, url = congkhai.url_for("home") }
  local index_url = congkhai.url_for("results")
  -- the index: every period, the latest in full
  local latest = model.latest
  local body = table.concat({
    "<h1>" .. esc(s.title) .. "</h1>",
    '<p class="lead">' .. esc(s.subtitle) .. "</p>",
    "<p>" .. esc(s.intro) .. "</p>",
    "<h2>" .. esc(s.latest) .. ": " .. '<a href="' .. esc(site:link(latest.url)) .. '">' .. esc(latest.label) .. "</a></h2>",
    period_html(site, latest, 3),
    "<h2>" .. esc(s.all) .. "</h2>",
    period_list(site, nil),
  }, "\n")
  site:write(index_url:sub(2) .. "index.html",
    document(site, s.title, body, index_url, { home, { title = s.title } }))
  -- one page per period
  for _, p in ipairs(model.periods) do
    local title = string.format(s.period_title, p.label)
    local b = table.concat({
      "<h1>" .. esc(title) .. "</h1>",
      '<p class="lead">' .. esc(s.subtitle) .. ". " .. esc(string.format(s.units, int(#p.results))) .. ".</p>",
      period_html(site, p, 2),
      "<h2>" .. esc(s.other) .. "</h2>",
      period_list(site, p),
    }, "\n")
    site:write(p.url:sub(2) .. "index.html",
      document(site, title, b, p.url, { home, { title = s.title, url = index_url }, { title = p.label } }))
  end
end

return M
