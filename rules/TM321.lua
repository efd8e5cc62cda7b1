return {
  id = "TM321",
  name = "mitigated-but-undone",
  level = "error",
  meta = { "3.3.3", "3.3.4" },
  summary = "A threat says mitigated while an essential mitigation is not done",
  help = [[
Fires on a threat with `status: mitigated` when one of its essential
mitigations has a status other than `done` (or `dropped`, which TM322
covers). In a format that does not mark mitigations essential (Threat
Composer), it fires when none of the threat's mitigations is done and at
least one is still planned or in progress: a `threatResolved` threat
whose mitigations are only `mitigationIdentified`.

Why it matters: "mitigated" tells readers, auditors and release managers
that the risk is handled. While an essential control is still planned or
in progress, the system is exposed, and the status hides it, so the gap
ships unnoticed.

How to fix it: set the threat back to `status: open` until its essential
mitigations are done, or finish them.

Meta threats: 3.3.3 undone mitigation, 3.3.4 undone mitigation unnoticed.]],
  message = "threat '{id}' says mitigated, but essential mitigation '{mid}' is {mstatus}",
  settings = {},
  run = function(model, report)
    local kinds = not tm.missing(model, "kind")
    for _, t in ipairs(model.threats) do
      if t.status == "mitigated" and kinds then
        for _, m in ipairs(tm.essentials(t)) do
          if m.status ~= "done" then
            report(t, { field = "status", mid = tm.name(m), mstatus = m.status or "without a status" })
            break
          end
        end
      elseif t.status == "mitigated" then
        -- a format with no essentials (Threat Composer): resolved while
        -- every linked control with a status is still to be built
        local first, done = nil, false
        for _, m in ipairs(tm.linked(t)) do
          if m.status == "done" then done = true break end
          if (m.status == "planned" or m.status == "in-progress") and not tm.placeholder(m) then first = first or m end
        end
        if first and not done then
          report(t, { field = tm.field(t, "status"), mid = tm.name(first), mstatus = first.status,
                      message = "threat '{id}' says mitigated, but none of its mitigations is done: '{mid}' is {mstatus}" })
        end
      end
    end
  end,
}
