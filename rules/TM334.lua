return {
  id = "TM334",
  name = "mustfix-inflation",
  level = "warning",
  meta = { "3.3.5b" },
  summary = "Most open mitigations carry the top priority",
  help = [[
Fires when at least `min_open` mitigations that are not done or dropped
have a `priority`, and more than `max_share` of them carry a top priority
(any of `top_priorities`, compared without regard to case).

Why it matters: when everything is "must fix", the label stops deciding
anything. Developers pick by other criteria, and the few controls that
really must land first are not the ones that do.

How to fix it: rank honestly: keep the top priority for the few
mitigations of the most severe threats, and lower the rest.

Settings: min_open (4), max_share (0.5), top_priorities (p0, critical,
highest, urgent, blocker, must, must-fix).
Meta threat: 3.3.5b (must-fix inflation).]],
  message = "{top} of {n} open mitigations with a priority ({percent}%) carry the top priority",
  settings = {
    min_open = 4, max_share = 0.5,
    top_priorities = { "p0", "critical", "highest", "urgent", "blocker", "must", "must-fix" },
  },
  needs = { "priority" },   -- a format with no such field: not applicable
  run = function(model, report, settings)
    local top = {}
    for _, p in ipairs(settings.top_priorities) do top[tm.lower(p)] = true end
    local n, k = 0, 0
    for _, m in ipairs(model.mitigations) do
      if tm.pending(m) and m.priority then
        n = n + 1
        if top[tm.lower(m.priority)] then k = k + 1 end
      end
    end
    if n >= settings.min_open and k / n > settings.max_share then
      report(model, { field = "mitigations", top = k, n = n, percent = math.floor(k * 100 / n + 0.5) })
    end
  end,
}
