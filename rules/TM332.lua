return {
  id = "TM332",
  name = "unverified-mitigation",
  level = "note",
  meta = { "3.3.9", "3.3.10" },
  summary = "An essential mitigation is marked done but names no test or evidence",
  help = [[
Fires on an essential mitigation with `status: done` and no
`verified_by`.

Why it matters: "done" is a claim. Controls are often built differently
from what was meant, or broken later by an unrelated change. A test or a
piece of evidence that shows the acceptance criteria hold is what turns the
claim into something a reviewer can check, and a test keeps checking it.

How to fix it: point `verified_by` at the test, scan or review that shows
the control works (a path in the repository or a link).

Meta threats: 3.3.9, 3.3.10 (mitigations not verified).]],
  message = "essential mitigation '{id}' is done but names no test or evidence (verified_by)",
  settings = {},
  needs = { "verified_by" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, m in ipairs(model.mitigations) do
      if m.kind == "essential" and m.status == "done" and tm.blank(m.verified_by) then
        report(m, { field = "status" })
      end
    end
  end,
}
