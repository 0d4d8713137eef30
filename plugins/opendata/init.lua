-- opendata — /du-lieu/: the procedures and the change log as open data
-- (SPEC §4), documented on /du-lieu/ and in docs/open-data.md.
--   du-lieu/thu-tuc.json   every published procedure, sorted by code
--   du-lieu/thu-tuc.csv    the same, one row each (UTF-8 with a BOM, CRLF)
--   du-lieu/thay-doi.json  every significant change, newest first
--   thu-tuc/<code>/index.json  one procedure with its full history
-- A fact written "chưa xác minh" keeps that literal value and its key is
-- listed in `unverified` in every file. Option `licence` {name=, url=}.
local M = { name = "opendata", version = "1.0",
  options = { licence = { name = "CC BY 4.0", url = "https://creativecommons.org/licenses/by/4.0/" } } }

local SCHEMA = "1.0"
local DEFAULT_LICENCE = M.options.licence
local licence = DEFAULT_LICENCE

-- A nil in a table is no key at all; congkhai.null is JSON's null.
local NULL = congkhai.null
local function json(v) return congkhai.json(v) .. "\n" end
local function opt(v) if v == nil then return NULL end return v end
local function esc(s) return congkhai.escape(s or "") end

local S = {
  vi = {
    title = "Dữ liệu mở", home = "Trang chủ",
    intro = "Danh mục thủ tục hành chính và nhật ký thay đổi của cổng được công bố dưới dạng dữ liệu mở, máy đọc được, cập nhật mỗi lần cổng được xây dựng lại.",
    files = "Các tệp dữ liệu", schema = "Cấu trúc dữ liệu", licence = "Giấy phép",
    unverified = "Thông tin chưa xác minh", usage = "Cách dùng",
    generated = "Dữ liệu tính đến ngày %s. Phiên bản cấu trúc: %s.",
    f_json = "Tất cả thủ tục đang công bố (%s thủ tục), sắp theo mã, dạng JSON.",
    f_csv = "Tất cả thủ tục (%s thủ tục), mỗi thủ tục một dòng, dạng CSV (UTF-8 có BOM, mở được bằng Excel).",
    f_changes = "Nhật ký thay đổi (%s mục), mới nhất trước, dạng JSON.",
    f_proc = "Mỗi thủ tục một tệp JSON, kèm toàn bộ lịch sử thay đổi, ví dụ %s.",
    size = "%s KB",
    col_name = "Trường", col_type = "Kiểu", col_meaning = "Ý nghĩa",
    licence_default = "Dữ liệu được công bố theo giấy phép Creative Commons Ghi công 4.0 (CC BY 4.0)",
    licence_other = "Dữ liệu được công bố theo giấy phép %s",
    attribution = "Khi sử dụng lại, vui lòng ghi nguồn: %s.",
    unverified_text = "Một thông tin bắt buộc chưa được kiểm chứng được ghi đúng nguyên văn “chưa xác minh”, không bao giờ là một giá trị đoán. Tên trường của thông tin đó (hoặc mã mục, ví dụ can-cu-phap-ly) có trong trường unverified: một mảng trong JSON, một cột nối bằng “; ” trong CSV. Đừng dùng giá trị của một trường có trong unverified như giá trị thật.",
    usage_text = "Tải dữ liệu bằng curl, hoặc truy vấn cơ sở dữ liệu SQLite của cổng (index.sqlite, cũng dùng cho tìm kiếm) bằng sqlite3:",
    changes_kind = "Thủ tục, tin bài và trang đều có trong nhật ký thay đổi; thủ tục đã thôi công khai có deleted là true.",
  },
  en = {
    title = "Open data", home = "Home",
    intro = "The portal's catalogue of administrative procedures and its change log, published as machine-readable open data, refreshed every time the portal is built.",
    files = "Data files", schema = "Schemas", licence = "Licence",
    unverified = "Facts not yet verified", usage = "Using the data",
    generated = "Data as of %s. Schema version: %s.",
    f_json = "Every published procedure (%s procedures), sorted by code, as JSON.",
    f_csv = "Every procedure (%s procedures), one row each, as CSV (UTF-8 with a BOM, opens in Excel).",
    f_changes = "The change log (%s entries), newest first, as JSON.",
    f_proc = "One JSON file per procedure, with its full change history, e.g. %s.",
    size = "%s KB",
    col_name = "Field", col_type = "Type", col_meaning = "Meaning",
    licence_default = "The data is published under the Creative Commons Attribution 4.0 licence (CC BY 4.0)",
    licence_other = "The data is published under the licence %s",
    attribution = "When reusing it, please credit: %s.",
    unverified_text = "A required fact that has not been verified is written literally “chưa xác minh” (not yet verified), never as a guess. Its key (or a section id such as can-cu-phap-ly) is listed in the field unverified: an array in JSON, a column joined with “; ” in CSV. Do not use the value of a field listed in unverified as a real value.",
    usage_text = "Download the data with curl, or query the portal's SQLite database (index.sqlite, also used by search) with sqlite3:",
    changes_kind = "Procedures, articles and pages are all in the change log; procedures no longer published have deleted set to true.",
  },
}

-- The schemas: { name, type, vi, en } per field, one place for the page
-- (and mirrored in docs/open-data.md).
local SITE_FIELDS = {
  { "schema", "string", "phiên bản cấu trúc dữ liệu", "schema version" },
  { "generated", "string (YYYY-MM-DD)", "ngày dữ liệu (ngày tính của bản dựng)", "the build's as-of date" },
  { "site", "object", "tên cổng (title), địa chỉ (base_url), cơ quan (organization)", "the portal: title, base_url, organization" },
  { "licence", "object", "giấy phép: name, url", "licence: name, url" },
}
local PROC_FIELDS = {
  { "code", "string", "mã thủ tục quốc gia", "national procedure code" },
  { "title", "string", "tên thủ tục", "procedure name" },
  { "url", "string", "địa chỉ trang thủ tục", "address of the procedure's page" },
  { "field", "string", "lĩnh vực", "field (lĩnh vực)" },
  { "level", "array of string", "cấp thực hiện: tỉnh, huyện, xã", "level: tỉnh (province), huyện (district), xã (commune)" },
  { "agency", "array of string", "cơ quan thực hiện", "implementing agencies" },
  { "processing_time", "string", "thời hạn giải quyết", "processing time" },
  { "fee", "string | array of string", "phí, lệ phí", "fees and charges" },
  { "online", "string", "dịch vụ công trực tuyến: toàn trình, một phần, không", "online service: toàn trình (full), một phần (partial), không (none)" },
  { "status", "string", "tình trạng: hiệu lực, bãi bỏ", "status: hiệu lực (in force), bãi bỏ (abolished)" },
  { "state", "string", "in-force (đang hiệu lực), abolished (đã bãi bỏ), not-yet (chưa có hiệu lực)", "in-force, abolished, not-yet (not yet in force)" },
  { "effective", "string | null", "ngày có hiệu lực (YYYY-MM-DD)", "effective date (YYYY-MM-DD)" },
  { "decision", "string | array of object | null", "quyết định công bố: một dòng, hoặc các bản ghi {number, date, kind, file, sha256, url}", "publishing decision: one line, or records {number, date, kind, file, sha256, url}" },
  { "portal_url", "string | null", "địa chỉ nộp hồ sơ trực tuyến", "where to file online" },
  { "reception", "array of string", "nơi tiếp nhận hồ sơ", "where dossiers are received" },
  { "channels", "array of object", "cách thức thực hiện: {method, time, fee, note}", "channels: {method, time, fee, note}" },
  { "cases", "array of object", "các trường hợp: {code, title, time, fee}", "sub-cases: {code, title, time, fee}" },
  { "repealed", "object | null", "bãi bỏ: {date, decision}", "repeal: {date, decision}" },
  { "replaces", "array of string", "mã các thủ tục được thay thế", "codes of the procedures it replaces" },
  { "tags", "array of string", "thẻ", "tags" },
  { "sections", "array of object", "các mục nội dung: {title, id, text, items}", "body sections: {title, id, text, items}" },
  { "published", "string | null", "ngày đăng lần đầu (null khi không có lịch sử git)", "first published (null without git history)" },
  { "updated", "string | null", "ngày cập nhật đáng kể gần nhất (null khi không có lịch sử git)", "last significant update (null without git history)" },
  { "unverified", "array of string", "các thông tin ghi “chưa xác minh”", "the facts written “chưa xác minh” (not yet verified)" },
}
local CSV_COLUMNS = { "code", "title", "url", "field", "level", "agency", "processing_time", "fee",
  "online", "status", "state", "effective", "decision", "published", "updated", "unverified" }
local CHANGE_FIELDS = {
  { "date", "string", "ngày thay đổi (YYYY-MM-DD)", "date (YYYY-MM-DD)" },
  { "time", "string", "thời điểm (RFC 3339)", "time (RFC 3339)" },
  { "url", "string", "địa chỉ trang", "address of the page" },
  { "kind", "string", "procedure, article hoặc page", "procedure, article or page" },
  { "code", "string | null", "mã thủ tục (null với tin bài, trang)", "procedure code (null for articles and pages)" },
  { "title", "string", "tên trang", "page title" },
  { "note", "string", "ghi chú thay đổi; “Đăng lần đầu” khi first là true", "change note; “Đăng lần đầu” (first published) when first is true" },
  { "commit", "string", "mã commit git", "git commit id" },
  { "first", "boolean", "lần đăng đầu tiên của trang", "the page's first publication" },
  { "deleted", "boolean", "trang đã thôi công khai", "the page is no longer published" },
  { "changes", "array of object", "các thay đổi: {field, old, new} hoặc {section, added, removed, text_changed}", "what changed: {field, old, new} or {section, added, removed, text_changed}" },
}
local PROC_EXTRA = {
  { "history", "array of object", "toàn bộ lịch sử, mới nhất trước: {date, time, note, commit, first, changes}", "full history, newest first: {date, time, note, commit, first, changes}" },
  { "schema, generated, licence", "", "như trong thu-tuc.json", "as in thu-tuc.json" },
}

local FIRST = { vi = "Đăng lần đầu", en = "First published" }

function M.setup(site, options)
  site.open_data = congkhai.url_for("data")   -- so the theme can link it
  local l = options.licence
  if type(l) == "string" then l = { name = l } end
  licence = type(l) == "table" and l.name and l or DEFAULT_LICENCE
end

local function list(v)
  if v == nil then return {} end
  if type(v) == "table" then return v end
  return { v }
end

local function entry_record(site, e)
  local first = e.first == true
  return { date = e.date, time = opt(e.time), note = first and (FIRST[site.language] or FIRST.vi) or e.note,
    commit = opt(e.commit), first = first, changes = e.changes or {}, author = e.author }
end

local function record(site, p)
  local m, h = p.meta, p.history
  local sections = {}
  for i, s in ipairs(p.sections or {}) do
    sections[i] = { title = s.title, id = s.id, text = s.text or "", items = s.items or {} }
  end
  return {
    code = m.code, title = p.title, url = site:absurl(p.url), field = opt(m.field),
    level = list(m.level), agency = list(m.agency), processing_time = opt(m.processing_time),
    fee = opt(m.fee), online = opt(m.online), status = opt(m.status), state = opt(p.state),
    effective = opt(m.effective), decision = opt(m.decision), portal_url = opt(m.portal_url),
    reception = list(m.reception), channels = list(m.channels), cases = list(m.cases),
    repealed = opt(m.repealed), replaces = list(m.replaces), tags = list(m.tags),
    sections = sections, published = opt(h and h.published), updated = opt(h and h.updated),
    unverified = list(m.unverified),
  }
end

-- CSV cells: lists joined with "; ", decision records "number ngày dd/mm/yyyy".
local function text(v)
  if v == nil or v == NULL then return "" end
  if type(v) ~= "table" then return tostring(v) end
  local parts = {}
  for i, x in ipairs(v) do parts[i] = text(x) end
  return table.concat(parts, "; ")
end

local function decision_text(d)
  if type(d) ~= "table" then return text(d) end
  local recs = {}
  for i, r in ipairs(d) do recs[i] = { r = r, i = i } end
  table.sort(recs, function(a, b)     -- newest first, as on the page
    local da, db = type(a.r) == "table" and tostring(a.r.date or "") or "", type(b.r) == "table" and tostring(b.r.date or "") or ""
    if da ~= db then return da > db end
    return a.i < b.i
  end)
  local parts = {}
  for _, x in ipairs(recs) do
    local r = x.r
    if type(r) == "table" then
      local s = tostring(r.number or "")
      if r.date and tostring(r.date):match("^%d%d%d%d%-%d%d%-%d%d$") then
        s = s .. " ngày " .. congkhai.date(tostring(r.date))
      elseif r.date then
        s = s .. " ngày " .. tostring(r.date)
      end
      parts[#parts + 1] = s
    else
      parts[#parts + 1] = text(r)
    end
  end
  return table.concat(parts, "; ")
end

-- A record's CSV line (CRLF-ended), its cells in CSV_COLUMNS' order.
local function csv_line(r)
  local row = {}
  for i, c in ipairs(CSV_COLUMNS) do
    row[i] = c == "decision" and decision_text(r.decision) or text(r[c])
  end
  return congkhai.csv({ row })
end

-- Every significant change, newest first (as /thay-doi/, without a limit).
local function change_log(site)
  local out = {}
  local function add(h, url, kind, code, title, deleted)
    for _, e in ipairs(h and h.entries or {}) do
      local c = entry_record(site, e)
      c.url, c.kind, c.code, c.title, c.deleted = site:absurl(url), kind, opt(code), title, deleted
      c._time, c._url = e.time or e.date, url
      out[#out + 1] = c
    end
  end
  for _, p in ipairs(site.pages) do
    add(p.history, p.url, p.kind, p.kind == "procedure" and p.meta.code or nil, p.title, false)
  end
  for _, d in ipairs(site.deleted or {}) do
    add(d.history, d.url, "procedure", d.code, d.title, true)
  end
  table.sort(out, function(a, b)
    if a._time ~= b._time then return a._time > b._time end
    if a._url ~= b._url then return a._url < b._url end
    return tostring(a.commit) < tostring(b.commit)
  end)
  for _, c in ipairs(out) do c._time, c._url = nil, nil end
  return out
end

local function kb(site, s, n)
  local x = string.format("%.1f", n / 1024)
  if site.language ~= "en" then x = x:gsub("%.", ",") end
  return string.format(s.size, x)
end

local function is_default_licence()
  return licence.name == DEFAULT_LICENCE.name and licence.url == DEFAULT_LICENCE.url
end

local function schema_table(s, en, fields)
  local out = { '<div class="table-wrap"><table><thead><tr><th scope="col">' .. esc(s.col_name) ..
    '</th><th scope="col">' .. esc(s.col_type) .. '</th><th scope="col">' .. esc(s.col_meaning) .. "</th></tr></thead><tbody>" }
  for _, f in ipairs(fields) do
    out[#out + 1] = "<tr><th scope=\"row\"><code>" .. esc(f[1]) .. "</code></th><td>" .. esc(f[2]) ..
      "</td><td>" .. esc(en and f[4] or f[3]) .. "</td></tr>"
  end
  out[#out + 1] = "</tbody></table></div>"
  return table.concat(out, "\n")
end

local function html_body(site, s, info)
  local en = site.language == "en"
  local data = congkhai.url_for("data")
  local function file_link(name, bytes)
    local u = data .. name
    return '<a href="' .. esc(site:link(u)) .. '"><code>' .. esc(name) .. "</code></a> (" .. esc(kb(site, s, bytes)) .. ")"
  end
  local n = congkhai.number(info.count)
  local example = info.example and ('<a href="' .. esc(site:link(info.example)) .. '"><code>' .. esc(info.example) .. "</code></a>")
    or "<code>" .. esc(congkhai.url_for("procedure-data", "CODE")) .. "</code>"
  local lic_name = licence.url and ('<a href="' .. esc(licence.url) .. '" rel="license">' .. esc(licence.name) .. "</a>") or esc(licence.name)
  local lic = is_default_licence() and esc(s.licence_default) .. ' (<a href="' .. esc(licence.url) .. '" rel="license">' .. esc(licence.url) .. "</a>)."
    or (string.format(esc(s.licence_other), lic_name) .. ".")
  local abs = site:absurl(data .. "thu-tuc.csv")
  local db = site:absurl("/index.sqlite")
  local sql = 'sqlite3 index.sqlite "SELECT p.code, p.title, r.fee, r.unverified FROM pages p JOIN procedures r ON r.page_id = p.id ORDER BY p.code;"'
  local out = {
    "<h1>" .. esc(s.title) .. "</h1>",
    '<p class="lead">' .. esc(s.intro) .. "</p>",
    "<p>" .. esc(string.format(s.generated, congkhai.date(site.asof), SCHEMA)) .. "</p>",
    '<h2 id="tep">' .. esc(s.files) .. "</h2>",
    "<ul>",
    "<li>" .. file_link("thu-tuc.json", info.json_size) .. ": " .. esc(string.format(s.f_json, n)) .. "</li>",
    "<li>" .. file_link("thu-tuc.csv", info.csv_size) .. ": " .. esc(string.format(s.f_csv, n)) .. "</li>",
    "<li>" .. file_link("thay-doi.json", info.changes_size) .. ": " ..
      esc(string.format(s.f_changes, congkhai.number(info.changes))) .. "</li>",
    "<li>" .. string.format(esc(s.f_proc), example) .. "</li>",
    "</ul>",
    '<h2 id="cau-truc">' .. esc(s.schema) .. "</h2>",
    "<h3><code>thu-tuc.json</code></h3>",
    schema_table(s, en, SITE_FIELDS),
    "<p><code>procedures</code>:</p>",
    schema_table(s, en, PROC_FIELDS),
    "<h3><code>thu-tuc.csv</code></h3>",
    "<p><code>" .. esc(table.concat(CSV_COLUMNS, ",")) .. "</code></p>",
    "<h3><code>thay-doi.json</code></h3>",
    "<p><code>schema</code>, <code>generated</code>, <code>site</code>, <code>licence</code>; <code>entries</code>:</p>",
    schema_table(s, en, CHANGE_FIELDS),
    "<p>" .. esc(s.changes_kind) .. "</p>",
    "<h3><code>" .. esc(congkhai.url_for("procedure-data", "CODE")) .. "</code></h3>",
    schema_table(s, en, PROC_EXTRA),
    '<h2 id="chua-xac-minh">' .. esc(s.unverified) .. "</h2>",
    "<p>" .. esc(s.unverified_text) .. "</p>",
    '<h2 id="giay-phep">' .. esc(s.licence) .. "</h2>",
    "<p>" .. lic .. " " .. esc(string.format(s.attribution, site.organization or site.title)) .. "</p>",
    '<h2 id="cach-dung">' .. esc(s.usage) .. "</h2>",
    "<p>" .. esc(s.usage_text) .. "</p>",
    "<pre><code>curl -O " .. esc(abs) .. "\ncurl -O " .. esc(db) .. "\n" .. esc(sql) .. "</code></pre>",
  }
  return table.concat(out, "\n")
end

function M.render(site)
  local s = S[site.language] or S.vi
  local meta = {
    schema = SCHEMA, generated = site.asof,
    site = { title = opt(site.title), base_url = site.base_url, organization = opt(site.organization) },
    licence = { name = licence.name, url = opt(licence.url) },
  }
  local procs = {}
  for _, p in ipairs(site.pages) do
    if p.kind == "procedure" then procs[#procs + 1] = p end
  end
  table.sort(procs, function(a, b)
    if a.meta.code ~= b.meta.code then return tostring(a.meta.code) < tostring(b.meta.code) end
    return a.path < b.path
  end)
  -- thu-tuc.json and thu-tuc.csv are made of one part per procedure:
  -- their head is written first, then each procedure appends its record
  -- and its CSV line (site:append, in item order), and the JSON's tail
  -- last. Neither is ever whole in memory.
  local data = congkhai.url_for("data"):sub(2)
  local json_path, csv_path = data .. "thu-tuc.json", data .. "thu-tuc.csv"
  local envelope = congkhai.json({ schema = meta.schema, generated = meta.generated, site = meta.site,
    licence = meta.licence, procedures = {} })
  local cut = envelope:find('"procedures":[]', 1, true) + #'"procedures":['
  local head, tail = envelope:sub(1, cut - 1), envelope:sub(cut) .. "\n"
  local csv_head = "\239\187\191" .. congkhai.csv({}, CSV_COLUMNS)
  site:write(json_path, head)
  site:write(csv_path, csv_head)
  -- One file per procedure, in -j processes, kept by site:each's memo
  -- while the procedure is the same (congkhai.digest(p) covers what its
  -- record and history read of it; the licence, language and address are
  -- in every key, as this plugin's options and site.yaml; the first
  -- record has no comma before it, so being first is in the key too). It
  -- has no `generated`: a file that changes only when its procedure does
  -- is carried over on a new day, and its `updated` says how old it is.
  -- What comes back is the sizes of the two parts.
  local sizes = site:each(procs, function(p, i)
    local r = record(site, p)
    local part, line = (i > 1 and "," or "") .. congkhai.json(r), csv_line(r)
    site:append(json_path, part)
    site:append(csv_path, line)
    local hist = {}
    for j, e in ipairs(p.history and p.history.entries or {}) do hist[j] = entry_record(site, e) end
    r.history = hist
    r.schema, r.licence = meta.schema, meta.licence
    site:write(congkhai.url_for("procedure-data", p.meta.code):sub(2), json(r))
    return #part .. " " .. #line
  end, function(p, i) return congkhai.digest(p) .. (i == 1 and " first" or "") end)
  site:append(json_path, tail)
  local json_size, csv_size = #head + #tail, #csv_head
  for _, z in ipairs(sizes) do
    local j, c = z:match("^(%d+) (%d+)$")
    json_size, csv_size = json_size + tonumber(j), csv_size + tonumber(c)
  end
  local log = change_log(site)
  local cj = json({ schema = meta.schema, generated = meta.generated, site = meta.site,
    licence = meta.licence, entries = log })
  site:write(data .. "thay-doi.json", cj)

  local body = html_body(site, s, { count = #procs, json_size = json_size, csv_size = csv_size,
    changes_size = #cj, changes = #log,
    example = procs[1] and congkhai.url_for("procedure-data", procs[1].meta.code) })
  local url = congkhai.url_for("data")
  local html = site:page({ title = s.title, body = body, url = url,
      breadcrumbs = { { title = s.home, url = congkhai.url_for("home") }, { title = s.title } } })
  site:write(data .. "index.html", html)
end

return M
