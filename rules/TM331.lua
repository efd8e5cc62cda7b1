return {
  id = "TM331",
  name = "overdue-mitigation",
  level = "warning",
  meta = { "3.3.5" },
  summary = "A mitigation that is not done is past its due date",
  help = [[
Fires on a mitigation that is not done or dropped whose `due` date is
before today (`--now`, else SOURCE_DATE_EPOCH, else the clock), and on one
whose `due` is not a date at all (`due: someday`, `due: Q3`): no day can
ever pass it.

Why it matters: a missed date on a control means the threat it answers is
open longer than the team agreed to. Quietly slipping dates are how
"planned" turns into "never".

How to fix it: finish it, or agree a new date (and update `due`), or
decide not to build it and record that (drop it, and accept or otherwise
mitigate the threat).

Meta threat: 3.3.5 (mitigations delayed indefinitely).]],
  message = "mitigation '{id}' was due on {due} and is {state}",
  settings = {},
  needs = { "due" },   -- a format with no such field: not applicable
  run = function(model, report, settings, ctx)
    local today = tm.days(ctx.now)
    for _, m in ipairs(model.mitigations) do
      local due = tm.days(m.due)
      if due and today and due < today and tm.pending(m) then
        report(m, { field = "due", state = m.status or "not done" })
      elseif not due and not tm.blank(m.due) and tm.pending(m) then
        -- `due: someday` is the indefinite delay itself, and no date can pass it
        report(m, { field = "due", message = "mitigation '{id}' has due '{due}', which is not a date (YYYY-MM-DD);"
          .. " give the date it is due" })
      end
    end
  end,
}
