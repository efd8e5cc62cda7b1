return {
  id = "TM321",
  name = "mitigated-but-undone",
  level = "error",
  meta = { "3.3.3", "3.3.4" },
  summary = "A threat says mitigated while an essential mitigation is not done",
  help = [[
Fires on a threat with `status: mitigated` when one of its essential
mitigations has a status other than `done` (or `dropped`, which TM322
covers).

Why it matters: "mitigated" tells readers, auditors and release managers
that the risk is handled. While an essential control is still planned or
in progress, the system is exposed, and the status hides it, so the gap
ships unnoticed.

How to fix it: set the threat back to `status: open` until its essential
mitigations are done, or finish them.

Meta threats: 3.3.3 undone mitigation, 3.3.4 undone mitigation unnoticed.]],
  message = "threat '{id}' says mitigated, but essential mitigation '{mid}' is {mstatus}",
  settings = {},
  needs = { "kind" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      if t.status == "mitigated" then
        for _, m in ipairs(tm.essentials(t)) do
          if m.status ~= "done" then
            report(t, { field = "status", mid = tm.name(m), mstatus = m.status or "without a status" })
            break
          end
        end
      end
    end
  end,
}
