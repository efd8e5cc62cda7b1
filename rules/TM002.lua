return {
  id = "TM002",
  name = "unversioned-rating-scheme",
  level = "note",
  meta = { "3.1.8" },
  summary = "Threats are rated, but the rating scheme and its version are not stated",
  help = [[
Fires when at least one threat has a severity, likelihood or impact while
the model's `rating:` block is missing, or lacks the scheme's name or
version.

Why it matters: a rating only means something against the scheme that
produced it. Schemes change as teams learn, and without a name and version
nobody can tell which threats were rated under the old rules and need
rating again.

How to fix it: add
`rating: {scheme: <name>, version: <semver>, levels: [low, medium, high, critical]}`
and bump the version whenever the scheme's definitions change.

Meta threat: 3.1.8 insane and untrusted rating scheme.]],
  message = "threats are rated, but the model does not state the rating scheme's {missing}",
  settings = {},
  run = function(model, report)
    local rated = false
    for _, t in ipairs(model.threats) do
      if t.severity or t.likelihood or t.impact then rated = true break end
    end
    if not rated then return end
    local rs = model.rating_scheme
    if not rs then
      report(model, { missing = "name and version" })
    elseif tm.blank(rs.name) or tm.blank(rs.version) then
      local missing = tm.blank(rs.name) and (tm.blank(rs.version) and "name and version" or "name") or "version"
      report(model, { field = "rating", missing = missing })
    end
  end,
}
