-- search — makes the site searchable (SPEC §6): index.sqlite for `congkhai
-- search` and anyone with sqlite3, static index files under /tim-kiem/i/
-- that the browser fetches piece by piece, the script that queries them,
-- and the /tim-kiem/ page: templates/search.html (content/templates/ may
-- override it), framed by the theme when there is one.
local M = { name = "search", version = "1.0" }

local S = {
  vi = { title = "Tìm kiếm", label = "Tìm thủ tục hành chính, tin tức", button = "Tìm",
    hint = "Gõ có dấu hoặc không dấu, ví dụ: dang ky khai sinh, hoặc mã 1.001193",
    nojs = "Tìm kiếm trên trang này cần JavaScript. Bạn vẫn có thể tra cứu trong",
    nojs_link = "danh mục thủ tục theo lĩnh vực", home = "Trang chủ" },
  en = { title = "Search", label = "Search procedures and news", button = "Search",
    hint = "With or without Vietnamese accents, e.g. dang ky khai sinh, or a code like 1.001193",
    nojs = "Search on this site needs JavaScript. You can still browse the",
    nojs_link = "catalog of procedures by field", home = "Home" },
}

-- search.js for a <script> element: its comment lines left out (the
-- comments are for readers of the file), and refused if it could end
-- the element early.
local function script()
  local js = congkhai.read("search.js"):gsub("\n[ \t]*//[^\n]*", ""):gsub("^//[^\n]*%s*", "")
  assert(not js:lower():find("</script", 1, true) and not js:find("<!--", 1, true),
    "search.js must not hold </script or <!--")
  return js
end

function M.render(site)
  local ix = congkhai.index()
  for _, p in ipairs(site.pages) do ix:add(p) end
  for _, d in ipairs(site.deleted or {}) do ix:add(d) end
  -- colloquial names: "sổ đỏ" finds "giấy chứng nhận quyền sử dụng đất"
  for _, problem in ipairs(ix:synonyms(site.data and site.data["tu-dong-nghia"])) do
    site:warn("data/tu-dong-nghia.yaml: " .. problem)
  end
  local meta = ix:write("index.sqlite", "tim-kiem/i")

  local s = S[site.language] or S.vi
  -- The index's meta and the script in the page itself: a first query
  -- then fetches only index files (SPEC §6: at most 5 requests), and the
  -- script is needed by this page alone.
  local body = congkhai.template_file("search.html")({ t = s, lang = site.language,
    meta = (meta:gsub("<", "\\u003c")), script = script(), link = function(u) return site:link(u) end })
  local html = site:page({ title = s.title, body = body, url = congkhai.url_for("search"),
    breadcrumbs = { { title = s.home, url = congkhai.url_for("home") }, { title = s.title } } })
  site:write("tim-kiem/index.html", html)
end

return M
