return {
  id = "TM333",
  name = "mitigation-without-owner",
  level = "note",
  meta = { "0.4.1" },
  summary = "An essential mitigation that is not done has no owner",
  help = [[
Fires on an essential mitigation that is not done or dropped when neither
it nor the model names an `owner`.

Why it matters: open work without an owner waits for someone to feel
responsible. The model's owner is a fallback; a mitigation built by
another team should name that team.

How to fix it: set `owner:` on the mitigation (or on the model, if one
team does all the work).

Meta threat: 0.4.1 (no one is responsible).]],
  message = "essential mitigation '{id}' is not done and has no owner",
  settings = {},
  needs = { "owner" },   -- a format with no such field: not applicable
  run = function(model, report)
    if not tm.blank(model.owner) then return end
    for _, m in ipairs(model.mitigations) do
      if m.kind == "essential" and tm.pending(m) and tm.blank(m.owner) then
        report(m)
      end
    end
  end,
}
