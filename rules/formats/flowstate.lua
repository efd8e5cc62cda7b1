-- FlowState TM (YAML; `schema_version` "N.N" and `name` at the top, the
-- rest in components, data_flows, boundaries, threats and controls, all
-- named by `ref`). A threat's `status` says how the team will handle it
-- (Mitigate, Accept, Dismiss, Evaluate) with a `status_note`; a control
-- lists the threats it `mitigates`, with a status (To Do, In Progress,
-- Done, Cancelled) and a `status_link` to its ticket. The format has no
-- ratings, review date, essential/idea, acceptance criteria or evidence.
local str, lower, list = tm.str, tm.lower, tm.list

local THREAT = { mitigate = "open", evaluate = "open", accept = "accepted", dismiss = "false-positive" }
local CONTROL = { ["to do"] = "planned", todo = "planned", ["in progress"] = "in-progress", done = "done",
                  cancelled = "dropped", canceled = "dropped" }
-- as its schema spells them, for TM007's messages
local THREAT_NAMES = { "Mitigate", "Evaluate", "Accept", "Dismiss" }
local CONTROL_NAMES = { "To Do", "In Progress", "Done", "Cancelled" }
local KEYS = { "components", "data_flows", "boundaries", "threats", "controls", "assets" }

-- The keys FlowState has for each kind of object (its JSON Schema, and
-- those this adapter reads besides); tm.keys reports one close to these.
local KNOWN = {
  root = tm.key_set({ "schema_version", "name", "description", "owner", "participants", "assets", "components",
                      "data_flows", "boundaries", "threats", "controls" }),
  boundary = tm.key_set({ "ref", "name", "description", "components", "x", "y", "width", "height" }),
  component = tm.key_set({ "ref", "name", "description", "component_type", "assets", "color", "x", "y" }),
  flow = tm.key_set({ "ref", "label", "source", "destination", "source_point", "destination_point", "direction",
                      "description", "protocol", "assets" }),
  threat = tm.key_set({ "ref", "name", "description", "affected_assets", "affected_components",
                        "affected_data_flows", "status", "status_link", "status_note" }),
  control = tm.key_set({ "ref", "name", "description", "implemented_in", "mitigates", "status", "status_link",
                         "status_note" }),
}

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { reviewed = true, reviewers = true, severity = true, kind = true, acceptance = true,
                  verified_by = true, key = true, source = true, accept_details = true, due = true,
                  priority = true , flow_details = true }

return {
  name = "flowstate",
  lacks = LACKS,
  detect = function(root)
    local v = root.schema_version
    if type(v) ~= "string" or not re.test(v, "^[0-9]+\\.[0-9]+$") then
      return false, "no schema_version of the form N.N"
    end
    if root.name == nil then return false, "a schema_version but no name" end
    for _, k in ipairs(KEYS) do
      if type(root[k]) == "table" then return true end
    end
    return false, "a schema_version but none of components, data_flows, threats or controls"
  end,
  build = function(root, ctx)
    local model = {
      node = root, format = "flowstate", file = ctx.file, title = str(root.name), owner = str(root.owner),
      reviewers = {}, components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      missing = tm.copy(LACKS),
    }
    tm.keys(model, root, KNOWN.root)
    local zone_of = {}
    model.trust_zones, model.flows = {}, {}
    for _, b in ipairs(list(root.boundaries)) do
      if type(b) == "table" then
        tm.keys(model, b, KNOWN.boundary)
        local z = { node = b, id = str(b.ref) or str(b.name), name = str(b.name) or str(b.ref), members = {} }
        model.trust_zones[#model.trust_zones + 1] = z
        for _, c in ipairs(tm.texts(b.components)) do
          -- boundaries may nest: the first that lists a component holds it
          if not zone_of[c] then zone_of[c] = z; z.members[#z.members + 1] = c end
        end
      end
    end
    for _, raw in ipairs(list(root.components)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KNOWN.component)
        local c = { node = raw, id = str(raw.ref), name = str(raw.name), type_text = str(raw.component_type),
                    type = tm.element_type(raw.component_type) }
        local z = c.id and zone_of[c.id]
        if z then c.zone, c.trust_zone = z.id, z.name end
        model.components[#model.components + 1] = c
        if c.id and not model.component_by_id[c.id] then model.component_by_id[c.id] = c end
      end
    end
    for _, raw in ipairs(list(root.data_flows)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KNOWN.flow)
        local f = { node = raw, id = str(raw.ref), name = str(raw.label), from = tm.one(model, raw, "source"), to = tm.one(model, raw, "destination"),
                    description = str(raw.description), protocol = str(raw.protocol), data = tm.texts(raw.assets),
                    fields = { from = "source", to = "destination" } }
        if raw.direction ~= nil then f.bidirectional = lower(raw.direction) == "bidirectional" end
        model.flows[#model.flows + 1] = f
      end
    end
    local by_ref = {}
    for _, raw in ipairs(list(root.threats)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KNOWN.threat)
        local t = { node = raw, id = str(raw.ref), title = str(raw.name), description = str(raw.description),
                    components = tm.texts(raw.affected_components), components_key = "affected_components",
                    flows = tm.texts(raw.affected_data_flows), status = tm.vocab(model, THREAT, raw, "status", "open", nil, THREAT_NAMES),
                    issue = str(raw.status_link), links = {}, mitigations = {} }
        if t.status == "accepted" or t.status == "false-positive" then
          t.accept = { node = raw, reason = str(raw.status_note), reason_field = "status_note" }
        end
        model.threats[#model.threats + 1] = t
        if t.id and not by_ref[t.id] then by_ref[t.id] = t end
      end
    end
    for _, raw in ipairs(list(root.controls)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KNOWN.control)
        local m = { node = raw, id = str(raw.ref), title = str(raw.name), status = tm.vocab(model, CONTROL, raw, "status", nil, "no status", CONTROL_NAMES),
                    issue = str(raw.status_link), acceptance = {}, threats = {} }
        model.mitigations[#model.mitigations + 1] = m
        if m.id and not model.mitigation_by_id[m.id] then model.mitigation_by_id[m.id] = m end
        for i, ref in ipairs(list(raw.mitigates)) do
          local t = by_ref[str(ref) or ""]
          if not t and str(ref) then tm.unresolved(model, "threat", str(ref), raw, "mitigates." .. i) end
          if t then
            t.links[#t.links + 1] = { id = m.id, mitigation = m, at = raw, at_field = "mitigates." .. i }
            if m.id then t.mitigations[#t.mitigations + 1] = m.id end
            m.threats[#m.threats + 1] = t
          end
        end
      end
    end
    return model
  end,
}
