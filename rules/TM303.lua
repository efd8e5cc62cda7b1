return {
  id = "TM303",
  name = "all-acceptable-bias",
  level = "warning",
  meta = { "3.1.5" },
  summary = "Most threats are accepted",
  help = [[
Fires when the model has at least `min_threats` threats and the share with
`status: accepted` reaches `max_share`.

Why it matters: when the rating scheme or the team's habit lets nearly
every threat through as acceptable, real risks get accepted along with
the trivial ones, and the model certifies a system nobody has secured.

How to fix it: review the accepts against the rating scheme, starting with
the highest rated; mitigate those that should not have been accepted. If
the scheme rates too leniently, recalibrate it. If this model really holds
mostly negligible threats, raise `max_share` for it and say why.

Settings: min_threats (5), max_share (0.6).
Meta threat: 3.1.5 all-acceptable bias.]],
  message = "{accepted} of {n} threats ({percent}%) are accepted; check that the accepts are justified",
  settings = { min_threats = 5, max_share = 0.6 },
  run = function(model, report, settings)
    local n, accepted = #model.threats, 0
    if n < settings.min_threats then return end
    for _, t in ipairs(model.threats) do
      if t.status == "accepted" then accepted = accepted + 1 end
    end
    if accepted / n >= settings.max_share then
      report(model, { field = "threats", accepted = accepted, n = n, percent = math.floor(accepted * 100 / n + 0.5) })
    end
  end,
}
