return {
  id = "TM310",
  name = "threat-without-mitigation",
  level = "error",
  meta = { "3.3.3", "0.1.2", "2.1.4" },
  summary = "A threat that is still in play has no mitigation",
  help = [[
Fires on a threat that lists no mitigation while its status is not
accepted, transferred or false-positive.

Why it matters: writing a threat down is only half the work. A threat with
neither a mitigation nor a recorded decision to live with it is a known hole
that nobody has been asked to close, and the model gives a false sense that
it has been dealt with.

How to fix it: add at least one mitigation under `mitigations:` (by id or
inline), or, if the team decides to carry the risk, set `status: accepted`
with an `accept:` block that gives the reason, who decided and when. Use
`transferred` when someone else owns the risk and `false-positive` when the
threat does not apply.

Meta threats: 3.3.3 undone mitigation, 0.1.2 insecurity.]],
  message = "threat '{id}' has no mitigation and is not accepted, transferred or a false positive",
  settings = {},
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      -- an unknown status (a typo TM006 reports) decides nothing either way
      if (t.status == "open" or t.status == "mitigated") and not tm.missing(t, "mitigations") then
        if #t.links == 0 then
          report(t)
        else
          -- every link resolves, and to text that is no control: a
          -- placeholder, a tool's default, "no mitigation, but ..."
          local first, at
          for _, link in ipairs(t.links) do
            local m = link.mitigation
            if not m or not tm.placeholder(m) then first = nil break end
            if not first then first, at = m, link.field end
          end
          if first then
            report(t, { field = at or "mitigations",
                        message = "threat '{id}' has no mitigation: " .. tm.discounted(first)
                          .. ", and it is not accepted, transferred or a false positive" })
          end
        end
      end
    end
  end,
}
