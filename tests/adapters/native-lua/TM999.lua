-- Reports every element of the model with all its fields, keys sorted,
-- so two adapters can be compared finding by finding (tests/adapters).
local function show(v, depth)
  local t = type(v)
  if t == "table" then
    if depth > 1 then return "<" .. tostring(v.id or v.title or #v) .. ">" end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local out = {}
    for _, k in ipairs(keys) do
      if k ~= "node" then out[#out + 1] = tostring(k) .. "=" .. show(v[k], depth + 1) end
    end
    return "{" .. table.concat(out, " ") .. "}"
  elseif t == "string" then
    return string.format("%q", v)
  end
  return t .. ":" .. tostring(v)
end

return {
  id = "TM999",
  name = "model-dump",
  level = "note",
  summary = "Dumps the model",
  help = "Test only.",
  message = "{what}",
  run = function(model, report)
    for _, kind in ipairs({ "threats", "mitigations", "components", "flows" }) do
      for i, e in ipairs(model[kind]) do
        report(e, { what = kind .. "[" .. i .. "] " .. show(e, 0) })
        for j, l in ipairs(e.links or {}) do
          report(e, { what = kind .. "[" .. i .. "].links[" .. j .. "] " .. show(l, 1) })
        end
        if type(e.accept) == "table" then
          report(e, { what = kind .. "[" .. i .. "].accept " .. show(e.accept, 1) .. " node=" .. tostring(e.accept.node == e) })
        end
      end
    end
    report(model, { what = "model " .. show(model, 0) })
  end,
}
