return {
  id = "TM317",
  name = "mitigation-overkill",
  level = "note",
  meta = { "3.2.2" },
  summary = "A threat rated at the lowest level has many essential mitigations",
  help = [[
Fires on a threat rated at the lowest level of the scheme that has more
than `max_essential` essential mitigations (not dropped).

Why it matters: effort spent on the least important threats is effort not
spent on the important ones. Either the rating is too low, or some of the
controls are not essential.

How to fix it: check the rating; if it stands, keep the one or two
controls that matter and mark the rest as ideas or drop them.

Settings: max_essential (3).
Meta threat: 3.2.2 mitigation overkill.]],
  message = "threat '{id}' is rated {level} yet has {n} essential mitigations",
  settings = { max_essential = 3 },
  needs = { "kind" },   -- a format with no such field: not applicable
  run = function(model, report, settings)
    local levels = tm.levels(model)
    for _, t in ipairs(model.threats) do
      if tm.rank(model, t.severity) == 1 then
        local n = #tm.essentials(t)
        if n > settings.max_essential then
          report(t, { field = "mitigations", level = levels[1], n = n })
        end
      end
    end
  end,
}
