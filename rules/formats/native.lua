-- The native format (`model: 1`, see docs): almost the identity. Builds the
-- canonical model; every element keeps `node`, the table it was read from,
-- so report() can point at the right line.
-- is_null: used by the Lua element builders tests/adapters/native-lua puts in
-- place of the C ones (tmnative) to check that both build the same model
local str, lower, list, is_null = tm.str, tm.lower, tm.list, tm.is_null -- luacheck: ignore 211/is_null

-- Elements are the tables read from the file, with the canonical fields
-- set on them: unknown keys stay for rules that want them, and the element
-- is its own source node. (Copying every table costs a third of the time
-- on large models.)
local function element(t)
  t.node = t
  return t
end

local strings = tm.texts

-- An entry that is a mapping in the file: a list there is no element (TM006
-- says what it should be), and read as one it drew findings about an
-- element with no fields. (Keys read from YAML are strings: a table with
-- a [1] is a list.)
local function mapping(v)
  return type(v) == "table" and v[1] == nil
end

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

-- "mitigations.1" ... made once rather than for every link
local LINK_FIELD = {}
for i = 1, 64 do LINK_FIELD[i] = "mitigations." .. i end

-- The elements themselves are built in C (src/rt/lua_native.c), field for
-- field what these did in Lua, once for each element of the model:
--
-- mitigation: element(raw); tm.fields(m, MIT_TEXT, MIT_LOWER); missing =
-- not_recorded(raw); acceptance = tm.texts(raw.acceptance); threats = {}
-- (back-references, filled below); inline_of (the threat that holds it
-- inline, if any); appended to model.mitigations, and to
-- model.mitigation_by_id under its id unless the id is taken.
--
-- threat: element(raw); tm.fields(t, THREAT_TEXT, THREAT_LOWER); status
-- defaults to "open"; missing = not_recorded(raw); key = (raw.key ==
-- true); components_key and components (`components:` or `component:`),
-- flows_key and flows likewise; category_text = raw.category, category
-- left to tm.arch; accept: a mapping is an element, a scalar becomes {
-- reason = str(accept), node = raw }; links = one { field =
-- "mitigations.N", id, mitigation } per entry of `mitigations` (an inline
-- mapping is built as a mitigation held by this threat), and mitigations =
-- the ids in order.
local native_threat, native_mitigation = tmnative.native_threat, tmnative.native_mitigation

local function mitigation(raw, model, inline_of)
  return native_mitigation(raw, model, inline_of, MIT_TEXT, MIT_LOWER)
end

local function threat(raw, model)
  return native_threat(raw, model, THREAT_TEXT, THREAT_LOWER, MIT_TEXT, MIT_LOWER, LINK_FIELD)
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
      if mapping(c) then
        local comp = element(c)
        comp.id, comp.name, comp.trust_zone = str(c.id), str(c.name), str(c.trust_zone)
        comp.paths = tm.texts(c.paths)
        comp.parent = str(c.parent)
        comp.out_of_scope = c.out_of_scope == true or nil
        comp.type_text = str(c.type)
        comp.type = tm.element_type(c.type)
        model.components[#model.components + 1] = comp
        if comp.id and not model.component_by_id[comp.id] then model.component_by_id[comp.id] = comp end
      end
    end
    for _, f in ipairs(list(root.flows)) do
      if mapping(f) then
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
      if mapping(z) then
        local zone = element(z)
        tm.fields(zone, { "id", "name", "description" })
        zone.members = {}
        model.trust_zones[#model.trust_zones + 1] = zone
      end
    end
    -- shared mitigations first, so ids given inline later cannot shadow them
    for _, m in ipairs(list(root.mitigations)) do
      if mapping(m) then mitigation(m, model, nil) end
    end
    for _, th in ipairs(list(root.threats)) do
      if mapping(th) then model.threats[#model.threats + 1] = threat(th, model) end
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
