return {
  id = "TM304",
  name = "rating-outside-scheme",
  level = "error",
  meta = { "3.1.8" },
  summary = "A severity, likelihood or impact is not one of the scheme's levels",
  help = [[
Fires on a threat's `severity`, `likelihood` or `impact` that is not one of
the levels in the model's `rating.levels` (or of low, medium, high,
critical when the model names no levels). Case does not matter.

Why it matters: a value outside the scheme ("very high", "sev1", "8") was
rated against some other scale, or made up. Nobody can compare it with the
other ratings, and every rule and report that ranks threats skips it.

How to fix it: use one of the scheme's levels, or, if the scheme really
needs another level, add it to `rating.levels` and bump the scheme's
version.

Meta threat: 3.1.8 insane and untrusted rating scheme.]],
  message = "threat '{id}' has {field} '{value}', which is not a level of the rating scheme ({levels})",
  settings = {},
  run = function(model, report)
    local levels = table.concat(tm.levels(model), ", ")
    for _, t in ipairs(model.threats) do
      for _, f in ipairs({ "severity", "likelihood", "impact" }) do
        local v = t[f]
        if v and not tm.rank(model, v) then
          report(t, { field = f, value = v, levels = levels })
        end
      end
    end
  end,
}
