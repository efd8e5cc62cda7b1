return {
  id = "TM319",
  name = "orphan-mitigation",
  level = "warning",
  meta = { "3.2.12" },
  summary = "A mitigation is used by no threat",
  help = [[
Fires on a mitigation under the model's `mitigations:` that no threat
lists.

Why it matters: every mitigation should answer a threat. One that answers
none is either left over from a threat that was deleted or renamed, or is
work planned with no reason recorded; both cost effort and confuse the
picture of what protects what.

How to fix it: list it under the threat it mitigates, or remove it.

Meta threat: 3.2.12 (mitigations with no back-reference to a threat).]],
  message = "mitigation '{id}' is not used by any threat",
  settings = {},
  run = function(model, report)
    for _, m in ipairs(model.mitigations) do
      if not m.inline_of and #m.threats == 0 then report(m) end
    end
  end,
}
