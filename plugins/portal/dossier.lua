-- dossier.lua — "Thành phần hồ sơ" as a checklist (SPEC §3).
--
-- The core reads each top-level list item of the section into an entry
-- {text, name, group, originals, copies} (docs/plugins.md). This module
-- rewrites the section's HTML, keeping everything as written (the "###
-- Phải nộp" / "### Phải xuất trình" headings, links in items, nested lists,
-- prose such as "Số lượng hồ sơ: 01 bộ."), except that each top-level list
-- becomes a checklist and each item's counts "(01 bản chính, 01 bản sao)"
-- become a badge "Bản chính: 1 · Bản sao: 1". When the HTML does not line up
-- with the entries (raw HTML with unsafe_html), nil: the caller shows the
-- section as written.
local M = {}

local esc = congkhai.escape

-- The badge of an entry's counts, or nil when it states none.
local function badge(e, t)
  local parts = {}
  if e.originals then parts[#parts + 1] = t.originals .. ": " .. tostring(e.originals) end
  if e.copies then parts[#parts + 1] = t.copies .. ": " .. tostring(e.copies) end
  if #parts == 0 then return nil end
  return '<span class="counts">' .. esc(table.concat(parts, " · ")) .. "</span>"
end

-- The last plain (non-pattern) occurrence of needle in s: its start, or nil.
local function find_last(s, needle)
  local at, from = nil, 1
  while true do
    local i = s:find(needle, from, true)
    if not i then return at end
    at, from = i, i + 1
  end
end

-- One item's inner HTML with its counts replaced by the badge. The counts
-- are the text after the entry's name; cmark escapes only & < > ", so the
-- text is looked for as cmark would write it. Not found (the counts are
-- formatted): the badge goes after the item's first line.
local function item_html(inner, e, t)
  local b = badge(e, t)
  if not b then return inner end
  local suffix = (e.text or ""):sub(#(e.name or "") + 1):gsub("^%s+", ""):gsub("%s+$", "")
  if suffix ~= "" then
    local html_suffix = suffix:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;")
    local i = find_last(inner, html_suffix)
    if i then
      local before = inner:sub(1, i - 1):gsub("%s+$", "")
      return before .. " " .. b .. inner:sub(i + #html_suffix)
    end
  end
  local nl = inner:find("\n", 2, true)
  if nl then return inner:sub(1, nl - 1) .. " " .. b .. inner:sub(nl) end
  return inner .. " " .. b
end

-- section: a page.sections record. t: the strings. Returns the checklist
-- HTML, or nil when the section has no list items or the HTML does not
-- match them.
function M.checklist(section, t)
  local entries = section and section.entries
  if not entries or #entries == 0 then return nil end
  local html = section.html or ""
  local out = {}
  local search, copied = 1, 1            -- where the next tag is looked for; what is written
  local depth, n = 0, 0
  local item_start                       -- where the open top-level item's content starts
  while true do
    local s, e, close, name, attrs = html:find("<(/?)(%a+)([^>]*)>", search)
    if not s then break end
    search = e + 1
    name = name:lower()
    if name == "ul" or name == "ol" then
      if close == "" then
        if depth == 0 then
          -- a top-level list: what comes before it as written, then the checklist
          out[#out + 1] = (html:sub(copied, s - 1):gsub("\n$", ""))
          if attrs:find("class=", 1, true) then
            attrs = attrs:gsub('class="', 'class="checklist ', 1)
          else
            attrs = ' class="checklist"' .. attrs
          end
          out[#out + 1] = "<" .. name .. attrs .. ">"
          copied = e + 1
        end
        depth = depth + 1
      else
        depth = depth - 1
        if depth < 0 then return nil end
        if depth == 0 then
          if item_start then return nil end
          out[#out + 1] = "</" .. name .. ">"
          copied = e + 1
        end
      end
    elseif name == "li" and depth == 1 then
      if close == "" then
        if item_start then return nil end
        item_start = e + 1
      else
        if not item_start then return nil end
        n = n + 1
        local entry = entries[n]
        if not entry then return nil end
        out[#out + 1] = "<li>" .. item_html(html:sub(item_start, s - 1), entry, t) .. "</li>"
        item_start = nil
        copied = e + 1
      end
    end
  end
  if depth ~= 0 or item_start or n ~= #entries then return nil end
  out[#out + 1] = html:sub(copied)
  return table.concat(out)
end

return M
