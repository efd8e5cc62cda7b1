return {
  id = "TM313",
  name = "ideas-only",
  level = "error",
  meta = { "3.2.12" },
  summary = "Every mitigation of a threat is an idea; none is essential",
  help = [[
Fires on a threat that is still in play (not accepted, transferred or a
false positive) whose mitigations are all marked `kind: idea`.

Why it matters: ideas are the "some day, maybe" list. When a threat rests
on ideas alone, nothing the team has committed to actually tames it, yet the
model looks covered. Essentials get lost among nice-to-haves, and the
threat stays open in practice.

How to fix it: decide which control the threat really needs and mark it
`kind: essential` (with acceptance criteria), or add an essential
mitigation. If no essential control is worth building, accept the threat
with a reason instead.

Meta threat: 3.2.12 mixing essentials with ideas.]],
  message = "threat '{id}' has only ideas as mitigations ({n}); none is marked essential",
  settings = {},
  needs = { "kind" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      if not tm.settled[t.status] then
        local n, ideas, gone = 0, 0, nil
        for _, link in ipairs(t.links) do
          local m = link.mitigation
          if m and tm.placeholder(m) then
            gone = gone or m   -- no control at all: counted as none
          elseif m then
            n = n + 1
            if m.kind == "idea" then ideas = ideas + 1 end
          end
        end
        if n > 0 and ideas == n then
          report(t, { field = "mitigations", n = n, message = gone and
            ("threat '{id}' has only ideas as mitigations ({n}); none is marked essential, and " .. tm.discounted(gone))
            or nil })
        end
      end
    end
  end,
}
