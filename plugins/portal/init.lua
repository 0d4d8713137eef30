-- portal — the public portal theme (SPEC §4): home, catalog, one page per
-- procedure, listings by field, level and agency, news, articles, standing
-- pages, pages for deleted procedures and 404. The search page itself is
-- the search plugin's; every page's header has a search form pointing to it.
-- HTML comes from templates/ (content/templates/ overrides any of them);
-- this file builds what each template receives. No JavaScript.
local i18n = require("i18n")

local M = { name = "portal", version = "1.0" }

local NEWS_PER_PAGE = 10
local LEVELS = congkhai.vocab.levels        -- site.yaml's levels (SPEC §3)

-- A fact written "chưa xác minh" (a string, or a list holding only that).
local function unverified(v)
  if type(v) == "table" then v = #v == 1 and v[1] or nil end
  return type(v) == "string" and congkhai.fold(v) == congkhai.fold(congkhai.vocab.unverified)
end

local site, t        -- the site; the strings of its language
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
  items[#items + 1] = { title = t.changes, url = "/thay-doi/" }
  items[#items + 1] = { title = t.search, url = "/tim-kiem/" }
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
    canonical = args.url and site:absurl(args.url) or nil, noindex = args.noindex,
    lang = site.language, contact = site.config.contact,
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
    state = p.state, effective = p.meta.effective,
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

-- The history block's model: newest first, with readable changes.
local function history_model(h)
  if not h then return nil end
  local entries = {}
  for i, e in ipairs(h.entries or {}) do
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
    entries[i] = { date = e.date, note = e.note, commit = e.commit, author = e.author, changes = changes }
  end
  return { published = h.published, updated = h.updated, truncated = h.truncated, entries = entries }
end

-- ------------------------------------------------------------ pages

local function national_search(code)
  return "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?ma_thu_tuc=" .. code
end

local function feedback_url()
  for _, p in ipairs(site.standing) do
    if p.slug == "phan-anh-kien-nghi" then return link(p.url) end
  end
  return "https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-pakn.html"
end

-- The facts of a procedure the page shows beside the core ones (SPEC §3):
-- decisions newest first, sources with the label of the fact they back,
-- and the offices of data/co-quan.yaml that reception names.
local fact_labels = { code = "code", title = "title", field = "field", level = "level", agency = "agency",
  processing_time = "time", fee = "fee", online = "online", channels = "channels", cases = "cases",
  decision = "decision", reception = "reception" }

-- An address from content or data as a page may link it: http(s), or a
-- site path (made relative to base_url); anything else (javascript:) none.
local function safe_url(u)
  if type(u) ~= "string" then return nil end
  if u:match("^https?://") then return u end
  if u:match("^/[^/]") then return link(u) end
  return nil
end

local function decisions_of(m)
  local out = {}
  if type(m.decision) == "table" then
    for _, d in ipairs(m.decision) do
      out[#out + 1] = { number = d.number, kind = d.kind, sha256 = d.sha256, url = safe_url(d.url), sort = d.date or "",
        date = d.date and congkhai.date(d.date) or nil }
    end
    table.sort(out, function(a, b) return a.sort > b.sort end)
  end
  return out
end

local function sources_of(m)
  local out = {}
  local function add(list, key)
    for _, s in ipairs(type(list) == "table" and list or {}) do
      out[#out + 1] = { fact = key and (t[fact_labels[key] or ""] or key), title = s.title, url = safe_url(s.url),
        sha256 = s.sha256, date = s.date and congkhai.date(s.date) or nil }
    end
  end
  if type(m.sources) == "table" and m.sources[1] then add(m.sources) elseif type(m.sources) == "table" then
    local keys = {}
    for k in pairs(m.sources) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do add(m.sources[k], k) end
  end
  return out
end

local offices                    -- folded name (current or former) → office
local function office(name)
  if not offices then
    offices = {}
    local data = site.data["co-quan"] or {}
    for k, o in pairs(data) do
      if type(o) == "table" then
        if not o.name and type(k) == "string" then o = setmetatable({ name = k }, { __index = o }) end
        if o.name then
          offices[congkhai.fold(o.name)] = o
          for _, f in ipairs(type(o.former_names) == "table" and o.former_names or {}) do offices[congkhai.fold(f)] = o end
        end
      end
    end
  end
  return offices[congkhai.fold(name)]
end

-- An office of data/co-quan.yaml as the pages show it: its facts (a fact
-- "chưa xác minh" flagged in unv) and schema.org GovernmentOffice JSON-LD
-- (with "</" escaped, so the script cannot be closed from the data).
local function office_model(name, url)
  local o = office(name)
  if not o then return nil end
  local e = { name = o.name, map_url = safe_url(o.map_url), unv = {} }
  local ld = { ["@context"] = "https://schema.org", ["@type"] = "GovernmentOffice", name = o.name, url = url }
  for _, k in ipairs({ "address", "phone", "hours" }) do
    e[k] = o[k] and tostring(o[k])
    e.unv[k] = unverified(e[k])
  end
  if e.address and not e.unv.address then ld.address = e.address end
  if e.phone and not e.unv.phone then ld.telephone = e.phone end
  if e.hours and not e.unv.hours then ld.openingHours = e.hours end
  e.jsonld = congkhai.json(ld):gsub("</", "<\\/")
  return e
end

-- "Thành phần hồ sơ" as a checklist: its items grouped by their "###"
-- heading (Phải nộp, Phải xuất trình), each with the counts it states. Only
-- when the section is made of those lists (else its prose would be lost).
local function dossier_of(p)
  local s = p.section and p.section["thanh-phan-ho-so"]
  if not s or #s.entries == 0 then return nil end
  local groups, by, listed = {}, {}, 0
  for _, e in ipairs(s.entries) do
    local key = e.group or ""
    if not by[key] then
      by[key] = { title = e.group, items = {} }
      groups[#groups + 1] = by[key]
      listed = listed + #key
    end
    table.insert(by[key].items, { name = e.name, originals = e.originals, copies = e.copies })
    listed = listed + #e.text
  end
  if #s.text > listed + 2 * (#s.entries + #groups) + 2 then return nil end
  return groups
end

local function render_procedure(p)
  local m = p.meta
  local unv = {}
  for _, k in ipairs(m.unverified or {}) do unv[k] = true end
  local reception = {}
  for _, r in ipairs(as_list(m.reception)) do
    reception[#reception + 1] = office_model(r) or { name = r, unv = {} }
  end
  local repealed
  if type(m.repealed) == "table" and m.repealed.date then
    repealed = fmt(t.repealed, congkhai.date(m.repealed.date)) ..
      (m.repealed.decision and " " .. fmt(t.repealed_by, m.repealed.decision) or "") .. "."
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
  local body = template("procedure.html")({
    t = t, link = link, p = p, m = m, site = site,
    field = { title = m.field, url = congkhai.url_for("field", m.field) },
    agencies = agencies_of, levels = levels_of, fees = as_list(m.fee),
    online = t.online_values[m.online] or m.online,
    apply_url = m.portal_url or national_search(m.code), apply_direct = m.portal_url ~= nil,
    feedback = feedback_url(), channels = m.channels or {},
    replaces = replaces, successors = successors, history = history_model(p.history),
    not_yet = p.state == "not-yet" and fmt(t.not_yet, congkhai.date(m.effective)) or nil,
    abolished = p.state == "abolished", address = site:absurl(p.url),
    unv = unv, any_unverified = #(m.unverified or {}) > 0, decisions = decisions_of(m), dossier = dossier_of(p),
    sources = sources_of(m), cases = m.cases or {}, reception = reception, repealed = repealed,
    decision_text = type(m.decision) == "string" and m.decision or nil,
  })
  write_page(p.url, { title = p.title, body = body,
    description = m.code .. " · " .. m.field,
    breadcrumbs = crumbs({ title = t.procedures, url = congkhai.url_for("procedures") },
      { title = m.field, url = congkhai.url_for("field", m.field) }, { title = p.title }) })
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
    if #levels[l] > 0 then level_list[#level_list + 1] = l; level_counts[#level_list] = #levels[l] end
  end
  local body = template("catalog.html")({
    t = t, link = link, groups = groups, total = congkhai.number(#site.procedures),
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
    for _, k in ipairs(p.meta.unverified or {}) do
      facts[#facts + 1] = t[fact_labels[k] or ""] or t.section_names[k] or k
    end
    if #facts > 0 then
      list[#list + 1] = { url = p.url, code = p.meta.code, title = p.title, facts = table.concat(facts, "; ") }
    end
  end
  local body = template("unverified.html")({ t = t, link = link, list = list,
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
        b.groups == agencies and { office = office_model(g.title, site:absurl(g.url)) } or nil)
      entries[#entries + 1] = { title = g.title, url = g.url, count = #g.procedures }
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
    local body = template("article.html")({ t = t, link = link, a = a, m = m,
      kind = t.kinds[m.kind] or m.kind, recipients = as_list(m.recipients),
      image = m.image and link("/" .. m.image:gsub("^/", ""):gsub("^static/", "")) or nil })
    write_page(a.url, { title = a.title, body = body, description = m.summary,
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
  for i, f in ipairs(fields) do field_list[i] = { title = f.title, url = f.url, count = #f.procedures } end
  local body = template("home.html")({ t = t, link = link, site = site, fields = field_list,
    news = news, changed = changed, total = congkhai.number(#site.procedures) })
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
  index_procedures()
  site:copy("static/style.css", "assets/style.css")
  for _, p in ipairs(site.procedures) do render_procedure(p) end
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
