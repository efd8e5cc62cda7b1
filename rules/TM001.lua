return {
  id = "TM001",
  name = "model-without-owner",
  level = "warning",
  meta = { "0.4.1" },
  summary = "The model names no owner",
  help = [[
Fires when the model has no `owner` (or an empty one).

Why it matters: a threat model without an owner is nobody's job to keep
true. Reviews lapse, mitigations nobody owns stay open, and questions about
the model have nowhere to go.

How to fix it: add `owner:` at the top of the model with a team or a role
that will still exist next year (a team handle beats a person's name).

Meta threat: 0.4.1 (no one is responsible for the threat model).]],
  message = "the model names no owner; add `owner:` with the team that keeps it up to date",
  settings = {},
  needs = { "owner" },   -- a format with no such field: not applicable
  run = function(model, report)
    if tm.blank(model.owner) then report(model, { field = tm.field(model, "owner") }) end
  end,
}
