return {
  id = "TM201",
  name = "duplicate-id",
  level = "error",
  meta = {},
  summary = "Two threats, or two mitigations, share an id",
  help = [[
Fires on each threat whose id an earlier threat already uses, and on each
mitigation (shared or inline) whose id an earlier mitigation uses.

Why it matters: ids are how tickets, reviews, suppressions and
mitigation links refer to threats and mitigations. A shared id makes every
such reference ambiguous: a link may attach a control to the wrong threat,
and a finding suppressed for one hides the other.

How to fix it: give each its own id and update the references. Never reuse
the id of a deleted threat or mitigation for a new one.

Meta threat: the document's "stable ids" convention.]],
  message = "{kind} id '{id}' is already used at line {line}",
  settings = {},
  run = function(model, report)
    local function check(list, kind)
      local first = {}
      for _, e in ipairs(list) do
        if e.id then
          if first[e.id] then
            report(e, { field = "id", kind = kind, line = (tm.pos(first[e.id])) or "?" })
          else
            first[e.id] = e
          end
        end
      end
    end
    check(model.threats, "threat")
    check(model.mitigations, "mitigation")
  end,
}
