return {
  id = "TM206",
  name = "unreviewed-generated-threat",
  level = "warning",
  meta = { "2.2.2b", "2.2.4" },
  summary = "A threat produced by a tool or an AI has no reviewer",
  help = [[
Fires on a threat whose `source` is `tool` or `ai` and that has no
`reviewed_by`.

Why it matters: generated threats are cheap to produce and easy to accept
without reading. Some do not apply to the system at all, others are rated
or mitigated by default. Until a person has checked one, it is a
suggestion, not part of the model.

How to fix it: have someone who knows the system read the threat, fix or
drop it, and record who did in `reviewed_by`.

Meta threats: 2.2.2b, 2.2.4 (unchecked generated threats).]],
  message = "threat '{id}' comes from {source} and no one has reviewed it (add reviewed_by)",
  settings = {},
  needs = { "source" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      if (t.source == "tool" or t.source == "ai") and tm.blank(t.reviewed_by) then
        report(t, { field = "source" })
      end
    end
  end,
}
