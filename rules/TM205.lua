return {
  id = "TM205",
  name = "no-key-threats",
  level = "note",
  meta = { "2.1.7" },
  summary = "A long list of threats with none marked as key",
  help = [[
Fires when the model has more than `max_unranked` threats and none is
marked `key: true`.

Why it matters: in a long list every threat looks equally important, so
none gets the attention the few decisive ones deserve. Naming the handful
of threats that matter most focuses reviews, funding and tests.

How to fix it: mark the few threats that would hurt most with `key: true`
(a handful, not a third of the list).

Settings: max_unranked (25).
Meta threat: 2.1.7 (no focus on the threats that matter).]],
  message = "{n} threats and none is marked `key: true`; mark the few that matter most",
  settings = { max_unranked = 25 },
  needs = { "key" },   -- a format with no such field: not applicable
  run = function(model, report, settings)
    if #model.threats <= settings.max_unranked then return end
    for _, t in ipairs(model.threats) do
      if t.key then return end
    end
    report(model, { field = "threats", n = #model.threats })
  end,
}
