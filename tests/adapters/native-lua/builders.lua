-- The Lua that src/rt/lua_native.c replaced: rules/formats/native.lua's
-- threat() and mitigation() as they were. tests/adapters/run.sh puts these
-- in place of the C builders (the line that takes them from tmnative) and
-- checks both build the same model. Kept only as that reference.
local function native_mitigation(raw, model, inline_of, MIT_TEXT, MIT_LOWER)
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

local function native_threat(raw, model, THREAT_TEXT, THREAT_LOWER, MIT_TEXT, MIT_LOWER, LINK_FIELD)
  local t = element(raw)
  tm.fields(t, THREAT_TEXT, THREAT_LOWER)
  t.status = t.status or "open"
  t.missing = not_recorded(raw)
  t.key = raw.key == true
  t.components_key = raw.components == nil and "component" or "components"
  t.components = strings(raw.components == nil and raw.component or raw.components)
  t.flows_key = raw.flows == nil and "flow" or "flows"
  t.flows = strings(raw.flows == nil and raw.flow or raw.flows)
  t.category_text = raw.category
  t.category = nil
  if type(raw.accept) == "table" then
    t.accept = element(raw.accept)
  elseif not is_null(raw.accept) then
    t.accept = { reason = str(raw.accept), node = raw }
  end
  local entries = raw.mitigations
  entries = type(entries) == "table" and entries or list(entries)
  t.links, t.mitigations = {}, {}
  for i, e in ipairs(entries) do
    local link = { field = LINK_FIELD[i] or ("mitigations." .. i) }
    if type(e) == "table" then
      link.mitigation = native_mitigation(e, model, t, MIT_TEXT, MIT_LOWER)
      link.id = link.mitigation.id
    elseif not is_null(e) then
      link.id = str(e)
    end
    t.links[#t.links + 1] = link
    if link.id then t.mitigations[#t.mitigations + 1] = link.id end
  end
  return t
end
