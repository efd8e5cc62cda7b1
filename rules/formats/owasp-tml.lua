-- OWASP Threat Model Library (JSON; `$schema` naming the library's
-- threat-model.schema.json, or its required top level: version, scope,
-- trust_zones, actors, components, data_stores, data_flows). Elements are
-- named by `symbolic_name`. Threats list the elements they affect;
-- controls list the threats they address, with a status and a priority;
-- risks rate threats (likelihood, impact, a level band). A threat's
-- severity is the highest level of the risks that rate it. The format has
-- no owner, reviewers, threat status or decision, acceptance criteria,
-- tickets or evidence.
local str, lower, list = tm.str, tm.lower, tm.list

local LEVELS = { "very_low", "low", "medium", "high", "very_high", "critical" }
-- control status -> kind, status
local CONTROL = {
  active = { "essential", "done" }, assumed = { "essential", "done" },
  approved = { "essential", "planned" }, scheduled = { "essential", "in-progress" },
  suggested = { "idea", "planned" }, under_review = { "idea", "planned" },
  retired = { nil, "dropped" }, wont_do = { nil, "dropped" },
}
local REQUIRED = { "scope", "trust_zones", "actors", "components", "data_stores", "data_flows" }

local function rank(level)
  for i, l in ipairs(LEVELS) do if l == level then return i end end
  return nil
end

-- The keys its schema has for each kind of object (a closed schema: no
-- others); tm.keys reports one close to these.
local KEYS = {
  root = tm.key_set({ "$schema", "version", "description", "scope", "diagrams", "trust_zones", "trust_boundaries",
                      "actors", "components", "data_stores", "data_sets", "data_flows", "assumptions",
                      "threat_personas", "threats", "controls", "risks", "extensions", "frozen",
                      "product_release_date", "release_docs_link", "released_at", "repo_link", "reviewed_at" }),
  scope = tm.key_set({ "title", "description", "business_criticality", "data_sensitivity", "exposure", "tier" }),
  zone = tm.key_set({ "symbolic_name", "title", "description" }),
  boundary = tm.key_set({ "trust_zone_a", "trust_zone_b", "access_control_methods", "access_token_expires",
                          "access_token_ttl", "authentication_methods", "can_system_logout", "can_user_logout",
                          "has_refresh_token", "refresh_token_expires", "refresh_token_ttl" }),
  actors = tm.key_set({ "symbolic_name", "title", "description", "permissions", "trust_zone", "type" }),
  components = tm.key_set({ "symbolic_name", "title", "description", "parent_component", "repo_link", "trust_zone" }),
  data_stores = tm.key_set({ "symbolic_name", "title", "description", "product", "trust_zone", "type", "vendor" }),
  flow = tm.key_set({ "symbolic_name", "title", "description", "source", "destination", "encrypted",
                      "has_sensitive_data" }),
  flow_end = tm.key_set({ "object", "type" }),
  threat = tm.key_set({ "symbolic_name", "title", "description", "attack_mechanisms", "components_affected",
                        "event", "sources", "threat_persona", "weaknesses" }),
  risk = tm.key_set({ "symbolic_name", "title", "description", "impact", "impact_description", "level",
                      "likelihood", "score", "threats" }),
  control = tm.key_set({ "symbolic_name", "title", "description", "priority", "status", "threats",
                         "trust_boundary" }),
}

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { owner = true, reviewers = true, acceptance = true, issue = true, verified_by = true,
                  key = true, source = true, accept_details = true, due = true }

return {
  name = "owasp-tml",
  lacks = LACKS,
  detect = function(root)
    local schema = str(root["$schema"])
    if schema and string.find(schema, "threat-model-library", 1, true) then return true end
    if schema ~= nil then return false, "a $schema that is not the Threat Model Library's" end
    for _, k in ipairs(REQUIRED) do
      if root[k] == nil then return false, "no $schema of the library, and no " .. k end
    end
    if root.version == nil then return false, "no $schema of the library, and no version" end
    return true
  end,
  build = function(root, ctx)
    local scope = type(root.scope) == "table" and root.scope or {}
    local model = {
      node = root, format = "owasp-tml", file = ctx.file,
      title = str(scope.title), reviewed = str(root.reviewed_at), reviewers = {},
      rating_scheme = { name = "owasp-tml-risk-level", version = str(root.version), levels = LEVELS, node = root,
                       fixed = true },
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      fields = { reviewed = "reviewed_at" },
      missing = tm.copy(LACKS),
    }
    tm.keys(model, root, KEYS.root)
    tm.keys(model, root.scope, KEYS.scope)
    local zones = {}
    model.trust_zones, model.boundaries, model.flows = {}, {}, {}
    for _, z in ipairs(list(root.trust_zones)) do
      tm.keys(model, z, KEYS.zone)
      if type(z) == "table" and str(z.symbolic_name) then
        zones[str(z.symbolic_name)] = str(z.title) or str(z.symbolic_name)
        model.trust_zones[#model.trust_zones + 1] = { node = z, id = str(z.symbolic_name), name = str(z.title) }
      end
    end
    for _, b in ipairs(list(root.trust_boundaries)) do
      if type(b) == "table" then
        tm.keys(model, b, KEYS.boundary)
        model.boundaries[#model.boundaries + 1] = { node = b, zones = { str(b.trust_zone_a), str(b.trust_zone_b) } }
      end
    end
    local TYPE = { actors = "external-entity", components = "process", data_stores = "data-store" }
    local function add(raw, kind)
      if type(raw) ~= "table" then return end
      tm.keys(model, raw, KEYS[kind])
      local c = { node = raw, id = str(raw.symbolic_name), name = str(raw.title), type = TYPE[kind] }
      local z = str(raw.trust_zone)
      c.trust_zone = z and (zones[z] or z)
      c.zone = z
      model.components[#model.components + 1] = c
      if c.id and not model.component_by_id[c.id] then model.component_by_id[c.id] = c end
    end
    for _, k in ipairs({ "actors", "components", "data_stores" }) do
      for _, raw in ipairs(list(root[k])) do add(raw, k) end
    end
    -- threats may name a data flow as well as a component
    local flow_ids = {}
    -- a flow's end: {object, type} in the schema, or the name alone
    local function end_of(raw, key)
      local e = raw[key]
      if type(e) == "table" and e[1] == nil then return tm.one(model, e, "object") end
      return tm.one(model, raw, key)
    end
    for _, raw in ipairs(list(root.data_flows)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KEYS.flow)
        tm.keys(model, raw.source, KEYS.flow_end)
        tm.keys(model, raw.destination, KEYS.flow_end)
        local f = { node = raw, id = str(raw.symbolic_name), name = str(raw.title), from = end_of(raw, "source"),
                    to = end_of(raw, "destination"), description = str(raw.description), data = {},
                    fields = { from = "source", to = "destination" } }
        if type(raw.encrypted) == "boolean" then f.encrypted = raw.encrypted end
        model.flows[#model.flows + 1] = f
        if f.id then flow_ids[f.id] = true end
      end
    end
    local by_id = {}
    for _, raw in ipairs(list(root.threats)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KEYS.threat)
        local named, comps, flows = tm.texts(raw.components_affected), {}, {}
        for _, id in ipairs(named) do
          if flow_ids[id] and not model.component_by_id[id] then flows[#flows + 1] = id else comps[#comps + 1] = id end
        end
        local t = { node = raw, id = str(raw.symbolic_name), title = str(raw.title), description = str(raw.description),
                    components = comps, flows = flows, components_key = "components_affected",
                    status = "open", links = {}, mitigations = {} }
        model.threats[#model.threats + 1] = t
        if t.id and not by_id[t.id] then by_id[t.id] = t end
      end
    end
    -- risks rate threats: the highest band is the threat's severity
    local rated = false
    for _, r in ipairs(list(root.risks)) do
      if type(r) == "table" then
        tm.keys(model, r, KEYS.risk)
        local level = lower(r.level)
        for j, tid in ipairs(tm.texts(r.threats)) do
          local t = by_id[tid]
          if not t then tm.unresolved(model, "threat", tid, r, type(r.threats) == "table" and ("threats." .. j) or "threats") end
          if t then
            rated = true
            if not t.severity or (rank(level) or 0) > (rank(t.severity) or 0) then
              t.severity, t.risk = level, r
            end
          end
        end
      end
    end
    if not rated then model.missing.severity = true end
    for _, raw in ipairs(list(root.controls)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KEYS.control)
        local st = tm.vocab(model, CONTROL, raw, "status", {}, "a control of no kind or status")
        local m = { node = raw, id = str(raw.symbolic_name), title = str(raw.title), kind = st[1], status = st[2],
                    priority = lower(raw.priority), acceptance = {}, threats = {} }
        if st[2] == "dropped" then m.missing = { kind = true } end
        model.mitigations[#model.mitigations + 1] = m
        if m.id and not model.mitigation_by_id[m.id] then model.mitigation_by_id[m.id] = m end
        -- the link lives in the control: a threat it names gets it
        for i, tid in ipairs(list(raw.threats)) do
          local t = by_id[str(tid) or ""]
          if not t and str(tid) then tm.unresolved(model, "threat", str(tid), raw, "threats." .. i) end
          if t then
            t.links[#t.links + 1] = { id = m.id, mitigation = m, at = raw, at_field = "threats." .. i }
            if m.id then t.mitigations[#t.mitigations + 1] = m.id end
            m.threats[#m.threats + 1] = t
          end
        end
      end
    end
    return model
  end,
}
