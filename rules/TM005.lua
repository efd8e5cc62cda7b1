return {
  id = "TM005",
  name = "bad-suppression",
  level = "warning",
  meta = { "2.2.6" },
  summary = "A tmlint-ignore entry has no reason, names no known rule, or suppresses nothing",
  help = [[
Fires on a `tmlint-ignore` entry that gives no `reason` (or one of fewer
than `min_words` words, the same minimum an acceptance needs), names a rule
tmlint does not know, is not written as `{rule: ..., reason: ...}`, or no
longer suppresses any finding of the element it sits on.

Why it matters: a suppression is an accept of a finding, and an accept
without a reason is exactly what tmlint exists to catch. Suppressions that
outlive the problem they hid are noise that hides the next real one.

How to fix it: give every entry a reason a reviewer can check, spell the
rule's id or name as `tmlint rules` shows it, and delete entries that no
longer suppress anything. This rule cannot itself be suppressed in the
file. An entry whose reason is too short suppresses nothing.

Settings: min_words (4).
Meta threat: 2.2.6 bad accept.]],
  message = "{problem}",
  settings = { min_words = 4 },
  -- checked by tmlint itself after the other rules ran: only the host knows
  -- which suppressions were used
  host = true,
  run = function() end,
}
