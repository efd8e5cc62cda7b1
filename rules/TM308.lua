return {
  id = "TM308",
  name = "copied-accept-reason",
  level = "warning",
  meta = { "3.1.4" },
  summary = "The same accept reason is pasted on several accepted threats",
  help = [[
Fires on each accepted or dismissed threat whose reason is, word for word
(ignoring case, spacing and punctuation), the reason of at least
`min_copies` - 1 other accepts in the model. Each finding names the other
threats that carry it.

Why it matters: a reason explains why one particular risk is acceptable.
Pasted onto many threats it stops being a reason and becomes a stamp:
nobody weighed these threats one by one, and a risk that deserved a
different answer got the common one.

How to fix it: write for each threat what makes its own risk acceptable.
If one fact really does settle them all, say so in each, with what is
specific to that threat.

Settings: min_copies (3), min_words (4: shorter reasons are TM311's).
Meta threat: 3.1.4 (a high risk rated low and accepted).]],
  message = "threat '{id}' has the same accept reason as {others}: '{text}'",
  settings = { min_copies = 3, min_words = 4 },
  run = function(model, report, settings)
    local groups, order = {}, {}
    for _, t in ipairs(model.threats) do
      local reason = t.accept and tm.str(t.accept.reason)
      if (t.status == "accepted" or t.status == "false-positive") and reason
          and tm.words(reason) >= settings.min_words then
        local key = tm.norm(reason)   -- spacing and punctuation do not make two reasons different
        if not groups[key] then groups[key] = {} order[#order + 1] = key end
        local g = groups[key]
        g[#g + 1] = t
      end
    end
    for _, key in ipairs(order) do
      local g = groups[key]
      if #g >= settings.min_copies then
        local first = {}   -- the first six ids: enough to name five others for each copy
        for j = 1, math.min(#g, 6) do first[j] = "'" .. tm.name(g[j]) .. "'" end
        for i, t in ipairs(g) do
          local names = {}
          for j, n in ipairs(first) do
            if j ~= i and #names < 5 then names[#names + 1] = n end
          end
          local others = table.concat(names, ", ") .. (#g - 1 > 5 and (" and " .. (#g - 6) .. " more") or "")
          local text = tm.str(t.accept.reason)
          if #text > 60 then text = string.sub(text, 1, 57) .. "..." end
          local el, field = tm.reason_at(t)
          report(el, { field = field, id = tm.name(t), others = others, text = text })
        end
      end
    end
  end,
}
