return {
  id = "TM307",
  name = "accept-above-limit",
  level = "warning",
  meta = { "0.2.4" },
  summary = "A threat rated above the level a team may accept on its own is accepted",
  help = [[
Fires on a threat with `status: accepted` whose severity ranks above
`max_accept_level`, unless the accept was signed off (`accept.by`) by one
of `approvers`. By default the limit is the level just below the top of
the model's rating scheme, so accepting a critical threat fires, however
good its reason.

Why it matters: an organisation that never says how much risk a team may
accept on its own lets every team decide that alone, and the highest
risks are accepted with the same ease as the lowest. Writing the limit
down, and naming who may go above it, is the target level of security
the decision needs.

How to fix it: reduce the risk until it is within the limit, or have it
accepted by someone who may accept it and list them in `approvers` (in
`.tmlint.yaml`, the setting is where the limit is written down).

Settings: max_accept_level (a level of the scheme; default: the one
below its top), approvers (names that may accept above it; default none).
Meta threat: 0.2.4 (no stated target level of security).]],
  message = "threat '{id}' is rated {severity} and accepted by {by}; accepting above {limit} needs one of the approvers",
  settings = { max_accept_level = "", approvers = {} },
  run = function(model, report, settings)
    local levels = tm.levels(model)
    if #levels < 2 then return end
    local limit = tm.rank(model, settings.max_accept_level) or (#levels - 1)
    local approvers = {}
    for _, a in ipairs(tm.list(settings.approvers)) do
      local s = tm.lower(a)
      if s then approvers[tm.trim(s)] = true end
    end
    for _, t in ipairs(model.threats) do
      local r = tm.rank(model, t.severity)
      if t.status == "accepted" and r and r > limit then
        local by = t.accept and tm.str(t.accept.by)
        if not (by and approvers[tm.trim(string.lower(by))]) then
          report(t, { field = "severity", severity = levels[r], limit = levels[limit],
                      by = by and ("'" .. by .. "'") or "no one named" })
        end
      end
    end
  end,
}
