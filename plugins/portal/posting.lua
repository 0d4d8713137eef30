-- posting.lua — what goes on the one-stop desk's posting board (SPEC §4):
--   /thu-tuc/<code>/in/                    one procedure on one A4 sheet
--   /thu-tuc/<code>/phien-ban/<date>/      the procedure as published that day
--   /niem-yet/, /niem-yet/<field>/         printable boards per field
-- A printed sheet carries two QR codes: the big one leads to the
-- procedure's canonical page (always the current version); the small one
-- to the version page of the day the sheet's content was published, which
-- tells whoever scans an old sheet whether it is still current and what
-- changed since. The QR codes are congkhai.qr's SVG, made at build time.
--
-- The portal hands it what it already knows (ctx: its strings, templates,
-- page writer and the procedures by field). Its site:each over the
-- procedures calls M.procedure for each one's sheet and version pages
-- beside its page; the workers hand back only strings, so each QR code
-- comes back to M.render for the boards, and the few facts a board shows
-- (ctx.sheet) are made again for it. A procedure whose pages read nothing
-- new is not made again (the portal's key, site:each's memo).
local M = {}

local MAX_DOSSIER = 12     -- dossier items on a sheet; the rest are on the page
local MAX_ITEM = 160       -- characters of one item on a sheet

-- The dates a procedure was published in a form of its own: one per day
-- with a significant change, newest first ({date, entries = those of the
-- day}). Without history, none.
local function versions(p)
  local out, by = {}, {}
  for _, e in ipairs(p.history and p.history.entries or {}) do
    if not by[e.date] then
      by[e.date] = { date = e.date, entries = {} }
      out[#out + 1] = by[e.date]
    end
    table.insert(by[e.date].entries, e)
  end
  return out
end
M.versions = versions

-- The facts as they stood on version v: the current values, with every
-- field change made after v undone (the history says old → new).
local FACTS = { "title", "processing_time", "fee", "agency", "level", "field", "online" }

local function facts_at(text_of, p, list, i)
  local now = {}
  for _, k in ipairs(FACTS) do now[k] = text_of(p.meta[k]) end
  for j = 1, i - 1 do                       -- versions newer than the i-th
    for _, e in ipairs(list[j].entries) do
      for _, c in ipairs(e.changes or {}) do
        if c.field and now[c.field] ~= nil then now[c.field] = text_of(c.old) end
      end
    end
  end
  return now
end

-- What the sheet, the version pages and the board of procedure p share,
-- made once: its absolute URL and that URL's QR code, its facts as
-- ctx.sheet(p) gives them ({time, fee, where = {lines}, online,
-- apply_url}) and its versions.
local function prepare(ctx, p)
  local url = ctx.site:absurl(p.url)   -- M.render makes the same for the boards
  return { url = url, qr = congkhai.qr(url), facts = ctx.sheet(p), versions = versions(p) }
end

-- One A4 sheet of procedure p.
local function render_sheet(ctx, p, pre)
  local site, t = ctx.site, ctx.t
  local m = p.meta
  local version = pre.versions[1] and pre.versions[1].date
  local version_url = version and site:absurl(congkhai.url_for("procedure-version", m.code, version))
  local items, more = {}, 0
  local dossier = p.section and p.section["thanh-phan-ho-so"]
  for i, e in ipairs(dossier and dossier.entries or {}) do
    if i <= MAX_DOSSIER then
      items[#items + 1] = { text = congkhai.clip(tostring(e.name or e.text or ""), MAX_ITEM), originals = e.originals, copies = e.copies,
        group = e.group }
    else
      more = more + 1
    end
  end
  local html = ctx.template("print.html")({
    t = t, site = site, p = p, m = m, f = pre.facts, url = pre.url, items = items, more = more,
    qr = pre.qr, version = version and congkhai.date(version),
    version_qr = version_url and congkhai.qr(version_url),
    -- dated by its content when it has a version: a sheet changes only when
    -- its procedure does (and site.asof, once read, ties it to the day)
    printed = not version and congkhai.date(site.asof) or nil, lang = site.language, cl = ctx.cl,
    css = ctx.link("/assets/print.css"), feedback = ctx.feedback, contact = site.config.contact,
  })
  site:write(congkhai.url_for("procedure-print", m.code):sub(2) .. "index.html", html)
end

-- The page of each version of p.
local function render_versions(ctx, p, pre)
  local t = ctx.t
  local m = p.meta
  local list = pre.versions
  for i, v in ipairs(list) do
    local since = {}
    for j = i - 1, 1, -1 do                 -- changes after this version, oldest first
      for _, e in ipairs(list[j].entries) do since[#since + 1] = ctx.history_entry(e) end
    end
    local facts = facts_at(ctx.value_text, p, list, i)
    local rows = {}
    for _, k in ipairs(FACTS) do
      if k ~= "title" then
        local val = facts[k]
        if k == "online" then val = t.online_values[val] or val end
        if k == "level" then val = val:gsub("[^;]+", function(l) return t.levels[l:match("^%s*(.-)%s*$")] or l end) end
        rows[#rows + 1] = { label = congkhai.label(k), value = val,
          changed = facts[k] ~= ctx.value_text(p.meta[k]) }
      end
    end
    local url = congkhai.url_for("procedure-version", m.code, v.date)
    local title = string.format(t.version_title, m.code, congkhai.date(v.date))
    local body = ctx.template("version.html")({
      t = t, link = ctx.link, p = p, m = m, v = v, facts = facts, rows = rows, since = since,
      current = i == 1 and p.state ~= "abolished", abolished = p.state == "abolished",
      vdate = congkhai.date(v.date), later = i > 1 and congkhai.date(list[1].date) or nil, cl = ctx.cl,
    })
    ctx.write_page(url, { title = title, body = body, noindex = true, canonical_url = p.url,
      breadcrumbs = ctx.crumbs({ title = t.procedures, url = congkhai.url_for("procedures") },
        { title = m.code, url = p.url }, { title = congkhai.date(v.date) }) })
  end
end

-- /niem-yet/<field>/: every procedure of the field in force, with its
-- QR code, ready to print; /niem-yet/: the list of boards.
local function render_boards(ctx, prepared)
  local site, t = ctx.site, ctx.t
  local boards = {}
  for _, f in ipairs(ctx.fields) do
    local rows = {}
    for _, p in ipairs(f.procedures) do
      if p.state == "in-force" then
        local pre = prepared[p]
        rows[#rows + 1] = { code = p.meta.code, title = p.title, time = pre.facts.time, fee = pre.facts.fee,
          url = pre.url, qr = pre.qr }
      end
    end
    if #rows > 0 then
      local url = congkhai.url_for("board", f.title)
      boards[#boards + 1] = { title = f.title, url = url, count = #rows }
      site:write(url:sub(2) .. "index.html", ctx.template("board.html")({
        t = t, site = site, field = f.title, rows = rows, printed = congkhai.date(site.asof),
        lang = site.language, cl = ctx.cl, css = ctx.link("/assets/print.css"), link = ctx.link,
        feedback = ctx.feedback, contact = site.config.contact,
        home = ctx.link(congkhai.url_for("boards")),
      }))
    end
  end
  local body = ctx.template("boards.html")({ t = t, link = ctx.link, boards = boards })
  ctx.write_page(congkhai.url_for("boards"), { title = t.boards, body = body,
    breadcrumbs = ctx.crumbs({ title = t.boards }) })
end

-- The version pages of a procedure no longer published: old sheets of it
-- still hang somewhere, and their codes must not lead to nothing.
local function render_deleted_versions(ctx, d)
  local t = ctx.t
  for _, v in ipairs(versions(d)) do
    if v.date < (d.deleted or "") then                  -- the deletion is no version
      local body = ctx.template("version.html")({ t = t, link = ctx.link, p = d, m = { code = d.code },
        facts = { title = d.title }, rows = {}, since = {}, deleted = congkhai.date(d.deleted),
        vdate = congkhai.date(v.date), cl = ctx.cl })
      ctx.write_page(congkhai.url_for("procedure-version", d.code, v.date), { body = body, noindex = true,
        title = string.format(t.version_title, d.code, congkhai.date(v.date)), canonical_url = d.url,
        breadcrumbs = ctx.crumbs({ title = t.procedures, url = congkhai.url_for("procedures") },
          { title = d.code, url = d.url }, { title = congkhai.date(v.date) }) })
    end
  end
end

-- Procedure p's sheet and version pages; its QR code, which the boards
-- need back. The portal calls it inside its site:each over the
-- procedures (that call's key covers what it reads: p and ctx).
function M.procedure(ctx, p)
  local pre = prepare(ctx, p)
  render_sheet(ctx, p, pre)
  render_versions(ctx, p, pre)
  return pre.qr
end

-- The rest, once the procedures are done: qrs[i] is M.procedure's
-- result for site.procedures[i].
function M.render(ctx, qrs)
  local site = ctx.site
  site:copy("static/print.css", "assets/print.css")
  local prepared = {}
  for i, p in ipairs(site.procedures) do
    if p.state == "in-force" then
      prepared[p] = { url = site:absurl(p.url), qr = qrs[i], facts = ctx.sheet(p) }
    end
  end
  for _, d in ipairs(site.deleted or {}) do render_deleted_versions(ctx, d) end
  render_boards(ctx, prepared)
end

return M
