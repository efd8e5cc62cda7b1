-- CycloneDX threat-model BOM (TMBOM, the 1.6 draft extension; JSON with
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

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { reviewers = true, severity = true, kind = true, acceptance = true, issue = true,
                  verified_by = true, key = true, source = true, accept_details = true, due = true,
                  priority = true }

return {
  name = "cyclonedx",
  lacks = LACKS,
  detect = function(root)
    if root.bomFormat ~= "CycloneDX" then return false, "no bomFormat: CycloneDX" end
    if #threat_models(root) == 0 then return false, "a CycloneDX BOM with no threat-model component" end
    return true
  end,
  build = function(root, ctx)
    local meta = type(root.metadata) == "table" and root.metadata or {}
    local app = type(meta.component) == "table" and meta.component or {}
    local authors = {}
    for _, a in ipairs(tm.list(meta.authors)) do
      if type(a) == "table" and str(a.name) then authors[#authors + 1] = str(a.name) end
    end
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
