return {
  id = "TM201",
  name = "duplicate-id",
  level = "error",
  meta = {},
  summary = "Two elements of one kind share an id",
  help = [[
Fires on each element whose id an earlier element of the same kind
already uses: threats, mitigations (shared or inline), components, data
flows, trust zones and boundaries. Each duplicate is reported once, at the
later one, with the line of the first.

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
            local l, c = tm.pos(first[e.id])
            local here = tm.pos(e)
            -- two on one line (a flow-style list) are told apart by column
            report(e, { field = tm.field(e, "id"), kind = kind, line = l and (l == here and (l .. ", column " .. c) or l) or "?" })
          else
            first[e.id] = e
          end
        end
      end
    end
    check(model.threats, "threat")
    check(model.mitigations, "mitigation")
    check(model.components, "component")
    check(model.flows, "flow")
    local declared = {}   -- zones tmlint made up for names on components have no line of their own
    for _, z in ipairs(model.trust_zones) do if not z.implicit then declared[#declared + 1] = z end end
    check(declared, "trust zone")
    check(model.boundaries, "boundary")
  end,
}
