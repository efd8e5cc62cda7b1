return {
  id = "TM208",
  name = "unadapted-template-threat",
  level = "note",
  meta = { "2.1.6" },
  summary = "The same threat text is copied onto many components with the same decisions",
  help = [[
Fires once per repeated text, at its first copy, when at least
`min_copies` threats share their title and description (ignoring case,
spacing and punctuation), each is on a different component, and all carry
the same severity, status and mitigations. The finding lists the copies.

Why it matters: a threat pasted from a catalogue onto every component,
with the same answer everywhere, was not thought about for any of them.
It pads the model, hides the threats that were, and says the same control
fits parts of the system that differ.

How to fix it: keep the threat where it applies, say what is specific to
each component (how it is exposed, what it would cost), and rate and
mitigate each copy on its own; remove it where it does not apply.

Settings: min_copies (5).
Meta threat: 2.1.6 (model padded with irrelevant threats).]],
  message = "threat '{id}' is copied unchanged onto {n} components: {copies}",
  settings = { min_copies = 5 },
  run = function(model, report, settings)
    local norm = tm.norm
    -- titles first: a group of copies shares its title, so only threats
    -- whose title at least min_copies threats carry need the whole key
    local titles, by_title = {}, {}
    for i, t in ipairs(model.threats) do
      if #t.targets == 1 and t.title then
        local k = norm(t.title)
        titles[i] = k
        by_title[k] = (by_title[k] or 0) + 1
      end
    end
    local groups, order = {}, {}
    for i, t in ipairs(model.threats) do
      local comps = t.targets
      if #comps == 1 and t.title and by_title[titles[i]] >= settings.min_copies then
        local ids = {}
        for _, m in ipairs(tm.linked(t)) do ids[#ids + 1] = tm.name(m) end
        local key = titles[i] .. "\0" .. norm(t.description) .. "\0" .. tostring(t.severity) .. "\0"
          .. tostring(t.status) .. "\0" .. table.concat(ids, ",")
        if not groups[key] then groups[key] = {} order[#order + 1] = key end
        local g = groups[key]
        g[#g + 1] = t
      end
    end
    for _, key in ipairs(order) do
      local g = groups[key]
      local seen, comps = {}, 0
      for _, t in ipairs(g) do
        local c = t.targets[1]
        if not seen[c] then seen[c] = true comps = comps + 1 end
      end
      if comps >= settings.min_copies then
        local names = {}
        for i, t in ipairs(g) do
          if i <= 6 then names[#names + 1] = "'" .. tm.name(t) .. "' on " .. tostring(t.targets[1]) end
        end
        report(g[1], { field = "title", n = comps,
                       copies = table.concat(names, ", ") .. (#g > 6 and (" and " .. (#g - 6) .. " more") or "") })
      end
    end
  end,
}
