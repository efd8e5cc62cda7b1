-- case, spacing and punctuation do not make a threat different
local normal = tm.norm

return {
  id = "TM203",
  name = "duplicate-threat",
  level = "warning",
  meta = { "2.1.10" },
  summary = "Two threats have the same title",
  help = [[
Fires on a threat whose title matches an earlier threat's once case,
spacing and punctuation are ignored, when both name the same components (a
threat repeated for each element of a diagram is not a duplicate).

Why it matters: the same threat written down twice gets rated, mitigated
and accepted twice, often differently, and the model's numbers (how many
threats, how many mitigated) stop meaning anything. It often happens when
a discussion comes back to a threat already handled.

How to fix it: merge the two into one threat with all its mitigations, or,
if they really differ, say how in their titles.

Meta threat: 2.1.10 rewind.]],
  message = "threat '{id}' has the same title as threat '{other}' (line {line})",
  settings = {},
  run = function(model, report)
    -- titles first: only a threat whose title another threat shares can
    -- be a copy, and only those need the components in the key
    local titles, count = {}, {}
    for i, t in ipairs(model.threats) do
      if t.title and not tm.blank(t.title) then
        local k = normal(t.title)
        titles[i] = k
        count[k] = (count[k] or 0) + 1
      end
    end
    local first = {}
    for i, t in ipairs(model.threats) do
      local title = titles[i]
      if title and count[title] > 1 then
        local comps = {}
        for _, c in ipairs(t.targets) do comps[#comps + 1] = c end
        table.sort(comps)
        local key = title .. "\0" .. table.concat(comps, "\0")
        local f = first[key]
        if f then
          report(t, { field = "title", other = tm.name(f), line = (tm.pos(f)) or "?" })
        else
          first[key] = t
        end
      end
    end
  end,
}
