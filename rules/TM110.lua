return {
  id = "TM110",
  name = "future-date",
  level = "error",
  meta = { "1.2.1", "3.1.4" },
  summary = "A review or acceptance is dated after today",
  help = [[
Fires on a date that records something already done but lies after today
(`--now`, else SOURCE_DATE_EPOCH, else the clock): the model's `reviewed`,
and an acceptance's `date` (when the risk was accepted). A due date or an
acceptance's `expires` may lie ahead; these cannot.

Why it matters: a date in the future is a typo (2062 for 2026) or a way to
keep a check quiet: `reviewed: 2099-01-01` would make a model look fresh
for decades, and an acceptance dated next year predates nothing. Either
way the file no longer says when the thing happened. TM101 still treats
such a model as one with no known review.

How to fix it: write the day the review or the decision took place.

Meta threats: 1.2.1 outdated threat model, 3.1.4 bad accept.]],
  message = "{what} is dated {date}, after today ({today}); write the day it happened",
  settings = {},
  run = function(model, report, settings, ctx)
    local today = tm.days(ctx.now)
    if not today then return end
    local function check(el, field, value, what)
      local d = tm.days(value)
      if d and d > today then
        report(el, { field = field, what = what, date = string.sub(tm.str(value), 1, 10), today = ctx.now })
      end
    end
    if not tm.missing(model, "reviewed") then
      check(model, tm.field(model, "reviewed"), model.reviewed, "the model's last review")
    end
    for _, t in ipairs(model.threats) do
      local a = t.accept
      if a and (t.status == "accepted" or t.status == "transferred" or t.status == "false-positive") then
        check(t, a.node == t.node and "accept" or "accept.date", a.date, "the acceptance of threat '" .. tostring(t.id) .. "'")
      end
    end
  end,
}
