return {
  id = "TM102",
  name = "unknown-component",
  level = "error",
  meta = { "1.3.4" },
  summary = "A reference names a component, flow or trust zone the model does not define",
  help = [[
Fires at each reference to an element of the system that the model does
not define: a component or flow a threat names (`component`,
`components`, `flow`, `flows`), a flow's source or destination, a
component's trust zone when the model declares its zones (a model that
declares none may name zones freely), a component's parent, and the
references a format's adapter could not resolve (a Threagile link target
or asset id, an Open Threat Model parent or trust zone, a Threat Dragon
edge's end). The message gives the closest id the model defines, or the
ids it has. TM105 does the same for threats and TM320 for mitigations.

Why it matters: a reference that points at nothing is not attached to the
system. It is usually a typo or an element renamed or removed, and either
way the picture of what is exposed where is wrong: the threat sits on no
component, the flow leads nowhere, the component is in no known zone.

How to fix it: correct the id, or add the element it names.

Meta threat: 1.3.4 (inconsistent model of the system).]],
  message = "threat '{id}' names component '{component}', which the model does not define; {hint}",
  settings = {},
  run = function(model, report)
    local function ids_of(list)
      local out, seen = {}, {}
      for _, e in ipairs(list) do
        if type(e.id) == "string" and not seen[e.id] then seen[e.id] = true; out[#out + 1] = e.id end
      end
      return out
    end
    local comp_ids, flow_ids
    local function comps() comp_ids = comp_ids or ids_of(model.components) return comp_ids end
    local function flows() flow_ids = flow_ids or ids_of(model.flows) return flow_ids end
    -- references an adapter could not resolve (a Threagile risk_tracking
    -- key naming an asset the model lacks)
    for _, u in ipairs(model.unresolved or {}) do
      if u.kind == "component" then
        report(u.at, { field = u.field, id = u.field, component = u.id, message =
          "'" .. u.field .. "' names '" .. u.id .. "', which the model does not define; " .. tm.suggest(u.id, comps()) })
      end
    end
    for _, t in ipairs(model.threats) do
      for i, c in ipairs(t.components) do
        if not model.component_by_id[c] and not model.flow_by_id[c] then   -- a flow may be named too
          local field = t.components_key == "component" and "component" or ((t.components_key or "components") .. "." .. i)
          report(t, { field = field, component = c, hint = tm.suggest(c, comps()) })
        end
      end
      for i, f in ipairs(t.flows) do
        if type(f) == "string" and not model.flow_by_id[f] and not model.component_by_id[f] then
          local field = t.flows_key == "flow" and "flow" or ((t.flows_key or "flows") .. "." .. i)
          report(t, { field = field, message = "threat '{id}' names flow '" .. f
                      .. "', which the model does not define; " .. tm.suggest(f, flows()) })
        end
      end
    end
    -- a flow's ends (a loose end, with no id at all, is TM109's)
    for _, f in ipairs(model.flows) do
      for _, e in ipairs({ { "from", "source" }, { "to", "destination" } }) do
        local id = f[e[1]]
        if type(id) == "string" and not model.component_by_id[id] then
          report(f, { field = tm.field(f, e[1]), message = "flow " .. tm.label(f) .. ": its " .. e[2] .. " '" .. id
                      .. "' is not a component of the model; " .. tm.suggest(id, comps()) })
        end
      end
    end
    -- a component's zone, when the model declares its zones; its parent
    local declared = {}
    for _, z in ipairs(model.trust_zones) do
      if not z.implicit then
        declared[#declared + 1] = z.id or z.name
        if z.name and z.name ~= z.id then declared[#declared + 1] = z.name end
      end
    end
    for _, c in ipairs(model.components) do
      local z = c.zone and model.zone_by_id[c.zone]
      if #declared > 0 and z and z.implicit then
        report(c, { field = tm.field(c, "trust_zone"), message = "component " .. tm.label(c) .. " is in trust zone '"
                    .. tostring(z.id) .. "', which the model does not declare; " .. tm.suggest(z.id, declared) })
      end
      if type(c.parent) == "string" and not model.component_by_id[c.parent] and not model.zone_by_id[c.parent] then
        report(c, { field = tm.field(c, "parent"), message = "component " .. tm.label(c) .. " names parent '"
                    .. c.parent .. "', which is neither a component nor a trust zone of the model; "
                    .. tm.suggest(c.parent, comps()) })
      end
    end
  end,
}
