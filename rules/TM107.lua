local function zone_name(model, c)
  if not c then return "an end that is not a component" end
  local z = c.zone and model.zone_by_id[c.zone]
  return z and (z.name or z.id) or "outside every zone"
end

return {
  id = "TM107",
  name = "unthreatened-boundary-flow",
  level = "warning",
  meta = { "1.3.3" },
  summary = "A data flow crosses a trust boundary and no threat names it or either end",
  help = [[
Fires on a data flow whose two ends sit in different trust zones (or that
the diagram draws across a boundary line, as Threat Dragon does) when no
threat names the flow, its source or its destination. A model with no
threats at all is left to TM104.

Why it matters: the places where data passes from one level of trust to
another are where most attacks happen, and they are the first thing a
threat-modeling session is meant to examine. A crossing that no threat
touches was drawn and then never looked at.

How to fix it: walk through the flow (what is sent, who can see or change
it on the way, what the receiver trusts) and record the threats on the
flow or on one of its ends, even if the answer is that the risk is
accepted.

Meta threat: 1.3.3 (parts of the system left out of the analysis).]],
  message = "flow {label} crosses a trust boundary ({where}) and no threat names it or either end",
  settings = {},
  needs = { "component_threats" },   -- a format whose threats cannot name elements is not asked to
  run = function(model, report)
    -- a file with no threats at all is empty-model's (TM104) to report, or
    -- holds a tool's input whose threats the tool computes (pytm)
    if #model.flows == 0 or #model.threats == 0 then return end
    local named = {}
    for _, t in ipairs(model.threats) do
      for _, id in ipairs(t.targets) do named[id] = true end
    end
    for _, f in ipairs(model.flows) do
      if tm.crosses(model, f) and not (f.id and named[f.id]) and not named[f.from] and not named[f.to] then
        local where = f.crosses ~= nil and "drawn across a boundary line"
          or (zone_name(model, f.from_component) .. " -> " .. zone_name(model, f.to_component))
        report(f, { label = tm.label(f), where = where })
      end
    end
  end,
}
