return {
  id = "TM302",
  name = "all-critical-bias",
  level = "warning",
  meta = { "3.1.7" },
  summary = "Most rated threats sit in the top levels of the rating scheme",
  help = [[
Fires when a model has at least `min_threats` threats with a severity from its
rating scheme and the share of them in the top levels reaches `max_share`.
The top levels are the two highest when the scheme has four or more levels,
and the highest alone when it has two or three.

Why it matters: a rating exists to decide what gets fixed first. When nearly
everything comes out critical, the ranking carries no information, engineers
face a wall of "must fix" work, and people stop trusting the ratings and the
threat model with them.

How to fix it: re-rate the threats against the scheme's definitions, asking
for each one what would really happen and how likely it is. If the scheme
itself pushes everything to the top, recalibrate the scheme (and bump its
version). If the model really does hold only severe threats, raise
`max_share` for it in the team configuration and say why.

Settings: min_threats (5), max_share (0.6).
Meta threat: 3.1.7 all-critical bias.]],
  message = "{top} of {rated} rated threats ({percent}%) are rated {levels}; a rating that puts most threats at the top no longer ranks them",
  settings = { min_threats = 5, max_share = 0.6 },
  run = function(model, report, settings)
    local levels = tm.levels(model)
    local ntop = #levels >= 4 and 2 or 1
    if #levels < 2 then return end
    local rated, top = 0, 0
    for _, t in ipairs(model.threats) do
      local r = tm.rank(model, t.severity)
      if r then
        rated = rated + 1
        if r > #levels - ntop then top = top + 1 end
      end
    end
    if rated < settings.min_threats or rated == 0 then return end
    if top / rated >= settings.max_share then
      local names = levels[#levels]
      if ntop == 2 then names = levels[#levels - 1] .. " or " .. levels[#levels] end
      report(model, {
        field = "threats",
        top = top, rated = rated, levels = names,
        percent = math.floor(top * 100 / rated + 0.5),
      })
    end
  end,
}
