-- An element that stands for the attacker: its threats are what it does,
-- not what is done to it.
local ATTACKER = re.compile("\\b(?:attacker|adversary|threat[ -]?actor|hacker|malicious (?:user|actor|insider))\\b", "i")
local function attacker(c)
  for _, v in ipairs({ c.name, c.type_text, c.id }) do
    if type(v) == "string" and re.test(v, ATTACKER) then return true end
  end
  return false
end

return {
  id = "TM103",
  name = "component-without-threats",
  level = "note",
  meta = { "1.3.3", "2.1.2" },
  summary = "A component is covered by no threat",
  help = [[
Fires on a component that no threat names in `component` or `components`.
Data flows are not components (TM107 looks at the flows that matter most).
Left alone: elements the file marks out of scope (Threat Dragon's
`outOfScope`, CycloneDX's `cdx:model:inScope: false`, Threagile's
`out_of_scope`) and elements that stand for the attacker (an attacker,
adversary or threat actor), whose threats are what they do.

Why it matters: every part of a system can fail or be attacked somehow. A
component with no threats was either never examined or is not really part
of the system; both are worth knowing.

How to fix it: walk through the component with the team (STRIDE per
element works well) and record what can go wrong, or remove it from the
model if it is out of scope.

Meta threats: 1.3.3 (missing parts of the system), 2.1.2 (threats not
found).]],
  message = "component {label} is not named by any threat",
  settings = {},
  needs = { "component_threats" },   -- a format with no such field: not applicable
  run = function(model, report)
    local used = {}
    for _, t in ipairs(model.threats) do
      for _, c in ipairs(t.components) do used[c] = true end
    end
    for _, c in ipairs(model.components) do
      -- a component whose threat references do not resolve is not "named
      -- by no threat": TM105 reports the references
      if c.id and not used[c.id] and c.flow ~= true and not (c.unresolved and c.unresolved.threat)
         and not c.out_of_scope and not attacker(c) then
        report(c, { label = tm.label(c) })
      end
    end
  end,
}
