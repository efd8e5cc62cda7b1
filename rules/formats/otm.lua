-- Open Threat Model (OTM, YAML or JSON; `otmVersion` at the top).
-- Threats and mitigations are defined once at the top level and attached
-- to components and dataflows through `threats: [{threat, state,
-- mitigations: [{mitigation, state}]}]`. States are free strings: we read
-- required/recommended as essential/idea, implemented as an essential
-- control that is done, and exposed/mitigated/accepted/not-applicable as
-- threat statuses. OTM rates likelihood and impact from 0 to 100 and has
-- no severity, review date, reviewers, acceptance criteria or tickets.
local str, lower, list = tm.str, tm.lower, tm.list

local LEVELS = { "low", "medium", "high", "critical" }
local function level(n)   -- 0..100 -> a level
  n = tonumber(n)
  if not n then return nil end
  if n < 25 then return "low" elseif n < 50 then return "medium" elseif n < 75 then return "high" end
  return "critical"
end

local THREAT_STATE = {
  exposed = "open", open = "open", identified = "open", ["not-mitigated"] = "open",
  mitigated = "mitigated", fixed = "mitigated", accepted = "accepted",
  ["not-applicable"] = "false-positive", notapplicable = "false-positive", ["false-positive"] = "false-positive",
  transferred = "transferred",
}

-- The keys OTM has for each kind of object (its JSON Schema); tm.keys
-- reports one close to these.
local KEYS = {
  root = tm.key_set({ "otmVersion", "project", "representations", "assets", "trustZones", "components",
                      "dataflows", "threats", "mitigations" }),
  project = tm.key_set({ "name", "id", "description", "owner", "ownerContact", "tags", "attributes" }),
  zone = tm.key_set({ "id", "name", "type", "description", "risk", "parent", "representations", "attributes" }),
  component = tm.key_set({ "id", "name", "type", "description", "parent", "representations", "assets",
                           "threats", "tags", "attributes" }),
  parent = tm.key_set({ "trustZone", "component" }),
  flow = tm.key_set({ "id", "name", "description", "bidirectional", "source", "destination", "assets",
                      "threats", "tags", "attributes" }),
  threat = tm.key_set({ "id", "name", "description", "categories", "cwes", "risk", "tags", "attributes" }),
  risk = tm.key_set({ "likelihood", "likelihoodComment", "impact", "impactComment" }),
  mitigation = tm.key_set({ "id", "name", "description", "riskReduction", "attributes" }),
  instance = tm.key_set({ "threat", "state", "mitigations" }),
  use = tm.key_set({ "mitigation", "state" }),
}

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { reviewed = true, reviewers = true, severity = true, acceptance = true, issue = true, fp_reason = true, transfer_reason = true,
                  verified_by = true, key = true, source = true, accept_details = true, due = true,
                  priority = true }

return {
  name = "otm",
  lacks = LACKS,
  detect = function(root)
    if root.otmVersion ~= nil and type(root.project) == "table" then return true end
    return false, root.otmVersion == nil and "no otmVersion" or "no project mapping"
  end,
  build = function(root, ctx)
    local project = type(root.project) == "table" and root.project or {}
    local model = {
      node = root, format = "otm", file = ctx.file,
      title = str(project.name), owner = str(project.owner), reviewers = {},
      rating_scheme = { name = "otm-risk", version = str(root.otmVersion), levels = LEVELS, node = root },
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      fields = { owner = "project.owner" },
      -- fp_reason: a not-applicable state has no place for why
      missing = tm.copy(LACKS),
    }
    tm.keys(model, root, KEYS.root)
    tm.keys(model, root.project, KEYS.project)
    local zones = {}
    model.trust_zones = {}
    for _, z in ipairs(list(root.trustZones)) do
      local zid = type(z) == "table" and str(z.id) or nil
      tm.keys(model, z, KEYS.zone)
      if zid then
        zones[zid] = str(z.name) or zid
        model.trust_zones[#model.trust_zones + 1] = { node = z, id = zid, name = str(z.name) or zid }
      end
    end
    local threat_by_id, mit_by_id = {}, {}
    for _, raw in ipairs(list(root.mitigations)) do
      if type(raw) == "table" then
        tm.keys(model, raw, KEYS.mitigation)
        local m = { node = raw, id = str(raw.id), title = str(raw.name), acceptance = {}, threats = {} }
        model.mitigations[#model.mitigations + 1] = m
        if m.id and not mit_by_id[m.id] then mit_by_id[m.id] = m end
      end
    end
    model.mitigation_by_id = mit_by_id
    for _, raw in ipairs(list(root.threats)) do
      if type(raw) == "table" then
        local risk = type(raw.risk) == "table" and raw.risk or {}
        tm.keys(model, raw, KEYS.threat)
        tm.keys(model, raw.risk, KEYS.risk)
        local t = {
          node = raw, id = str(raw.id), title = str(raw.name), description = str(raw.description),
          category_text = raw.categories,
          likelihood = level(risk.likelihood), impact = level(risk.impact),
          components = {}, flows = {}, links = {}, mitigations = {}, states = {},
        }
        model.threats[#model.threats + 1] = t
        if t.id and not threat_by_id[t.id] then threat_by_id[t.id] = t end
      end
    end
    -- instances on components and dataflows
    local function attach(holder, holder_id, comp, is_flow)
      for i, inst in ipairs(list(holder.threats)) do
        if type(inst) == "table" then
          tm.keys(model, inst, KEYS.instance)
          local tid = tm.one(model, inst, "threat")
          local t = threat_by_id[tid or ""]
          if not t and tid then
            tm.unresolved(model, "threat", tid, inst, "threat", comp)
          end
          if t then
            local on = is_flow and t.flows or t.components
            on[#on + 1] = holder_id
            t.states[#t.states + 1] = THREAT_STATE[lower(inst.state) or ""] or "open"   -- free text in OTM (IriusRisk writes AutoGenerated): no TM007
            for j, ml in ipairs(list(inst.mitigations)) do
              if type(ml) == "table" then
                tm.keys(model, ml, KEYS.use)
                local mid = tm.one(model, ml, "mitigation")
                local m = mid and mit_by_id[mid]
                local field = "threats." .. i .. ".mitigations." .. j .. ".mitigation"
                t.links[#t.links + 1] = { id = mid, mitigation = m, at = holder, at_field = field }
                if mid then t.mitigations[#t.mitigations + 1] = mid end
                if m then
                  m.threats[#m.threats + 1] = t
                  local st = lower(ml.state) or ""
                  if st == "required" then m.kind = m.kind or "essential"; m.status = m.status or "planned"
                  elseif st == "recommended" then m.kind = m.kind or "idea"; m.status = m.status or "planned"
                  elseif st == "implemented" then m.kind = "essential"; m.status = "done" end
                end
              end
            end
          end
        end
      end
    end
    for _, c in ipairs(list(root.components)) do
      if type(c) == "table" then
        tm.keys(model, c, KEYS.component)
        tm.keys(model, c.parent, KEYS.parent)
        local comp = { node = c, id = str(c.id), name = str(c.name), type_text = str(c.type),
                       type = tm.element_type(c.type) }
        local parent = type(c.parent) == "table" and c.parent or {}
        comp.trust_zone = zones[str(parent.trustZone) or ""] or str(parent.trustZone)
        comp.zone = str(parent.trustZone)
        comp.parent = str(parent.component)   -- nested in another component: in its zone
        model.components[#model.components + 1] = comp
        if comp.id then model.component_by_id[comp.id] = comp end
        attach(c, comp.id, comp)
      end
    end
    for _ = 1, 8 do   -- zones inherited through nested components (bounded)
      for _, comp in ipairs(model.components) do
        local p = comp.parent and model.component_by_id[comp.parent]
        if p and not comp.zone and p.zone then comp.zone, comp.trust_zone = p.zone, p.trust_zone end
      end
    end
    model.flows = {}
    for _, f in ipairs(list(root.dataflows)) do
      if type(f) == "table" then
        tm.keys(model, f, KEYS.flow)
        -- threats may sit on dataflows as on components
        local flow = { node = f, id = str(f.id), name = str(f.name), from = tm.one(model, f, "source"), to = tm.one(model, f, "destination"),
                       description = str(f.description), data = tm.texts(f.assets),
                       fields = { from = "source", to = "destination", data = "assets" } }
        if type(f.bidirectional) == "boolean" then flow.bidirectional = f.bidirectional end
        model.flows[#model.flows + 1] = flow
        attach(f, flow.id, flow, true)
      end
    end
    for _, m in ipairs(model.mitigations) do
      -- OTM says essential or idea on each use; an unused one says neither
      if #m.threats == 0 then m.missing = { kind = true } end
    end
    -- a threat is as settled as its least settled instance
    for _, t in ipairs(model.threats) do
      local status = #t.states > 0 and t.states[1] or "open"
      for _, s in ipairs(t.states) do
        if s == "open" then status = "open" elseif status ~= "open" and s ~= status then status = "mitigated" end
      end
      t.status = status
    end
    return model
  end,
}
