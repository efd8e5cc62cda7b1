return {
  id = "TM323",
  name = "single-point-of-control",
  level = "warning",
  meta = { "3.2.8" },
  summary = "One essential control alone carries several threats rated in the top two levels",
  help = [[
Fires on an essential mitigation (not dropped) that is the only essential
control of at least `min_threats` threats rated in the top two levels of
the scheme (and not accepted, transferred or false positives). The
finding is on the mitigation and lists the threats it carries.

Why it matters: when one control is all that stands between several
severe threats and the system, its failure (a bug, a misconfiguration, a
bypass nobody thought of) opens all of them at once. TM316 asks for a
second control per top-rated threat; this rule names the control that
the model trusts with the most.

How to fix it: add a second, independent essential control to some of
these threats (defence in depth), or make sure this one is tested and
monitored as the single point it is.

Settings: min_threats (3).
Meta threat: 3.2.8 (one control trusted too much).]],
  message = "mitigation '{id}' is the only essential control of {n} threats rated {levels}: {threats}",
  settings = { min_threats = 3 },
  run = function(model, report, settings)
    local levels = tm.levels(model)
    if #levels < 2 then return end
    local carried, order = {}, {}
    for _, t in ipairs(model.threats) do
      local r = tm.rank(model, t.severity)
      if r and r >= #levels - 1 and not tm.settled[t.status] then
        local ess = {}
        for _, m in ipairs(tm.essentials(t)) do
          if m.status ~= "dropped" then ess[#ess + 1] = m end
        end
        if #ess == 1 then
          local m = ess[1]
          if not carried[m] then carried[m] = {} order[#order + 1] = m end
          local c = carried[m]
          c[#c + 1] = t
        end
      end
    end
    for _, m in ipairs(order) do
      local c = carried[m]
      if #c >= settings.min_threats then
        local names = {}
        for i, t in ipairs(c) do
          if i <= 6 then names[#names + 1] = "'" .. tm.name(t) .. "'" end
        end
        report(m, { field = "kind", n = #c, levels = levels[#levels - 1] .. " or " .. levels[#levels],
                    threats = table.concat(names, ", ") .. (#c > 6 and (" and " .. (#c - 6) .. " more") or "") })
      end
    end
  end,
}
