-- The native adapter as it was in Lua before its element builders moved
-- to C (src/lua_native.c): tests/adapters/run.sh checks both build the
-- same model. Kept only as that reference.
-- The native format (`model: 1`, see docs): almost the identity. Builds the
-- canonical model; every element keeps `node`, the table it was read from,
-- so report() can point at the right line.
local str, lower, list, is_null = tm.str, tm.lower, tm.list, tm.is_null

-- Elements are the tables read from the file, with the canonical fields
-- set on them: unknown keys stay for rules that want them, and the element
-- is its own source node. (Copying every table costs a third of the time
-- on large models.)
local function element(t)
  t.node = t
  return t
end

local strings = tm.texts

local MIT_TEXT = { "id", "title", "issue", "owner", "due", "verified_by", "priority" }
local MIT_LOWER = { "kind", "status", "reduces" }
local THREAT_TEXT = { "id", "title", "description", "reviewed_by" }
local THREAT_LOWER = { "status", "severity", "likelihood", "impact", "source" }

-- `not_recorded: [kind, ...]`: fields the source of a converted model has
-- no place for; rules that need them stay quiet
local function not_recorded(raw)
  if raw.not_recorded == nil then return nil end   -- the common case, without a list to throw away
  local set
  for _, f in ipairs(tm.texts(raw.not_recorded)) do
    set = set or {}
    set[f] = true
  end
  return set
end

local function mitigation(raw, model, inline_of)
  local m = element(raw)
  tm.fields(m, MIT_TEXT, MIT_LOWER)
  m.missing = not_recorded(raw)
  m.acceptance = strings(raw.acceptance)
  m.threats = {}            -- back-references, filled below
  m.inline_of = inline_of   -- the threat that holds it inline, if any
  model.mitigations[#model.mitigations + 1] = m
  if m.id and not model.mitigation_by_id[m.id] then model.mitigation_by_id[m.id] = m end
  return m
end

-- "mitigations.1" ... made once rather than for every link
local LINK_FIELD = {}
for i = 1, 64 do LINK_FIELD[i] = "mitigations." .. i end

local function threat(raw, model)
  local t = element(raw)
  tm.fields(t, THREAT_TEXT, THREAT_LOWER)
  t.status = t.status or "open"
  t.missing = not_recorded(raw)
  t.key = raw.key == true
  -- which key the file used, so rules can point at it
  t.components_key = raw.components == nil and "component" or "components"
  t.components = strings(raw.components == nil and raw.component or raw.components)
  t.flows_key = raw.flows == nil and "flow" or "flows"
  t.flows = strings(raw.flows == nil and raw.flow or raw.flows)
  t.category_text = raw.category   -- one category or a list; tm.arch normalizes
  t.category = nil
  if type(raw.accept) == "table" then
    t.accept = element(raw.accept)
  elseif not is_null(raw.accept) then
    t.accept = { reason = str(raw.accept), node = raw }   -- `accept: because...`
  end
  -- every entry of `mitigations`, by id or inline: { id, field, mitigation }
  local entries = raw.mitigations
  entries = type(entries) == "table" and entries or list(entries)
  t.links, t.mitigations = {}, {}
  for i, e in ipairs(entries) do
    local link = { field = LINK_FIELD[i] or ("mitigations." .. i) }
    if type(e) == "table" then
      link.mitigation = mitigation(e, model, t)
      link.id = link.mitigation.id
    elseif not is_null(e) then
      link.id = str(e)
    end
    t.links[#t.links + 1] = link
    if link.id then t.mitigations[#t.mitigations + 1] = link.id end
  end
  return t
end

return {
  name = "native",
  detect = function(root)
    if root.model == 1 or root.model == "1" then return true end
    return false, root.model == nil and "no 'model: 1' at the top" or "'model:' is not 1"
  end,
  build = function(root, ctx)
    local model = {
      node = root, format = "native", file = ctx.file,
      title = str(root.title), owner = str(root.owner), reviewed = str(root.reviewed),
      reviewers = strings(root.reviewers), missing = not_recorded(root),
      components = {}, flows = {}, threats = {}, mitigations = {},
      component_by_id = {}, mitigation_by_id = {},
    }
    local rating = root.rating
    if type(rating) == "table" then
      local levels = {}
      for _, l in ipairs(list(rating.levels)) do levels[#levels + 1] = lower(l) end
      model.rating_scheme = {
        name = str(rating.scheme or rating.name), version = str(rating.version),
        levels = levels, node = rating, fixed = rating.fixed == true,
      }
    end
    for _, c in ipairs(list(root.components)) do
      if type(c) == "table" then
        local comp = element(c)
        comp.id, comp.name, comp.trust_zone = str(c.id), str(c.name), str(c.trust_zone)
        comp.paths = tm.texts(c.paths)
        comp.parent = str(c.parent)
        comp.type_text = str(c.type)
        comp.type = tm.element_type(c.type)
        model.components[#model.components + 1] = comp
        if comp.id and not model.component_by_id[comp.id] then model.component_by_id[comp.id] = comp end
      end
    end
    for _, f in ipairs(list(root.flows)) do
      if type(f) == "table" then
        local flow = element(f)
        tm.fields(flow, { "id", "name", "from", "to", "protocol", "description" })
        flow.data = strings(f.data)
        for _, k in ipairs({ "authenticated", "encrypted", "bidirectional" }) do
          if type(f[k]) ~= "boolean" then flow[k] = nil end
        end
        -- a boundary the source drew as a line (Threat Dragon) says itself
        flow.crosses = nil
        if type(f.crosses_boundary) == "boolean" then flow.crosses = f.crosses_boundary end
        model.flows[#model.flows + 1] = flow
      end
    end
    model.trust_zones = {}
    for _, z in ipairs(list(root.trust_zones)) do
      if type(z) == "table" then
        local zone = element(z)
        tm.fields(zone, { "id", "name", "description" })
        zone.members = {}
        model.trust_zones[#model.trust_zones + 1] = zone
      end
    end
    -- shared mitigations first, so ids given inline later cannot shadow them
    for _, m in ipairs(list(root.mitigations)) do
      if type(m) == "table" then mitigation(m, model, nil) end
    end
    for _, th in ipairs(list(root.threats)) do
      if type(th) == "table" then model.threats[#model.threats + 1] = threat(th, model) end
    end
    for _, t in ipairs(model.threats) do
      for _, link in ipairs(t.links) do
        link.mitigation = link.mitigation or (link.id and model.mitigation_by_id[link.id])
        if link.mitigation then
          local back = link.mitigation.threats
          back[#back + 1] = t
        end
      end
    end
    return model
  end,
}
