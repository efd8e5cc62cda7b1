return {
  id = "TM322",
  name = "dropped-without-replacement",
  level = "error",
  meta = { "3.3.6" },
  summary = "An essential mitigation was dropped and its threat has nothing else essential",
  help = [[
Fires on a threat that is not accepted, transferred or a false positive
when one of its essential mitigations is `dropped` and none of the others
is an essential mitigation still standing.

Why it matters: dropping a control can be right (too costly, replaced by a
platform feature), but the threat it answered is then back to untamed. If
nothing replaces it and nobody accepts the risk, the threat stays open
while the model still shows a mitigation against it.

How to fix it: add the replacement control as an essential mitigation, or
accept the threat with a reason, who and when.

Meta threat: 3.3.6 (mitigation dropped without a decision).]],
  message = "threat '{id}' lost its essential mitigation '{mid}' (dropped) and has no other",
  settings = {},
  needs = { "kind" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      if not tm.settled[t.status] and #tm.essentials(t) == 0 then
        for _, link in ipairs(t.links) do
          local m = link.mitigation
          if m and m.kind == "essential" and m.status == "dropped" then
            report(t, { field = link.field, mid = tm.name(m) })
            break
          end
        end
      end
    end
  end,
}
