return {
  id = "TM106",
  name = "threat-without-component",
  level = "warning",
  meta = { "1.3.4", "1.3.1" },
  summary = "A threat names no component or flow, in a model that defines components",
  help = [[
Fires on a threat that names no component (`component:` or
`components:`) and no data flow (`flow:` or `flows:`) when the model
defines components. A model without components is left alone, and so is
a decision about a risk a tool computes (Threagile's `risk_tracking`),
whose id says what it is about.

Why it matters: a threat that belongs to no part of the system cannot be
checked against it: nobody can tell whether the part it attacks exists,
changed, or is covered by its controls, and coverage rules (a component
no threat covers) count it nowhere.

How to fix it: name the component or components the threat is against.
If it truly concerns the whole system, add a component for the system
boundary and name it.

Meta threats: 1.3.4 (representation differs from reality), 1.3.1
(representation too coarse).]],
  message = "threat '{id}' names no component or flow; the model defines {n}",
  needs = { "threat_components" },   -- a format whose threats cannot name one is not asked to
  settings = {},
  run = function(model, report)
    if #model.components == 0 then return end
    for _, t in ipairs(model.threats) do
      if #t.targets == 0 and not t.computed then
        local n = #model.components .. (#model.components == 1 and " component" or " components")
        if #model.flows > 0 then n = n .. " and " .. #model.flows .. (#model.flows == 1 and " flow" or " flows") end
        report(t, { field = "components", n = n })
      end
    end
  end,
}
