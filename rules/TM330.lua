return {
  id = "TM330",
  name = "untracked-mitigation",
  level = "warning",
  meta = { "3.3.1" },
  summary = "An essential mitigation that is not done has no issue link",
  help = [[
Fires on an essential mitigation that is not done or dropped and has no
`issue`.

Why it matters: work that lives only in the threat model is invisible to
the people who plan and do the work. Without a ticket in the team's
tracker, the control competes with nothing and tends never to be built.

How to fix it: create the ticket in the tracker the team plans from and
put its link in `issue:`.

Meta threat: 3.3.1 (mitigations not handed over to development).]],
  message = "essential mitigation '{id}' is {state} but has no issue link",
  settings = {},
  needs = { "issue" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, m in ipairs(model.mitigations) do
      if m.kind == "essential" and tm.pending(m) and tm.blank(m.issue) then
        report(m, { state = m.status or "not done" })
      end
    end
  end,
}
