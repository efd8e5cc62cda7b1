-- CycloneDX threat models: the 2.0 draft (below, build2) and the TMBOM
-- of 1.6. The TMBOM (the 1.6 draft extension; JSON with
-- `bomFormat: CycloneDX` and components of type `threat-model`). Each
-- element is a nested component whose `properties` carry
-- `cdx:model:type` (boundary, actor, server, datastore, lambda, dataflow,
-- asset, diagram, repository, code, ...), `cdx:model:inBoundary` and, for
-- flows, `cdx:model:dataflow:source`/`destination`. The published examples
-- hold the system and no threats or mitigations yet, so tmlint reads the
-- elements and their zones; empty-model (TM104) then says what is missing.
-- An SBOM with no threat-model component is not a threat model.
local str = tm.str

-- element types that hold other elements, or that are not parts of the system
local CONTAINER = { diagram = true, repository = true }
local SKIP = { asset = true, boundary = true }

local function props(c)
  local out = {}
  for _, p in ipairs(tm.list(c.properties)) do
    if type(p) == "table" and str(p.name) and out[str(p.name)] == nil then out[str(p.name)] = str(p.value) end
  end
  return out
end

local function threat_models(root)
  local out = {}
  for _, c in ipairs(tm.list(root.components)) do
    if type(c) == "table" and c.type == "threat-model" then out[#out + 1] = c end
  end
  return out
end

-- CycloneDX 2.0 (`specFormat: CycloneDX`, `specVersion: "2.0"`): the
-- threat model is first-class. Threats are `threats.threats[]` (bom-ref,
-- name, description, STRIDE or LINDDUN `categories`, `affectedAssets` and
-- `mitigations` by reference); the controls they reference are the
-- top-level `controls[]`, each with an implementation status; components
-- and services are the system's elements, and `threats.trustBoundaries`
-- its boundaries. A threat has no status of its own in 2.0: it is open
-- (tmlint never invents a decision), and rules judge it by its controls.
local CONTROL_STATUS = {
  recommended = "planned", proposed = "planned", approved = "planned", planned = "planned",
  ["in-progress"] = "in-progress", implemented = "done", verified = "done",
  rejected = "dropped", decommissioned = "dropped",
}
local CONTROL_NAMES = { "recommended", "proposed", "approved", "rejected", "planned", "in-progress", "implemented",
                        "verified", "decommissioned" }
local TAXONOMY = { STRIDE = true, LINDDUN = true }

local function ref(v)
  return type(v) == "string" and v ~= "" and v or nil
end

-- The document's metadata, its subject and its authors' names (both
-- versions keep them alike).
local function about(root)
  local meta = type(root.metadata) == "table" and root.metadata or {}
  local app = type(meta.component) == "table" and meta.component or {}
  local authors = {}
  for _, a in ipairs(tm.list(meta.authors)) do
    if type(a) == "table" and tm.str(a.name) then authors[#authors + 1] = tm.str(a.name) end
  end
  return meta, app, authors
end

local function build2(root, ctx, LACKS)
  -- str: the file-level local (tm.str) serves here too
  local meta, app, authors = about(root)
  local th = type(root.threats) == "table" and root.threats or {}
  local model = {
    node = root, format = "cyclonedx", file = ctx.file, certain = true,
    title = str(app.name), owner = authors[1], reviewed = str(meta.timestamp),
    reviewers = {}, components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
    trust_zones = {}, boundaries = {}, flows = {},
    fields = { owner = "metadata.authors", reviewed = "metadata.timestamp" },
    missing = tm.copy(LACKS),
  }
  for _, key in ipairs({ "components", "services" }) do
    for _, c in ipairs(tm.list(root[key])) do
      if type(c) == "table" then
        local comp = { node = c, id = str(c["bom-ref"]) or str(c.name), name = str(c.name), type_text = str(c.type),
                       fields = { id = "bom-ref" } }
        model.components[#model.components + 1] = comp
        if comp.id and not model.component_by_id[comp.id] then model.component_by_id[comp.id] = comp end
      end
    end
  end
  for _, b in ipairs(tm.list(th.trustBoundaries)) do
    if type(b) == "table" then
      model.boundaries[#model.boundaries + 1] = { node = b, id = str(b["bom-ref"]), name = str(b.name),
                                                  fields = { id = "bom-ref" } }
    end
  end
  for _, c in ipairs(tm.list(root.controls)) do
    if type(c) == "table" then
      local status
      if type(c.status) == "table" then   -- a custom status ({name}): the format allows it; not a default
        status = nil
      else
        status = tm.vocab(model, CONTROL_STATUS, c, "status", nil, "no status", CONTROL_NAMES)
      end
      local m = { node = c, id = str(c["bom-ref"]), title = str(c.name), description = str(c.description),
                  status = status, acceptance = {}, threats = {}, fields = { id = "bom-ref", title = "name" } }
      model.mitigations[#model.mitigations + 1] = m
      if m.id and not model.mitigation_by_id[m.id] then model.mitigation_by_id[m.id] = m end
    end
  end
  for _, raw in ipairs(tm.list(th.threats)) do
    if type(raw) == "table" then
      local cats = {}
      for _, cat in ipairs(tm.list(raw.categories)) do
        if type(cat) == "table" and TAXONOMY[cat.taxonomy] and str(cat.category) then cats[#cats + 1] = str(cat.category) end
      end
      local t = { node = raw, id = str(raw["bom-ref"]), title = str(raw.name), description = str(raw.description),
                  status = "open", category = #cats > 0 and cats or nil, components = {}, flows = {}, links = {},
                  mitigations = {}, fields = { id = "bom-ref", category = "categories" } }
      for i, a in ipairs(tm.list(raw.affectedAssets)) do
        if ref(a) then t.components[#t.components + 1] = a end
      end
      t.components_key = "affectedAssets"
      for i, mref in ipairs(tm.list(raw.mitigations)) do
        local id = ref(mref)
        if id then
          local m = model.mitigation_by_id[id]
          t.links[#t.links + 1] = { id = id, mitigation = m, field = "mitigations." .. i }
          t.mitigations[#t.mitigations + 1] = id
          if m then m.threats[#m.threats + 1] = t end
        end
      end
      model.threats[#model.threats + 1] = t
    end
  end
  return model
end

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { reviewers = true, severity = true, kind = true, acceptance = true, issue = true,
                  verified_by = true, key = true, source = true, accept_details = true, due = true,
                  priority = true }

return {
  name = "cyclonedx",
  lacks = LACKS,
  detect = function(root)
    if root.specFormat == "CycloneDX" and string.sub(tostring(root.specVersion), 1, 2) == "2." then
      if type(root.threats) ~= "table" then return false, "a CycloneDX 2.0 document with no threats section" end
      return true
    end
    if root.bomFormat ~= "CycloneDX" then return false, "no bomFormat: CycloneDX" end
    if #threat_models(root) == 0 then return false, "a CycloneDX BOM with no threat-model component" end
    return true
  end,
  build = function(root, ctx)
    if root.specFormat == "CycloneDX" then return build2(root, ctx, LACKS) end
    local meta, app, authors = about(root)
    local tops = threat_models(root)
    local model = {
      node = root, format = "cyclonedx", file = ctx.file,
      title = str(app.name) or str(tops[1].name), owner = authors[1], reviewed = str(meta.timestamp),
      reviewers = {}, components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      fields = { owner = "metadata.authors", reviewed = "metadata.timestamp" },
      missing = tm.copy(LACKS),
    }
    -- boundaries first: elements name them by bom-ref
    local zones, elements = {}, {}
    local function walk(list, depth)
      for _, c in ipairs(tm.list(list)) do
        if type(c) == "table" and c.type == "threat-model" and depth < 16 then
          local p = props(c)
          local kind = p["cdx:model:type"]
          if kind == "boundary" then zones[str(c["bom-ref"]) or ""] = str(c.name) end
          if c.components ~= nil or CONTAINER[kind] or (depth == 0 and kind == nil) then
            walk(c.components, depth + 1)
          elseif not SKIP[kind] then
            elements[#elements + 1] = { c, p, kind }
          end
        end
      end
    end
    walk(tops, 0)
    for _, e in ipairs(elements) do
      local c, p, kind = e[1], e[2], e[3]
      local comp = { node = c, id = str(c["bom-ref"]) or str(c.name), name = str(c.name),
                     flow = kind == "dataflow" or nil, type_text = kind,
                     out_of_scope = p["cdx:model:inScope"] == "false" or nil }
      local zone = p["cdx:model:inBoundary"]
      comp.trust_zone = zone and (zones[zone] or zone)
      model.components[#model.components + 1] = comp
      if comp.id and not model.component_by_id[comp.id] then model.component_by_id[comp.id] = comp end
    end
    return model
  end,
}
