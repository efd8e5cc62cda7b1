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
    local function flag(el, field, value, kind, what)
      local text = #value > 60 and (string.sub(value, 1, 57) .. "...") or value
      local owner = kind == "model" and "the model" or (kind .. " '" .. tm.name(el) .. "'")
      report(el, { field = tm.field(el, field), owner = owner, what = what, text = text })
    end
    -- the test is written out at each text, and a field's name made only
    -- for a text that is flagged: most texts are fine, and the calls and
    -- names were most of this rule's time
    local v = model.title
    if type(v) == "string" and any(v, MARKER, PLACEHOLDER) then flag(model, "title", v, "model", "the title") end
    for _, t in ipairs(model.threats) do
      v = t.title
      if type(v) == "string" and any(v, MARKER, PLACEHOLDER) then flag(t, "title", v, "threat", "the title") end
      v = t.description
      if type(v) == "string" and any(v, MARKER, PLACEHOLDER) then
        flag(t, "description", v, "threat", "the description")
      end
      local a = t.accept
      if a then
        v = a.reason
        if type(v) == "string" and any(v, MARKER, PLACEHOLDER) then
          flag(t, a.node ~= t.node and "accept.reason" or "accept", v, "threat", "the acceptance reason")
        end
      end
    end
    for _, m in ipairs(model.mitigations) do
      v = m.title
      if type(v) == "string" and any(v, MARKER, PLACEHOLDER) then flag(m, "title", v, "mitigation", "the title") end
      local raw
      for i, c in ipairs(m.acceptance) do
        if type(c) == "string" and any(c, MARKER, PLACEHOLDER) then
          raw = raw or m.node.acceptance
          flag(m, type(raw) == "table" and ("acceptance." .. i) or "acceptance", c, "mitigation",
               "an acceptance criterion")
        end
      end
    end
  end,
}
