-- Writes a canonical model as a native-format model (`tmlint convert --to
-- native`). Every string is written double-quoted, so no value can change
-- meaning on the way back in. Fields the source format does not record are
-- listed under `not_recorded`, so the rules that need them stay quiet on
-- the converted file too.

local function q(s)
  s = tostring(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\"
    elseif c == "\n" then return "\\n" elseif c == "\t" then return "\\t" end
    return string.format("\\x%02X", string.byte(c))
  end) .. '"'
end

local function list(out, indent, key, items)
  if not items or #items == 0 then return end
  local parts = {}
  for i, v in ipairs(items) do parts[i] = q(v) end
  out[#out + 1] = indent .. key .. ": [" .. table.concat(parts, ", ") .. "]"
end

local function field(out, indent, key, v)
  if v ~= nil and v ~= "" then out[#out + 1] = indent .. key .. ": " .. q(v) end
end

local function missing(out, indent, set)
  if type(set) ~= "table" then return end
  local names = {}
  for k, v in pairs(set) do if v then names[#names + 1] = k end end
  table.sort(names)
  list(out, indent, "not_recorded", names)
end

local function mitigation(out, indent, m)
  out[#out + 1] = indent .. "- title: " .. q(m.title or "")
  local i = indent .. "  "
  field(out, i, "id", m.id)
  field(out, i, "kind", m.kind)
  field(out, i, "status", m.status)
  field(out, i, "reduces", m.reduces)
  list(out, i, "acceptance", m.acceptance)
  field(out, i, "issue", m.issue)
  field(out, i, "owner", m.owner)
  field(out, i, "due", m.due)
  field(out, i, "verified_by", m.verified_by)
  field(out, i, "priority", m.priority)
  missing(out, i, m.missing)
end

return function(model)
  local out = { "# converted by tmlint from the " .. (model.format or "?") .. " format", "model: 1" }
  field(out, "", "title", model.title)
  field(out, "", "owner", model.owner)
  field(out, "", "reviewed", model.reviewed)
  list(out, "", "reviewers", model.reviewers)
  missing(out, "", model.missing)
  local rs = model.rating_scheme
  if rs then
    out[#out + 1] = "rating:"
    field(out, "  ", "scheme", rs.name)
    field(out, "  ", "version", rs.version)
    list(out, "  ", "levels", rs.levels)
    if rs.fixed then out[#out + 1] = "  fixed: true" end
  end
  if #model.components > 0 then
    out[#out + 1] = "components:"
    for _, c in ipairs(model.components) do
      out[#out + 1] = "  - id: " .. q(c.id or "")
      field(out, "    ", "name", c.name)
      field(out, "    ", "type", c.type)
      field(out, "    ", "parent", c.parent)
      if c.out_of_scope then out[#out + 1] = "    out_of_scope: true" end
      field(out, "    ", "trust_zone", c.zone or c.trust_zone)
      if c.paths and #c.paths > 0 then list(out, "    ", "paths", c.paths) end
      if c.flow == true then out[#out + 1] = "    flow: true" end
    end
  end
  local zones = {}
  for _, z in ipairs(model.trust_zones or {}) do
    if not z.implicit and z.id then zones[#zones + 1] = z end
  end
  if #zones > 0 then
    out[#out + 1] = "trust_zones:"
    for _, z in ipairs(zones) do
      out[#out + 1] = "  - id: " .. q(z.id)
      field(out, "    ", "name", z.name)
    end
  end
  if model.flows and #model.flows > 0 then
    out[#out + 1] = "flows:"
    for _, f in ipairs(model.flows) do
      out[#out + 1] = "  - id: " .. q(f.id or "")
      local i = "    "
      field(out, i, "name", f.name)
      field(out, i, "from", f.from)
      field(out, i, "to", f.to)
      field(out, i, "protocol", f.protocol)
      list(out, i, "data", f.data)
      field(out, i, "description", f.description)
      for _, k in ipairs({ "authenticated", "encrypted", "bidirectional" }) do
        if type(f[k]) == "boolean" then out[#out + 1] = i .. k .. ": " .. tostring(f[k]) end
      end
      if type(f.crosses) == "boolean" then out[#out + 1] = i .. "crosses_boundary: " .. tostring(f.crosses) end
    end
  end
  out[#out + 1] = "threats:" .. (#model.threats == 0 and " []" or "")
  for _, t in ipairs(model.threats) do
    out[#out + 1] = "  - id: " .. q(t.id or "")
    local i = "    "
    field(out, i, "title", t.title)
    field(out, i, "description", t.description)
    list(out, i, "components", t.components)
    list(out, i, "flows", t.flows)
    -- a category tmlint could not place is written as the file wrote it,
    -- never as `other`, which the file did not say
    local placed = true
    for _, c in ipairs(t.categories or {}) do if c == "other" then placed = false end end
    local text = t.category_text
    if not placed and type(text) == "string" then field(out, i, "category", text)
    elseif not placed and type(text) == "table" then list(out, i, "category", tm.texts(text))
    elseif t.categories and #t.categories > 1 then list(out, i, "category", t.categories)
    else field(out, i, "category", t.category) end
    field(out, i, "severity", t.severity)
    field(out, i, "likelihood", t.likelihood)
    field(out, i, "impact", t.impact)
    field(out, i, "status", t.status)
    if t.key then out[#out + 1] = i .. "key: true" end
    field(out, i, "source", t.source)
    field(out, i, "reviewed_by", t.reviewed_by)
    missing(out, i, t.missing)
    if t.accept then
      out[#out + 1] = i .. "accept:"
      out[#out + 1] = i .. "  reason: " .. q(t.accept.reason or "")
      field(out, i .. "  ", "by", t.accept.by)
      field(out, i .. "  ", "date", t.accept.date)
      field(out, i .. "  ", "expires", t.accept.expires)
    end
    local ids, inline = {}, {}
    for _, link in ipairs(t.links or {}) do
      if link.mitigation and not link.mitigation.id then inline[#inline + 1] = link.mitigation
      elseif link.id then ids[#ids + 1] = link.id end
    end
    if #inline > 0 then
      out[#out + 1] = i .. "mitigations:"
      for _, id in ipairs(ids) do out[#out + 1] = i .. "  - " .. q(id) end
      for _, m in ipairs(inline) do mitigation(out, i .. "  ", m) end
    else
      list(out, i, "mitigations", ids)
    end
  end
  local shared = {}
  for _, m in ipairs(model.mitigations) do
    if m.id then shared[#shared + 1] = m end
  end
  if #shared > 0 then
    out[#out + 1] = "mitigations:"
    for _, m in ipairs(shared) do mitigation(out, "  ", m) end
  end
  return table.concat(out, "\n") .. "\n"
end
