-- portal — the public portal theme (SPEC §4): home, catalog, one page per
-- procedure, listings by field, level and agency, news, articles, standing
-- pages, pages for deleted procedures and 404. The search page itself is
-- the search plugin's; every page's header has a search form pointing to it.
-- HTML comes from templates/ (content/templates/ overrides any of them);
-- this file builds what each template receives. No JavaScript.
local i18n = require("i18n")
local dossier = require("dossier")     -- "Thành phần hồ sơ" as a checklist
local posting = require("posting")     -- print sheets, versions, posting boards

local M = { name = "portal", version = "1.0" }

local NEWS_PER_PAGE = 10
local LEVELS = congkhai.vocab.levels        -- site.yaml's levels (SPEC §3)

-- A fact written "chưa xác minh" (a string, or a list holding only that).
local function unverified(v)
  if type(v) == "table" then v = #v == 1 and v[1] or nil end
  return type(v) == "string" and congkhai.fold(v) == congkhai.fold(congkhai.vocab.unverified)
end

local site, t        -- the site; the strings of its language
local CL = ""        -- ' lang="vi"' on content when the UI speaks another language
local tpl = {}       -- compiled templates by name

local function template(name)
  local f = tpl[name]
  if not f then
    f = congkhai.template_file(name)
    tpl[name] = f
  end
  return f
end

local function link(url) return site:link(url) end

local function fmt(s, ...) return string.format(s, ...) end

-- Sort a list of tables by a string key with Vietnamese collation.
local function vsort(list, key)
  local keyed = {}
  for i, item in ipairs(list) do keyed[i] = { k = congkhai.sortkey(key(item)), i = i, v = item } end
  table.sort(keyed, function(a, b) if a.k ~= b.k then return a.k < b.k end return a.i < b.i end)
  local out = {}
  for i, e in ipairs(keyed) do out[i] = e.v end
  return out
end

-- The menu: procedures, news, standing pages with `menu`, changes, search.
local function menu()
  local items = {
    { title = t.procedures, url = congkhai.url_for("procedures") },
    { title = t.news, url = congkhai.url_for("news") },
  }
  for _, p in ipairs(site.standing) do
    if p.meta.menu then items[#items + 1] = { title = p.title, url = p.url } end
  end
  items[#items + 1] = { title = t.changes, url = congkhai.url_for("changes") }
  items[#items + 1] = { title = t.search, url = congkhai.url_for("search"), class = "menu-search" }
  return items
end

local MENU

-- A whole HTML document in the portal layout. args: title, body (trusted
-- HTML), url (site-relative), breadcrumbs, head (trusted), scripts,
-- description, noindex.
local function page_html(args)
  return template("layout.html")({
    site = site, t = t, link = link, menu = MENU, title = args.title, body = args.body,
    url = args.url, breadcrumbs = args.breadcrumbs or {}, head = args.head or "",
    scripts = args.scripts or {}, description = args.description,
    canonical = (args.canonical_url or args.url) and site:absurl(args.canonical_url or args.url) or nil,
    noindex = args.noindex,
    lang = site.language, contact = site.config.contact, og_type = args.og_type,
  })
end

local function write_page(url, args)
  args.url = args.url or url
  site:write(url:sub(2) .. "index.html", page_html(args))
end

local function crumbs(...)
  local list = { { title = t.home, url = "/" } }
  for _, c in ipairs({ ... }) do list[#list + 1] = c end
  return list
end

-- ------------------------------------------------------------ the model

local by_code, fields, levels, agencies, replaced_by

local function as_list(v)
  if v == nil then return {} end
  if type(v) == "table" then return v end
  return { v }
end

-- Every count the portal shows is of procedures in force: one rule, so
-- the home page, the catalog and each listing agree.
local function in_force(list)
  local n = 0
  for _, p in ipairs(list) do if p.state == "in-force" then n = n + 1 end end
  return n
end

local function index_procedures()
  by_code, replaced_by = {}, {}
  local fmap, amap = {}, {}
  fields, agencies = {}, {}
  levels = {}
  for _, l in ipairs(LEVELS) do levels[l] = {} end
  for _, p in ipairs(site.procedures) do
    local m = p.meta
    by_code[m.code] = p
    local fs = congkhai.slug(m.field)
    if not fmap[fs] then
      fmap[fs] = { title = m.field, slug = fs, url = congkhai.url_for("field", m.field), procedures = {} }
      fields[#fields + 1] = fmap[fs]
    end
    table.insert(fmap[fs].procedures, p)
    for _, l in ipairs(as_list(m.level)) do if levels[l] then table.insert(levels[l], p) end end
    for _, a in ipairs(unverified(m.agency) and {} or as_list(m.agency)) do
      local as = congkhai.slug(a)
      if not amap[as] then
        amap[as] = { title = a, slug = as, url = congkhai.url_for("agency", a), procedures = {} }
        agencies[#agencies + 1] = amap[as]
      end
      table.insert(amap[as].procedures, p)
    end
    for _, old in ipairs(as_list(m.replaces)) do
      replaced_by[old] = replaced_by[old] or {}
      table.insert(replaced_by[old], p)
    end
  end
  for _, g in ipairs(fields) do g.count = in_force(g.procedures) end
  for _, g in ipairs(agencies) do g.count = in_force(g.procedures) end
  fields = vsort(fields, function(f) return f.title end)
  agencies = vsort(agencies, function(a) return a.title end)
  for _, f in ipairs(fields) do f.procedures = vsort(f.procedures, function(p) return p.title end) end
  for _, a in ipairs(agencies) do a.procedures = vsort(a.procedures, function(p) return p.title end) end
  for _, l in ipairs(LEVELS) do levels[l] = vsort(levels[l], function(p) return p.title end) end
end

-- What a procedure list item shows.
local function item(p)
  local lv = {}
  for _, l in ipairs(as_list(p.meta.level)) do lv[#lv + 1] = t.levels[l] or l end
  return {
    url = p.url, code = p.meta.code, title = p.title, levels = table.concat(lv, ", "),
    online = t.online_values[p.meta.online] or p.meta.online, online_key = p.meta.online,
    state = p.state, effective = p.meta.effective, cl = CL,
  }
end

local function items(list)
  local out = {}
  for i, p in ipairs(list) do out[i] = item(p) end
  return out
end

-- Split procedures into those in force and the others (listed apart).
local function split_state(list)
  local now, later, gone = {}, {}, {}
  for _, p in ipairs(list) do
    if p.state == "not-yet" then later[#later + 1] = p
    elseif p.state == "abolished" then gone[#gone + 1] = p
    else now[#now + 1] = p end
  end
  return now, later, gone
end

-- ------------------------------------------------------------ history

local function value_text(v)
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = value_text(x) end
    if #parts == 0 then
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      for _, k in ipairs(keys) do parts[#parts + 1] = k .. ": " .. value_text(v[k]) end
    end
    return table.concat(parts, ", ")
  end
  if v == nil then return "" end
  return tostring(v)
end

-- One history entry as pages show it, with readable changes; the first
-- publication is said as such, never by its commit subject.
local function entry_model(e)
  local changes = {}
  for _, c in ipairs(e.changes or {}) do
    if c.field then
      changes[#changes + 1] = { label = congkhai.label(c.field),
        old = value_text(c.old), new = value_text(c.new) }
    elseif c.section then
      changes[#changes + 1] = { label = c.section, added = c.added or {}, removed = c.removed or {},
        text_changed = c.text_changed }
    end
  end
  return { date = e.date, note = e.first and t.first_published or e.note, author = e.author,
    changes = changes, first = e.first }
end

-- The history block's model: newest first.
local function history_model(h)
  if not h then return nil end
  local entries = {}
  for i, e in ipairs(h.entries or {}) do entries[i] = entry_model(e) end
  return { published = h.published, updated = h.updated, truncated = h.truncated, entries = entries }
end

-- ------------------------------------------------------------ pages

local function national_search(code)
  return "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?ma_thu_tuc=" .. code
end

-- Where to send feedback: the site's page phan-anh-kien-nghi, else the
-- national portal's form. absolute: as a full URL (for print).
local function feedback_url(absolute)
  for _, p in ipairs(site.standing) do
    if p.slug == "phan-anh-kien-nghi" then return absolute and site:absurl(p.url) or link(p.url) end
  end
  return "https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-pakn.html"
end

-- The facts of a procedure the page shows beside the core ones (SPEC §3):
-- decisions newest first, sources with the label of the fact they back,
-- and the offices of data/co-quan.yaml that reception names.
local fact_labels = { code = "code", title = "title", field = "field", level = "level", agency = "agency",
  processing_time = "time", fee = "fee", online = "online", channels = "channels", cases = "cases",
  decision = "decision", reception = "reception" }
-- Facts in the order the page shows them (sources follow it).
local FACT_ORDER = { "code", "title", "field", "level", "agency", "processing_time", "fee", "online",
  "channels", "cases", "reception", "decision", "decision_file", "effective", "status", "repealed",
  "replaces", "portal_url" }

-- What the page calls a fact (or a required section): the same label as
-- where it is shown.
local function fact_label(k)
  return t[fact_labels[k] or ""] or t.section_names[k] or congkhai.label(k)
end

-- An address from content or data as a page may link it: http(s), or a
-- site path (made relative to base_url); anything else (javascript:) none.
local function safe_url(u)
  if type(u) ~= "string" then return nil end
  if u:match("^https?://") then return u end
  if u:match("^/[^/]") then return link(u) end
  return nil
end

local function iso_date(d)
  return type(d) == "string" and d:match("^%d%d%d%d%-%d%d%-%d%d$") ~= nil
end

-- A decision's number as a citizen reads it: "1234/QĐ-UBND" is "Quyết
-- định số 1234/QĐ-UBND"; text that names its kind ("Nghị quyết ...") stays.
local function decision_title(n)
  if n == nil then return nil end
  n = tostring(n)
  if n:match("^%d") then return fmt(t.decision_no, n) end
  return n
end

-- A value of a table cell (channels, cases): escaped text, or the badge
-- when it is "chưa xác minh".
local function fact_html(v)
  if v == nil then return "" end
  if unverified(v) then
    return '<span class="badge-unverified">' .. congkhai.escape(t.unverified) .. "</span>"
  end
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = tostring(x) end
    v = table.concat(parts, "; ")
  end
  return congkhai.escape(tostring(v))
end

-- A date as shown: YYYY-MM-DD as dd/mm/yyyy, other text as written.
local function show_date(d)
  if d == nil then return nil end
  if iso_date(d) then return congkhai.date(d) end
  return tostring(d)
end

-- Decisions as records, newest first: those dated YYYY-MM-DD by date, then
-- the others as written. A file under static/ is linked at the url the
-- core sets from it, with the sha256 it computes.
local function decisions_of(m)
  local out = {}
  if type(m.decision) ~= "table" then return out end
  for i, d in ipairs(m.decision) do
    if type(d) == "table" then
      out[#out + 1] = { number = d.number and tostring(d.number), title = decision_title(d.number) or t.decision,
        sha256 = d.sha256, url = safe_url(d.url),
        kind = d.kind and (t.decision_kinds[d.kind] or tostring(d.kind)),
        date = show_date(d.date), iso = iso_date(d.date) and d.date or nil, i = i }
    end
  end
  table.sort(out, function(a, b)
    if a.iso and b.iso and a.iso ~= b.iso then return a.iso > b.iso end
    if (a.iso == nil) ~= (b.iso == nil) then return a.iso ~= nil end
    return a.i < b.i
  end)
  return out
end

-- Sources: a list, or per fact (in the order the page shows the facts,
-- then any other key alphabetically), each labelled as on the page.
local function sources_of(m)
  local out = {}
  local function add(list, key)
    for _, s in ipairs(type(list) == "table" and list or {}) do
      if type(s) == "table" then
        out[#out + 1] = { fact = key and fact_label(key), title = s.title and tostring(s.title) or s.url,
          url = safe_url(s.url), sha256 = s.sha256, date = show_date(s.date) }
      end
    end
  end
  if type(m.sources) ~= "table" then return out end
  if m.sources[1] then add(m.sources) return out end
  local keys, seen = {}, {}
  for _, k in ipairs(FACT_ORDER) do
    if m.sources[k] then keys[#keys + 1] = k; seen[k] = true end
  end
  local rest = {}
  for k in pairs(m.sources) do if not seen[k] then rest[#rest + 1] = tostring(k) end end
  table.sort(rest)
  for _, k in ipairs(rest) do keys[#keys + 1] = k end
  for _, k in ipairs(keys) do add(m.sources[k], k) end
  return out
end

-- The offices of data/co-quan.yaml, in their order (the core gives the
-- map form as a list too, each entry with its name).
local offices, office_list         -- folded name (current or former) → office; all of them
local function load_offices()
  offices, office_list = {}, {}
  local data = site.data["co-quan"]
  if type(data) ~= "table" then return end
  for _, o in ipairs(data) do
    if type(o) == "table" and type(o.name) == "string" then
      office_list[#office_list + 1] = o
      offices[congkhai.fold(o.name)] = offices[congkhai.fold(o.name)] or o
      for _, f in ipairs(type(o.former_names) == "table" and o.former_names or {}) do
        if type(f) == "string" then offices[congkhai.fold(f)] = offices[congkhai.fold(f)] or o end
      end
    end
  end
end

local function office(name)
  if not offices then load_offices() end
  return type(name) == "string" and offices[congkhai.fold(name)] or nil
end

local OFFICE_FACTS = { "address", "phone", "hours", "email" }

-- JSON for a <script type="application/ld+json">: every "<" written
-- \u003c, so the data can neither close nor comment the script.
local function jsonld(v) return (congkhai.json(v):gsub("<", "\\u003c")) end

-- An office of data/co-quan.yaml as the pages show it: its facts in order
-- ({key, label, text, href, unverified}: a fact "chưa xác minh" is shown
-- as such), map and online-filing links, and schema.org GovernmentOffice
-- JSON-LD (every "<" written \u003c, so the script cannot be closed or
-- commented from the data; facts not yet verified are left out).
local function office_model(name, url)
  local o = office(name)
  if not o then return nil end
  local e = { name = o.name, facts = {}, map_url = safe_url(o.map_url), portal_url = safe_url(o.portal_url),
    unverified = {} }
  local ld = { ["@context"] = "https://schema.org", ["@type"] = "GovernmentOffice", name = o.name, url = url }
  local ld_keys = { address = "address", phone = "telephone", hours = "openingHours", email = "email" }
  for _, k in ipairs(OFFICE_FACTS) do
    local v = o[k]
    if type(v) == "table" then v = table.concat(v, "; ") end
    if v ~= nil then
      v = tostring(v)
      local f = { key = k, label = t[k], text = v, unverified = unverified(v) }
      if f.unverified then
        e.unverified[#e.unverified + 1] = k
      else
        ld[ld_keys[k]] = v
        if k == "phone" and v:find("%d") then f.href = "tel:" .. v:gsub("[^%d+]", "")
        elseif k == "email" and v:match("^[^%s@<>\"]+@[^%s@<>\"]+$") then f.href = "mailto:" .. v end
      end
      e.facts[#e.facts + 1] = f
    end
  end
  for _, k in ipairs({ "map_url", "portal_url" }) do
    if unverified(o[k]) then e.unverified[#e.unverified + 1] = k end
  end
  e.jsonld = jsonld(ld)
  return e
end

-- A value for JSON-LD: text, lists joined, or nil when not yet verified.
local function ld_text(v)
  if v == nil or unverified(v) then return nil end
  if type(v) == "table" then
    local parts = {}
    for _, x in ipairs(v) do if type(x) ~= "table" then parts[#parts + 1] = tostring(x) end end
    return #parts > 0 and table.concat(parts, "; ") or nil
  end
  return tostring(v)
end

-- "Thời hạn giải quyết: …", "Phí, lệ phí: …": what a shared link and the
-- JSON-LD say of a procedure's terms (facts not yet verified left out).
local function terms_of(m)
  local out = {}
  local time, fee = ld_text(m.processing_time), ld_text(m.fee)
  if time then out[#out + 1] = t.time .. ": " .. time end
  if fee then out[#out + 1] = t.fee .. ": " .. fee end
  return out
end

-- schema.org GovernmentService of a procedure page (SPEC §4): what it is,
-- who provides it, where and how to file it; facts not yet verified are
-- left out rather than guessed.
local function service_ld(p, apply_url, reception)
  local m = p.meta
  local ld = { ["@context"] = "https://schema.org", ["@type"] = "GovernmentService",
    name = ld_text(m.title), identifier = m.code, url = site:absurl(p.url), serviceType = ld_text(m.field) }
  local providers = {}
  for _, a in ipairs(unverified(m.agency) and {} or as_list(m.agency)) do
    if not unverified(a) then
      providers[#providers + 1] = { ["@type"] = "GovernmentOrganization", name = tostring(a) }
    end
  end
  if #providers > 0 then ld.provider = #providers == 1 and providers[1] or providers end
  local channels = {}
  if p.state ~= "abolished" and (m.online == "toàn trình" or m.online == "một phần") then
    channels[#channels + 1] = { ["@type"] = "ServiceChannel", name = t.apply_online, serviceUrl = apply_url }
  end
  for _, o in ipairs(reception) do
    if o.name and not o.unverified_name then
      local place = { ["@type"] = "Place", name = o.name }
      for _, f in ipairs(o.facts or {}) do
        if not f.unverified and f.key == "address" then place.address = f.text end
        if not f.unverified and f.key == "phone" then place.telephone = f.text end
      end
      channels[#channels + 1] = { ["@type"] = "ServiceChannel", name = t.reception, serviceLocation = place }
    end
  end
  if #channels > 0 then ld.availableChannel = channels end
  local terms = terms_of(m)
  if #terms > 0 then ld.description = table.concat(terms, ". ") end
  return jsonld(ld)
end

-- The office an agency page shows: data/co-quan.yaml's entry for its name
-- or a former one (then the page says what the office is called now, and
-- links its page when procedures name it so).
local function agency_office(g)
  local e = office_model(g.title, site:absurl(g.url))
  if e and congkhai.fold(e.name) ~= congkhai.fold(g.title) then
    e.now_named = e.name
    for _, a in ipairs(agencies) do
      if congkhai.fold(a.title) == congkhai.fold(e.name) then e.now_url = a.url end
    end
  end
  return e
end

-- Channels with their way of filing as the page names it.
local function channels_of(m)
  local out = {}
  for _, c in ipairs(type(m.channels) == "table" and m.channels or {}) do
    if type(c) == "table" then
      out[#out + 1] = { method = t.methods[c.method] or c.method, time = c.time, fee = c.fee, note = c.note }
    end
  end
  return out
end

-- "Thành phần hồ sơ" as a checklist (dossier.lua), or nil to show it as written.
local function dossier_of(p)
  return dossier.checklist(p.section and p.section["thanh-phan-ho-so"], t)
end

-- The facts a printed sheet or a posting board shows, as plain text: time,
-- fee, where to file (reception offices with their address, else the
-- agencies), the online service and where to file online.
local function sheet_of(p)
  local m = p.meta
  local unv = {}
  for _, k in ipairs(m.unverified or {}) do unv[k] = true end
  local badge = "⚠ " .. t.unverified
  local where = {}
  for _, r in ipairs(as_list(m.reception)) do
    local o = not unverified(r) and office_model(r)
    if o then
      local line = o.name
      for _, f in ipairs(o.facts) do
        if f.key == "address" and not f.unverified then line = line .. ", " .. f.text end
      end
      where[#where + 1] = line
    else
      where[#where + 1] = unverified(r) and badge or tostring(r)
    end
  end
  if #where == 0 then
    for _, a in ipairs(as_list(m.agency)) do where[#where + 1] = unverified(a) and badge or tostring(a) end
  end
  return { time = unv.processing_time and badge or value_text(m.processing_time),
    fee = unv.fee and badge or value_text(m.fee), where = where,
    online = unv.online and badge or t.online_values[m.online] or m.online,
    apply_url = m.portal_url or national_search(m.code) }
end

local function render_procedure(p)
  local m = p.meta
  local unv = {}
  for _, k in ipairs(m.unverified or {}) do unv[k] = true end
  local reception = {}
  for _, r in ipairs(as_list(m.reception)) do
    reception[#reception + 1] = unverified(r) and { unverified_name = true, facts = {} }
      or office_model(r) or { name = tostring(r), facts = {} }
  end
  -- "Bãi bỏ từ ngày 01/07/2025 theo Quyết định số 5/QĐ-UBND."
  local repealed
  if type(m.repealed) == "table" and m.repealed.date then
    local d = decision_title(m.repealed.decision)
    repealed = fmt(t.repealed, show_date(m.repealed.date)) .. (d and " " .. fmt(t.repealed_by, d) or "") .. "."
  end
  local fs = congkhai.slug(m.field)
  local agencies_of = {}
  for _, a in ipairs(as_list(m.agency)) do
    agencies_of[#agencies_of + 1] = { title = a, url = not unverified(a) and congkhai.url_for("agency", a) or nil }
  end
  local levels_of = {}
  for _, l in ipairs(as_list(m.level)) do
    levels_of[#levels_of + 1] = { title = t.levels[l] or l, url = levels[l] and congkhai.url_for("level", l) }
  end
  local replaces = {}
  for _, c in ipairs(as_list(m.replaces)) do
    local q = by_code[c]
    replaces[#replaces + 1] = { code = c, title = q and q.title or c, url = congkhai.url_for("procedure", c) }
  end
  local successors = {}
  for _, q in ipairs(replaced_by[m.code] or {}) do successors[#successors + 1] = item(q) end
  local apply_url = m.portal_url or national_search(m.code)
  local body = template("procedure.html")({
    t = t, link = link, p = p, m = m, site = site,
    field = { title = m.field, url = congkhai.url_for("field", m.field) },
    agencies = agencies_of, levels = levels_of, fees = as_list(m.fee),
    online = t.online_values[m.online] or m.online,
    apply_url = apply_url, apply_direct = m.portal_url ~= nil,
    feedback = feedback_url(), channels = channels_of(m),
    replaces = replaces, successors = successors, history = history_model(p.history),
    not_yet = p.state == "not-yet" and fmt(t.not_yet, congkhai.date(m.effective)) or nil,
    abolished = p.state == "abolished", address = site:absurl(p.url),
    unv = unv, any_unverified = #(m.unverified or {}) > 0, decisions = decisions_of(m), dossier = dossier_of(p),
    sources = sources_of(m), cases = m.cases or {}, reception = reception, repealed = repealed,
    decision_text = type(m.decision) == "string" and m.decision or nil, fact = fact_html,
    cl = CL, print_url = congkhai.url_for("procedure-print", m.code),
  })
  -- what a shared link shows (Zalo, Facebook): code, time and fee
  local summary = terms_of(m)
  table.insert(summary, 1, t.code .. " " .. m.code)
  write_page(p.url, { title = p.title, body = body, description = table.concat(summary, ". "),
    head = '<link rel="alternate" type="application/atom+xml" title="' .. congkhai.escape(fmt(t.feed_procedure, m.code)) ..
      '" href="' .. congkhai.escape(link(congkhai.url_for("procedure-feed", m.code))) .. '">\n' ..
      '<script type="application/ld+json">' .. service_ld(p, apply_url, reception) .. "</script>",
    breadcrumbs = crumbs({ title = t.procedures, url = congkhai.url_for("procedures") },
      { title = m.field, url = congkhai.url_for("field", m.field) }, { title = p.title }) })
end

-- ------------------------------------------------------------ memo keys
-- site:each keeps what a procedure's pages were and does not make them
-- again while their key is the same (docs/plugins.md). The core's part of
-- a key covers this plugin's files, site.yaml and data/, and it sees a
-- read of site.asof (a sheet without a version prints it); these name
-- the rest a procedure's pages read: the procedure itself
-- (congkhai.digest reads its body too), what they show of other
-- procedures, and what every page shows of the site.

-- What render_procedure shows of other procedures: the titles of those
-- it replaces, the list items of those replacing it.
local function related_key(p)
  local replaces, successors = {}, {}
  for i, c in ipairs(as_list(p.meta.replaces)) do replaces[i] = by_code[c] and by_code[c].title or false end
  for i, q in ipairs(replaced_by[p.meta.code] or {}) do successors[i] = item(q) end
  return { replaces, successors }
end

-- What every page shows of the site: the site table's fields other than
-- its pages and functions (plugins set some, as open_data), the menu,
-- the feedback link and which levels have listings. nil (no memo) when
-- a plugin put there what has no digest.
local SITE_SKIP = { pages = true, procedures = true, articles = true, standing = true, deleted = true,
  data = true, history = true, theme = true }
local function shared_key()
  local facts = {}
  for k, v in pairs(site) do
    if type(k) == "string" and not SITE_SKIP[k] and type(v) ~= "function" then facts[k] = v end
  end
  local lv = {}
  for _, l in ipairs(LEVELS) do lv[#lv + 1] = levels[l] ~= nil end
  local ok, d = pcall(congkhai.digest, facts, MENU, feedback_url(), feedback_url(true), lv, CL)
  return ok and d or nil
end

local function render_listing(url, title, intro, list, bc, extra)
  local now, later, gone = split_state(list)
  local body = template("listing.html")({
    t = t, link = link, title = title, intro = intro, procedures = items(now),
    later = items(later), gone = items(gone), extra = extra, office = extra and extra.office,
  })
  write_page(url, { title = title, body = body, breadcrumbs = bc })
end

local function render_catalog()
  local groups = {}
  local later, gone = {}, {}
  for i, f in ipairs(fields) do
    local now, l, g = split_state(f.procedures)
    for _, p in ipairs(l) do later[#later + 1] = p end
    for _, p in ipairs(g) do gone[#gone + 1] = p end
    groups[i] = { title = f.title, url = f.url, procedures = items(now), count = #now }
  end
  local deleted = {}
  for _, d in ipairs(site.deleted or {}) do
    deleted[#deleted + 1] = { url = d.url, code = d.code, title = d.title, deleted = d.deleted }
  end
  local level_list, level_counts = {}, {}
  for _, l in ipairs(LEVELS) do
    if #levels[l] > 0 then level_list[#level_list + 1] = l; level_counts[#level_list] = in_force(levels[l]) end
  end
  local body = template("catalog.html")({
    t = t, link = link, groups = groups, total = congkhai.number(in_force(site.procedures)),
    later = items(vsort(later, function(p) return p.title end)),
    gone = items(vsort(gone, function(p) return p.title end)), deleted = deleted,
    levels = level_list, level_counts = level_counts,
    agencies = agencies, unverified_url = congkhai.url_for("unverified"),
  })
  write_page(congkhai.url_for("procedures"), { title = t.procedures, body = body,
    breadcrumbs = crumbs({ title = t.procedures }) })
end

-- /thu-tuc/chua-xac-minh/: the editors' worklist of facts not yet verified.
local function render_unverified()
  local list = {}
  for _, p in ipairs(vsort(site.procedures, function(p) return p.title end)) do
    local facts = {}
    for _, k in ipairs(p.meta.unverified or {}) do facts[#facts + 1] = fact_label(k) end
    if #facts > 0 then
      list[#list + 1] = { url = p.url, code = p.meta.code, title = p.title, facts = table.concat(facts, "; "),
        count = fmt(t.unverified_facts, congkhai.number(#facts)) }
    end
  end
  -- offices of data/co-quan.yaml with facts not yet verified, linked to
  -- their agency page when procedures name them
  if not offices then load_offices() end
  local agency_url = {}
  for _, a in ipairs(agencies) do
    local o = office(a.title)
    if o and (not agency_url[o] or congkhai.fold(a.title) == congkhai.fold(o.name)) then agency_url[o] = a.url end
  end
  local office_rows = {}
  for _, o in ipairs(office_list) do
    local e = office_model(o.name)
    if e and #e.unverified > 0 then
      local facts = {}
      for _, k in ipairs(e.unverified) do
        facts[#facts + 1] = k == "map_url" and t.map or k == "portal_url" and t.office_portal or t[k] or k
      end
      office_rows[#office_rows + 1] = { name = o.name, url = agency_url[o], facts = table.concat(facts, "; "),
        count = fmt(t.unverified_facts, congkhai.number(#facts)) }
    end
  end
  local body = template("unverified.html")({ t = t, link = link, list = list, offices = office_rows,
    count = fmt(t.unverified_count, congkhai.number(#list)) })
  write_page(congkhai.url_for("unverified"), { title = t.unverified_title, body = body,
    breadcrumbs = crumbs({ title = t.procedures, url = congkhai.url_for("procedures") },
      { title = t.unverified_title }) })
  return #list
end

-- /linh-vuc/, /cap/, /co-quan/ and one listing per field, level, agency.
local function render_listings()
  local home = { title = t.procedures, url = congkhai.url_for("procedures") }
  local level_groups = {}
  for i, l in ipairs(LEVELS) do
    level_groups[i] = { title = t.levels[l] or l, url = congkhai.url_for("level", l), procedures = levels[l] }
  end
  local by = {
    { url = congkhai.url_for("fields"), title = t.fields, groups = fields, heading = t.procedures_of_field },
    { url = congkhai.url_for("levels"), title = t.level, groups = level_groups, heading = t.procedures_of_level },
    { url = congkhai.url_for("agencies"), title = t.agencies, groups = agencies, heading = t.procedures_of_agency },
  }
  for _, b in ipairs(by) do
    local entries = {}
    for _, g in ipairs(b.groups) do
      render_listing(g.url, fmt(b.heading, g.title), nil, g.procedures,
        crumbs(home, { title = b.title, url = b.url }, { title = g.title }),
        b.groups == agencies and { office = agency_office(g) } or nil)
      entries[#entries + 1] = { title = g.title, url = g.url, count = in_force(g.procedures) }
    end
    write_page(b.url, { title = b.title, breadcrumbs = crumbs(home, { title = b.title }),
      body = template("index.html")({ t = t, link = link, title = b.title, entries = entries }) })
  end
end

local function article_item(a)
  local m = a.meta
  return { url = a.url, title = a.title, date = m.date, kind = t.kinds[m.kind] or m.kind,
    summary = m.summary, number = m.number }
end

local function render_news()
  local all = site.articles
  local pages = math.max(1, math.ceil(#all / NEWS_PER_PAGE))
  local function page_url(n) return n == 1 and congkhai.url_for("news") or congkhai.url_for("news-page", tostring(n)) end
  for n = 1, pages do
    local list = {}
    for i = (n - 1) * NEWS_PER_PAGE + 1, math.min(#all, n * NEWS_PER_PAGE) do
      list[#list + 1] = article_item(all[i])
    end
    local title = n == 1 and t.news or (t.news .. " · " .. fmt(t.page_n, n))
    local head = {}
    if n > 1 then head[#head + 1] = '<link rel="prev" href="' .. congkhai.escape(link(page_url(n - 1))) .. '">' end
    if n < pages then head[#head + 1] = '<link rel="next" href="' .. congkhai.escape(link(page_url(n + 1))) .. '">' end
    local body = template("news.html")({ t = t, link = link, title = title, articles = list,
      page = n, pages = pages, prev_url = n > 1 and page_url(n - 1) or nil,
      next_url = n < pages and page_url(n + 1) or nil })
    write_page(page_url(n), { title = title, body = body, head = table.concat(head, "\n"),
      breadcrumbs = crumbs({ title = t.news, url = n > 1 and congkhai.url_for("news") or nil }) })
  end
  for _, a in ipairs(all) do
    local m = a.meta
    local body = template("article.html")({ t = t, link = link, a = a, m = m, cl = CL,
      kind = t.kinds[m.kind] or m.kind, recipients = as_list(m.recipients),
      image = m.image and link("/" .. m.image:gsub("^/", ""):gsub("^static/", "")) or nil })
    write_page(a.url, { title = a.title, body = body, description = m.summary, og_type = "article",
      breadcrumbs = crumbs({ title = t.news, url = congkhai.url_for("news") }, { title = a.title }) })
  end
end

local function render_standing()
  for _, p in ipairs(site.standing) do
    local body = template("page.html")({ t = t, link = link, p = p })
    write_page(p.url, { title = p.title, body = body, description = p.meta.summary,
      breadcrumbs = crumbs({ title = p.title }) })
  end
end

local function render_deleted()
  for _, d in ipairs(site.deleted or {}) do
    local succ = by_code[d.replaced_by or ""]
    local body = template("deleted.html")({ t = t, link = link, d = d,
      title = fmt(t.deleted_title, d.code), history = history_model(d.history),
      successor = succ and item(succ) or nil,
      text = fmt(t.deleted_text, congkhai.date(d.deleted)) })
    write_page(d.url, { title = fmt(t.deleted_title, d.code), body = body,
      breadcrumbs = crumbs({ title = t.procedures, url = congkhai.url_for("procedures") }, { title = d.code }) })
  end
end

local function render_home()
  local news = {}
  for i = 1, math.min(5, #site.articles) do news[i] = article_item(site.articles[i]) end
  -- recently updated procedures: by history's "updated", newest first
  local recent = {}
  for _, p in ipairs(site.procedures) do
    if p.history and p.history.updated then recent[#recent + 1] = p end
  end
  table.sort(recent, function(a, b)
    if a.history.updated ~= b.history.updated then return a.history.updated > b.history.updated end
    return a.meta.code < b.meta.code
  end)
  local changed = {}
  for i = 1, math.min(6, #recent) do
    changed[i] = item(recent[i])
    changed[i].updated = recent[i].history.updated
  end
  local field_list = {}
  for i, f in ipairs(fields) do field_list[i] = { title = f.title, url = f.url, count = f.count } end
  -- the latest Decision 766 result, from the results plugin (site.results766)
  local r766 = type(site.results766) == "table" and site.results766.latest or nil
  local body = template("home.html")({ t = t, link = link, site = site, fields = field_list, r766 = r766,
    news = news, changed = changed, total = congkhai.number(in_force(site.procedures)) })
  write_page("/", { title = site.title, body = body, description = site.config.description })
end

local function render_404()
  local body = template("404.html")({ t = t, link = link })
  site:write("404.html", page_html({ title = t.not_found, body = body, noindex = true }))
end

-- ------------------------------------------------------------ hooks

function M.setup(s, options)
  site = s
  t = i18n[site.language] or i18n.vi
  MENU = menu()          -- here, so plugins listed before the portal can use site.theme.page
  site.theme = { page = page_html, strings = t }
end

function M.render(s)
  site = s
  local content_lang = tostring(site.config.content_language or "vi")
  CL = content_lang ~= site.language and (' lang="' .. congkhai.escape(content_lang) .. '"') or ""
  offices, office_list = nil, nil   -- data/co-quan.yaml is read afresh each build
  index_procedures()
  site:copy("static/style.css", "assets/style.css")
  site:copy("static/favicon.ico", "favicon.ico")
  local shared = shared_key()
  local posting_ctx = { site = site, t = t, template = template, link = link, write_page = write_page,
    crumbs = crumbs, fields = fields, sheet = sheet_of, history_entry = entry_model,
    value_text = value_text, feedback = feedback_url(true), cl = CL }
  -- a procedure's page, print sheet and version pages, in -j processes,
  -- in one call: one key and one carry-over per procedure after an edit
  local qrs = site:each(site.procedures, function(p)
    render_procedure(p)
    return posting.procedure(posting_ctx, p)
  end, shared and function(p) return congkhai.digest(p, related_key(p)) .. shared end)
  posting.render(posting_ctx, qrs)
  render_catalog()
  render_unverified()
  render_listings()
  render_news()
  render_standing()
  render_deleted()
  render_home()
  render_404()
end

return M
