return {
  id = "TM312",
  name = "accept-incomplete-or-expired",
  level = "warning",
  meta = { "3.1.4" },
  summary = "An acceptance does not say who accepted or when, or it has expired",
  help = [[
Fires on an accepted threat whose `accept` block has no `by` or no `date`,
on one whose `expires` date has passed (today is `--now`, else
SOURCE_DATE_EPOCH, else the clock), and on a `date` or `expires` that is
not a date (YYYY-MM-DD): `expires: next year` could never be seen to
pass. An `expires` more than `max_years` (3) years ahead is reported too:
an acceptance that never comes up again is a permanent one. A threat accepted with no reason at all is TM311's.

Why it matters: an accepted risk is a decision someone is answerable for,
taken at a time when things were a certain way. Without a name nobody can
be asked about it; without a date nobody can tell whether it predates the
last redesign; and an acceptance past its expiry is a decision nobody
renewed.

How to fix it: add `by` (a person or a role) and `date`, and an `expires`
date when the acceptance should be looked at again. When it has expired,
review the threat: renew the acceptance with a new date, or mitigate.

Settings: max_years (3).
Meta threat: 3.1.4 bad accept.]],
  message = "the acceptance of threat '{id}' {problem}",
  settings = { max_years = 3 },
  needs = { "accept_details" },   -- a format with no such field: not applicable
  run = function(model, report, settings, ctx)
    local today = tm.days(ctx.now)
    for _, t in ipairs(model.threats) do
      local a = t.accept
      if t.status == "accepted" and a and not tm.blank(a.reason) then
        local missing = {}
        if tm.blank(a.by) then missing[#missing + 1] = "who accepted it (by)" end
        if tm.blank(a.date) then missing[#missing + 1] = "when (date)" end
        if #missing > 0 then
          -- the accept block's key, or the element that is the decision
          local field = (a.node ~= t.node) and "accept" or nil
          report(t, { field = field, problem = "does not say " .. table.concat(missing, " or ") })
        end
        -- a date that is no date would leave the decision open for ever
        if not tm.blank(a.date) and not tm.days(a.date) then
          report(t, { field = "accept.date", problem = "gives date '" .. tm.str(a.date) .. "', which is not a date (YYYY-MM-DD)" })
        end
        local exp = tm.days(a.expires)
        if exp and today and exp < today then
          report(t, { field = "accept.expires", problem = "expired on " .. tm.str(a.expires) .. "; review it again" })
        elseif exp and today and exp - today > settings.max_years * 365 then
          -- an expiry decades away never comes: the acceptance is for good
          report(t, { field = "accept.expires", problem = "expires on " .. tm.str(a.expires) .. ", more than "
            .. settings.max_years .. " years from now, so it is never really looked at again" })
        elseif not exp and not tm.blank(a.expires) then
          report(t, { field = "accept.expires", problem = "gives expires '" .. tm.str(a.expires)
            .. "', which is not a date (YYYY-MM-DD), so it can never be seen to expire" })
        end
      end
    end
  end,
}
