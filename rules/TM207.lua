return {
  id = "TM207",
  name = "noisy-tool",
  level = "note",
  meta = { "2.2.5" },
  summary = "Half or more of the threats a tool produced are dismissed as false positives",
  help = [[
Fires once on the model when at least `min_threats` of its threats come
from a tool or an AI (`source: tool` or `source: ai`) and a share of at
least `max_share` of them is marked `false-positive`.

Why it matters: a generator whose output is mostly waved away trains the
team to wave away its output, and the one real threat among the noise is
dismissed with the rest. The dismissals are a signal about the tool, or
about the model it reads, not only about each threat.

How to fix it: tune the tool (its rules, its thresholds) or correct the
model it generates from, so that what it reports is worth reading; then
look again at what was dismissed.

Settings: min_threats (10), max_share (0.5).
Meta threat: 2.2.5 (worn down by tool noise).]],
  message = "{fp} of {n} threats from tools ({percent}%) are marked false positives; tune the tool or the model it reads",
  settings = { min_threats = 10, max_share = 0.5 },
  needs = { "source" },
  run = function(model, report, settings)
    local n, fp = 0, 0
    for _, t in ipairs(model.threats) do
      if t.source == "tool" or t.source == "ai" then
        n = n + 1
        if t.status == "false-positive" then fp = fp + 1 end
      end
    end
    if n >= settings.min_threats and fp / n >= settings.max_share then
      report(model, { field = "threats", fp = fp, n = n, percent = math.floor(fp * 100 / n + 0.5) })
    end
  end,
}
