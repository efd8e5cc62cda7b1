return {
  id = "TM320",
  name = "unknown-mitigation",
  level = "error",
  meta = { "1.3.4" },
  summary = "A threat names a mitigation id the model does not define",
  help = [[
Fires on each id in a threat's `mitigations` that matches no mitigation of
the model, shared or inline.

Why it matters: the threat looks mitigated by something that is not in
the model: a typo, a renamed or deleted mitigation. Nobody is tracking the
control the threat relies on.

How to fix it: correct the id, or add the mitigation under
`mitigations:`.

Meta threat: 1.3.4 (inconsistent model).]],
  message = "threat '{id}' names mitigation '{ref}', which the model does not define",
  settings = {},
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      for _, link in ipairs(t.links) do
        if link.id and not link.mitigation then
          if link.at then
            report(link.at, { field = link.at_field, ref = link.id, id = tm.name(t) })
          else
            report(t, { field = link.field, ref = link.id })
          end
        end
      end
    end
  end,
}
