return {
  id = "TM401",
  name = "no-review-recorded",
  level = "note",
  meta = {},
  summary = "The model names no reviewers",
  help = [[
Fires when the model has no `reviewers` (or an empty list).

Why it matters: a model checked only by the people who wrote it shares all
their blind spots. Naming reviewers records that someone else looked, and
who to ask next time.

How to fix it: have the model reviewed by someone outside the team that
wrote it (a security champion, another team) and list them in
`reviewers:`.

Meta threat: 4.1 (no review of the threat model).]],
  message = "the model names no reviewers; record who reviewed it in `reviewers:`",
  settings = {},
  needs = { "reviewers" },   -- a format with no such field: not applicable
  run = function(model, report)
    if #model.reviewers == 0 then report(model, { field = tm.field(model, "reviewers") }) end
  end,
}
