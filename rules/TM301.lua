return {
  id = "TM301",
  name = "unrated-threat",
  level = "warning",
  meta = { "3.1.1", "2.1.4" },
  summary = "A threat that still needs a decision has no severity",
  help = [[
Fires on a threat without a `severity`, unless it is accepted or a false
positive.

Why it matters: without a rating there is no basis for deciding what to
mitigate first, or whether to mitigate at all. Unrated threats tend to be
either ignored or all treated as urgent.

How to fix it: rate the threat with the model's rating scheme (`severity`,
and `likelihood` and `impact` if the scheme uses them).

Meta threat: 3.1.1 (threats not rated).]],
  message = "threat '{id}' has no severity",
  settings = {},
  needs = { "severity" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      if t.status ~= "accepted" and t.status ~= "false-positive" and not t.severity
         and not tm.missing(t, "severity") then
        report(t)
      end
    end
  end,
}
