return {
  id = "TM316",
  name = "single-control-on-critical",
  level = "warning",
  meta = { "3.2.3" },
  summary = "A threat rated at the top level rests on a single essential mitigation",
  help = [[
Fires on a threat rated at the highest level of the scheme, still in play,
whose mitigations include exactly one essential one (not dropped).

Why it matters: controls fail: a configuration drifts, a library has a
bug, a check is bypassed. For the threats that would hurt most, one
control is one failure away from the whole impact.

How to fix it: add a second, independent essential mitigation, ideally
one that limits the damage (`reduces: impact`) when the first fails, such
as detection and response, encryption, or least privilege.

Meta threat: 3.2.3 (no defence in depth).]],
  message = "threat '{id}' is rated {level} but rests on one essential mitigation ('{only}')",
  settings = {},
  needs = { "kind" },   -- a format with no such field: not applicable
  run = function(model, report)
    local levels = tm.levels(model)
    for _, t in ipairs(model.threats) do
      if not tm.settled[t.status] and tm.rank(model, t.severity) == #levels then
        local ess = tm.essentials(t)
        if #ess == 1 then
          report(t, { field = "mitigations", level = levels[#levels], only = ess[1].id or ess[1].title or "?" })
        end
      end
    end
  end,
}
