return {
  id = "TM101",
  name = "stale-model",
  level = "warning",
  meta = { "1.2.1" },
  summary = "The model records no review date, or its last review is too old",
  help = [[
Fires when the model has no `reviewed` date, a `reviewed` value that is not
a date (YYYY-MM-DD), or a date more than `max_age_days` before today
(`--now`, else SOURCE_DATE_EPOCH, else the clock).

Why it matters: systems change faster than their threat models. A model
nobody has looked at in a year describes a system that no longer exists,
and decisions taken from it rest on threats, components and mitigations
that may all have moved.

How to fix it: review the model against the system as it is now, then set
`reviewed:` to the date of that review. Review at least as often as
`max_age_days`, and whenever the design changes.

Settings: max_age_days (365).
Meta threat: 1.2.1 outdated threat model.]],
  message = "the model was last reviewed on {date}, {days} days ago (more than {max})",
  settings = { max_age_days = 365 },
  needs = { "reviewed" },   -- a format with no such field: not applicable
  run = function(model, report, settings, ctx)
    if tm.blank(model.reviewed) then
      report(model, { field = tm.field(model, "reviewed"), message = "the model records no review date; add `reviewed:` with the date of its last review" })
      return
    end
    local d = tm.days(model.reviewed)
    if not d then
      report(model, { field = tm.field(model, "reviewed"), message = "`reviewed: {value}` is not a date; write it as YYYY-MM-DD", value = model.reviewed })
      return
    end
    local age = tm.days(ctx.now) - d
    if age < 0 then   -- a review dated after today (TM110) says nothing of the last real one
      report(model, { field = tm.field(model, "reviewed"), value = model.reviewed,
                      message = "`reviewed: {value}` is after today, so when the model was last reviewed is unknown" })
    elseif age > settings.max_age_days then
      report(model, { field = tm.field(model, "reviewed"), date = model.reviewed, days = age, max = settings.max_age_days })
    end
  end,
}
