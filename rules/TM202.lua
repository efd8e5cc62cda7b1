return {
  id = "TM202",
  name = "missing-id",
  level = "warning",
  meta = {},
  summary = "A threat or mitigation has no id",
  help = [[
Fires on a threat or a mitigation (shared or inline) without an `id`.

Why it matters: without an id nothing can point at the element for long:
tickets, reviews and suppressions end up quoting titles, which change. Ids
also let tmlint keep a finding's identity when lines move.

How to fix it: add a short, stable `id` (T12, M7, or your tracker's
scheme) and never reuse one.

Meta threat: the document's "stable ids" convention.]],
  message = "this {kind} has no id",
  settings = {},
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      if not t.id then report(t, { kind = "threat" }) end
    end
    for _, m in ipairs(model.mitigations) do
      if not m.id then report(m, { kind = "mitigation" }) end
    end
  end,
}
