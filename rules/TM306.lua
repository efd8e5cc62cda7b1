return {
  id = "TM306",
  name = "inconsistent-rating",
  level = "warning",
  meta = { "3.1.2" },
  summary = "A threat's severity does not follow from its likelihood and impact",
  help = [[
Fires on a threat that has a `severity`, a `likelihood` and an `impact`, all
on the scheme's levels, when the severity differs from what the
likelihood and impact give.

By default the expected severity is the mean of the likelihood's and the
impact's positions on the scale, rounded up (high likelihood and critical
impact give critical; low and high give medium), and `tolerance` levels of
difference are allowed. A team with its own matrix sets `matrix`: a table
from likelihood to a table from impact to severity, e.g.
`{high = {critical = "critical", low = "medium"}, ...}`; combinations the
matrix leaves out are not checked.

Why it matters: when severity is set by feel next to a likelihood and an
impact that say otherwise, one of them is wrong, and the ranking of threats
cannot be trusted.

How to fix it: re-rate, or correct whichever of the three is wrong.

Settings: tolerance (0), matrix (none).
Meta threat: 3.1.2 (inconsistent risk assessment).]],
  message = "threat '{id}' is rated {severity}, but likelihood {likelihood} and impact {impact} give {expected}",
  settings = { tolerance = 0, matrix = false },
  run = function(model, report, settings)
    local levels = tm.levels(model)
    for _, t in ipairs(model.threats) do
      local s, l, i = tm.rank(model, t.severity), tm.rank(model, t.likelihood), tm.rank(model, t.impact)
      if s and l and i then
        local expected
        if type(settings.matrix) == "table" then
          local row = settings.matrix[t.likelihood]
          expected = type(row) == "table" and tm.rank(model, row[t.impact]) or nil
        else
          expected = (l + i + 1) // 2
        end
        if expected and math.abs(s - expected) > settings.tolerance then
          report(t, { field = "severity", expected = levels[expected] })
        end
      end
    end
  end,
}
