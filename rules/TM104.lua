return {
  id = "TM104",
  name = "empty-model",
  level = "error",
  meta = { "0.1.1", "1.2.3" },
  summary = "The model has no threats",
  help = [[
Fires when the model lists no threats at all (unless the file refers to
threats it does not define: TM105 reports each such reference instead).

Why it matters: a threat model file without threats looks like threat
modeling happened while it did not. It is either an unfinished start or a
placeholder created to satisfy a checklist.

How to fix it: hold the session and record what can go wrong, or delete
the file until you do.

Meta threats: 0.1 (no threat modeling), 1.2.3.]],
  message = "the model lists no threats",
  settings = {},
  needs = { "threats" },   -- a format with no such field: not applicable
  run = function(model, report)
    if #model.threats > 0 then return end
    -- threats referred to but never defined: TM105 reports each reference
    for _, u in ipairs(model.unresolved or {}) do
      if u.kind == "threat" then return end
    end
    report(model, { field = "threats" })
  end,
}
