return {
  id = "TM315",
  name = "missing-acceptance-criteria",
  level = "warning",
  meta = { "3.2.11" },
  summary = "An essential mitigation has no acceptance criteria",
  help = [[
Fires on a mitigation marked `kind: essential` (and not dropped) that has
no entries under `acceptance`.

Why it matters: "add login" or "encrypt the data" means different things to
different people. Without criteria there is no agreement on what protection
the control must give, so it can be built, reviewed and shipped without
taming the threat at all.

How to fix it: add `acceptance:` with one or more statements that a tester
could check, describing the protection rather than the implementation, for
example "a token presented from another device is rejected".

Meta threat: 3.2.11 vague mitigation confusion.]],
  message = "essential mitigation '{id}' has no acceptance criteria",
  settings = {},
  needs = { "acceptance" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, m in ipairs(model.mitigations) do
      if m.kind == "essential" and m.status ~= "dropped" and #m.acceptance == 0 then
        report(m, { field = "acceptance" })
      end
    end
  end,
}
