-- OWASP pytm, JSON (its `--json` dump, or a model written as JSON input):
-- `elements` each with a `__class__` (Actor, Server, Process, Lambda,
-- Datastore, ...), `flows` from `source` to `sink`, `boundaries`, all
-- referring to each other by name. A dump also lists `findings`: the
-- threats pytm's rule library matched, each on a `target` element, with a
-- severity and free-text mitigations. So threats come from a tool (source
-- tool), a threat's mitigation is one text with no id, kind, criteria or
-- status, and the format has no owner, review date, decisions or tickets.
local str, lower, list = tm.str, tm.lower, tm.list

local LEVELS = { "very low", "low", "medium", "high", "very high" }
local RESPONSE = { mitigated = "mitigated", accepted = "accepted", transferred = "transferred",
                   ["false positive"] = "false-positive", ["false-positive"] = "false-positive" }

local function classed(root)
  for _, e in ipairs(list(root.elements)) do
    if type(e) == "table" and e.__class__ ~= nil then return true end
  end
  return false
end

local TYPE = { Actor = "external-entity", Server = "process", Process = "process", Lambda = "process",
               Datastore = "data-store", ExternalEntity = "external-entity", SetOfProcesses = "process" }

-- a boundary is named, or (in some dumps) a table with a name
local function name_of(v)
  if type(v) == "table" then return str(v.name) end
  return str(v)
end

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { owner = true, reviewed = true, reviewers = true, kind = true, acceptance = true, issue = true, fp_reason = true, transfer_reason = true,
                  verified_by = true, key = true, accept_details = true, due = true, priority = true }

return {
  name = "pytm",
  lacks = LACKS,
  detect = function(root)
    if classed(root) then return true end
    return false, "no elements with a __class__"
  end,
  build = function(root, ctx)
    local model = {
      node = root, format = "pytm", file = ctx.file, title = str(root.name), reviewers = {},
      rating_scheme = { name = "pytm-severity", version = "1", levels = LEVELS, node = root, fixed = true },
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      missing = tm.copy(LACKS),
    }
    local function add(raw)
      if type(raw) ~= "table" or not str(raw.name) then return end
      local cls = str(raw.__class__)
      local c = { node = raw, id = str(raw.name), name = str(raw.name), trust_zone = name_of(raw.inBoundary),
                  type_text = cls, type = TYPE[cls or ""] or tm.element_type(cls) }
      model.components[#model.components + 1] = c
      if not model.component_by_id[c.id] then model.component_by_id[c.id] = c end
    end
    for _, e in ipairs(list(root.elements)) do add(e) end
    -- flows, by name (pytm names every element); a dump writes data as
    -- Python's text of the list ("['Password']")
    model.flows = {}
    local flow_ids = {}
    for _, f in ipairs(list(root.flows)) do
      if type(f) == "table" and str(f.name) and not model.component_by_id[str(f.name)] then
        local data = type(f.data) == "table" and tm.texts(f.data) or {}
        if type(f.data) == "string" and not re.test(f.data, "^\\s*(\\[\\s*\\])?\\s*$") then data = { f.data } end
        local controls = type(f.controls) == "table" and f.controls or {}
        local flow = { node = f, id = str(f.name), name = str(f.name), from = name_of(f.source), to = name_of(f.sink),
                       protocol = str(f.protocol), description = str(f.description), data = data,
                       fields = { from = "source", to = "sink" } }
        if tm.blank(flow.protocol) then flow.protocol = nil end
        if tm.blank(flow.description) then flow.description = nil end
        if type(controls.isEncrypted) == "boolean" then flow.encrypted = controls.isEncrypted end
        model.flows[#model.flows + 1] = flow
        flow_ids[flow.id] = true
      end
    end
    model.trust_zones = {}
    for _, b in ipairs(list(root.boundaries)) do
      local n = name_of(b)
      if n then model.trust_zones[#model.trust_zones + 1] = { node = type(b) == "table" and b or root, id = n, name = n } end
    end
    for i, raw in ipairs(list(root.findings)) do
      if type(raw) == "table" then
        local id = str(raw.id) or ((str(raw.threat_id) or "finding") .. "@" .. (name_of(raw.target) or tostring(i)))
        local t = { node = raw, id = id, title = str(raw.description) or str(raw.threat_id), description = str(raw.details),
                    severity = lower(raw.severity), source = "tool", components = {}, links = {}, mitigations = {},
                    status = RESPONSE[lower(raw.response) or ""] or "open" }   -- free text in pytm: no TM007
        local target = name_of(raw.target) or name_of(raw.element)
        if target then
          if flow_ids[target] and not model.component_by_id[target] then t.flows = { target } else t.components[1] = target end
        end
        if not tm.blank(raw.mitigations) then
          local m = { node = raw, id = id .. "/mitigations", title = str(raw.mitigations), acceptance = {},
                      threats = { t }, inline_of = t }
          model.mitigations[#model.mitigations + 1] = m
          model.mitigation_by_id[m.id] = m
          t.links[1] = { id = m.id, mitigation = m, field = "mitigations" }
          t.mitigations[1] = m.id
        end
        model.threats[#model.threats + 1] = t
      end
    end
    return model
  end,
}
