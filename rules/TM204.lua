-- two patterns: the markers can start only at T, F, X or '.', which PCRE2
-- finds fast; the whole-value placeholders (and a lone "?") are anchored
local MARKER = re.compile("\\b(?:TODO|TBD|TBC|FIXME|XXX)\\b|\\.\\.\\.\\s*\\?")
-- Threat Dragon fills a new threat with texts of its own; left as they
-- are, they are placeholders too
local PLACEHOLDER = re.compile("^\\s*(?:-+|\\.{2,}|…|n/?a|none|tbd|placeholder|lorem ipsum.*|title|description|x+|\\?+"
  .. "|new (?:stride|linddun|cia|die|plot4ai|generic) threat|provide a description for this threat"
  .. "|provide remediation for this threat(?: or a reason if status is n/a)?)\\s*$", "i")

return {
  id = "TM204",
  name = "incomplete-marker",
  level = "warning",
  meta = {},
  summary = "A title or text is only a placeholder, or holds TODO, TBD, FIXME or a question mark",
  help = [[
Fires on the model's title, a threat's title or description, a
mitigation's title or acceptance criteria, or an acceptance reason, when
the text is only a placeholder ("...", "-", "n/a", "TBD", "lorem ipsum",
or the texts Threat Dragon gives a new threat, such as "New STRIDE
threat" and "Provide a description for this threat") or holds TODO, TBD,
TBC, FIXME, XXX, "...?" or a lone "?".

Why it matters: markers like these are how a session records "we did not
finish this". They are fine in a draft, but a model that ships with them
looks complete to its readers while parts of it were never decided.

How to fix it: finish the thought, or turn it into an explicit open
question with an owner (an open threat, a planned mitigation with an
issue link), then remove the marker.

Meta threat: the "?" (not yet clear) marker of the meta threat model.]],
  message = "{what} of {owner} is unfinished: '{text}'",
  settings = {},
  run = function(model, report)
    local any = re.any   -- one lookup through the read-only view, not one per text
    local function check(el, field, value, kind, what)
      if type(value) ~= "string" then return end
      if any(value, MARKER, PLACEHOLDER) then
        local text = #value > 60 and (string.sub(value, 1, 57) .. "...") or value
        local owner = kind == "model" and "the model" or (kind .. " '" .. (el.id or "?") .. "'")
        report(el, { field = tm.field(el, field), owner = owner, what = what, text = text })
      end
    end
    check(model, "title", model.title, "model", "the title")
    for _, t in ipairs(model.threats) do
      check(t, "title", t.title, "threat", "the title")
      check(t, "description", t.description, "threat", "the description")
      if t.accept and t.accept.node ~= t.node then
        check(t, "accept.reason", t.accept.reason, "threat", "the acceptance reason")
      elseif t.accept then
        check(t, "accept", t.accept.reason, "threat", "the acceptance reason")
      end
    end
    for _, m in ipairs(model.mitigations) do
      check(m, "title", m.title, "mitigation", "the title")
      local raw = m.node.acceptance
      for i, a in ipairs(m.acceptance) do
        check(m, type(raw) == "table" and ("acceptance." .. i) or "acceptance", a, "mitigation", "an acceptance criterion")
      end
    end
  end,
}
