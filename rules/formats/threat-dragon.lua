-- OWASP Threat Dragon (JSON). Version 2 files have `version: "2.x"` and keep
-- each element's properties under `cells[].data`; version 1 files have no
-- version and keep them on the cell of `diagramJson.cells`. Threats live
-- on the elements; each has one free-text `mitigation`, so a threat gets one
-- mitigation (no id, kind, criteria or status of its own). An element
-- marked out of scope accepts its threats, with `reasonOutOfScope` as the
-- reason.
local str, lower, list = tm.str, tm.lower, tm.list

local STATUS = { open = "open", mitigated = "mitigated", notapplicable = "false-positive",
                 ["not applicable"] = "false-positive", ["n/a"] = "false-positive" }
local STATUS_NAMES = { "Open", "Mitigated", "NotApplicable" }   -- as the app writes them

-- the diagram elements threats can sit on (not boundaries or text)
local ELEMENT = { ["tm.Actor"] = true, ["tm.Process"] = true, ["tm.Store"] = true, ["tm.Flow"] = true }

local function diagrams(root)
  local d = type(root.detail) == "table" and root.detail or nil
  return d and type(d.diagrams) == "table" and d.diagrams or nil
end

-- The cells of a diagram, and where each keeps its properties.
local function cells(diagram)
  if type(diagram.cells) == "table" then return diagram.cells, 2 end
  local dj = diagram.diagramJson
  if type(dj) == "table" and type(dj.cells) == "table" then return dj.cells, 1 end
  return {}, 2
end

-- The name a cell shows in the diagram: `name` (v2 data, v1 cells), else
-- the drawn label (v1 `attrs.text.text`, v2 `attrs.label.text` or a flow's
-- first label). Newlines in a label are line breaks of the drawing.
local function label(cell, data)
  local function text(v) return type(v) == "table" and str(v.text) or nil end
  local name = str(data.name)
  if tm.blank(name) and type(cell.attrs) == "table" then
    name = text(cell.attrs.text) or text(cell.attrs.label)
  end
  if tm.blank(name) and type(cell.labels) == "table" then
    local l = cell.labels[1]
    if type(l) == "string" then
      name = l
    elseif type(l) == "table" and type(l.attrs) == "table" then
      name = text(l.attrs.text) or text(l.attrs.label)
    end
  end
  if tm.blank(name) then return nil end
  return (re.gsub(tm.trim(name), "\\s*\\n\\s*", " "))
end

-- ---- geometry: Threat Dragon draws zones as boxes and boundaries as lines ----

local function num(v) return type(v) == "number" and v or nil end
local function point(p)
  if type(p) ~= "table" then return nil end
  local x, y = num(p.x), num(p.y)
  return x and y and { x, y } or nil
end
-- a node's rectangle: x, y, width, height
local function rect(cell)
  local pos, size = type(cell.position) == "table" and cell.position or {}, type(cell.size) == "table" and cell.size or {}
  local x, y, w, h = num(pos.x), num(pos.y), num(size.width), num(size.height)
  if not (x and y and w and h) then return nil end
  return { x, y, w, h }
end
local function center(r) return { r[1] + r[3] / 2, r[2] + r[4] / 2 } end
local function inside(p, r) return p[1] >= r[1] and p[1] <= r[1] + r[3] and p[2] >= r[2] and p[2] <= r[2] + r[4] end
-- the points of a line cell: its source, its bends, its target (an end on a
-- node is the node's centre)
local function polyline(cell, rects)
  local function at(e)
    if type(e) ~= "table" then return nil end
    local id = str(e.cell) or str(e.id)
    if id then return rects[id] and center(rects[id]) or nil end
    return point(e)
  end
  local a, b = at(cell.source), at(cell.target)
  if not a or not b then return nil end
  local pts = { a }
  for i, v in ipairs(list(cell.vertices)) do
    if i > 64 then break end   -- a drawn line has a few bends; a hostile one must not cost n*m
    local p = point(v)
    if p then pts[#pts + 1] = p end
  end
  pts[#pts + 1] = b
  return pts
end
local function orient(a, b, c)
  local v = (b[1] - a[1]) * (c[2] - a[2]) - (b[2] - a[2]) * (c[1] - a[1])
  return v > 0 and 1 or (v < 0 and -1 or 0)
end
local function segments_cross(p1, p2, q1, q2)
  local o1, o2, o3, o4 = orient(p1, p2, q1), orient(p1, p2, q2), orient(q1, q2, p1), orient(q1, q2, p2)
  return o1 ~= o2 and o3 ~= o4 and o1 ~= 0 and o2 ~= 0 and o3 ~= 0 and o4 ~= 0
end
local function lines_cross(a, b)
  for i = 1, #a - 1 do
    for j = 1, #b - 1 do
      if segments_cross(a[i], a[i + 1], b[j], b[j + 1]) then return true end
    end
  end
  return false
end

-- The keys the app writes for each kind of object (its JSON Schemas, v1
-- and v2, and the files it saves); tm.keys reports one close to these.
local KEYS = {
  root = tm.key_set({ "version", "summary", "detail", "release_version", "released_at" }),
  summary = tm.key_set({ "title", "owner", "description", "id" }),
  detail = tm.key_set({ "contributors", "diagrams", "reviewer", "diagramTop", "threatTop" }),
  diagram = tm.key_set({ "cells", "diagramJson", "description", "diagramType", "id", "placeholder",
                         "thumbnail", "title", "version", "size" }),
  -- a v2 cell, and a v1 cell (which holds its properties itself)
  cell = tm.key_set({ "attrs", "connector", "data", "id", "position", "shape", "size", "source", "target",
                      "threats", "vertices", "visible", "zIndex", "ports", "labels", "router", "width", "height",
                      "angle", "smooth", "z", "tools", "parent", "children" }),
  data = tm.key_set({ "description", "handlesCardPayment", "handlesGoodsOrServices", "hasOpenThreats", "isALog",
                      "isBidirectional", "isEncrypted", "isPublicNetwork", "isSigned", "isTrustBoundary",
                      "isWebApplication", "name", "outOfScope", "privilegeLevel", "protocol",
                      "providesAuthentication", "reasonOutOfScope", "storesCredentials", "storesInventory", "type",
                      "threats", "threatFrequency" }),
  threat = tm.key_set({ "id", "threatId", "title", "status", "severity", "type", "description", "mitigation",
                        "modelType", "number", "score", "new", "ruleId" }),
}
-- a version 1 cell holds its element's properties itself
for k in pairs(KEYS.data) do KEYS.cell[k] = true end

local TYPE = { ["tm.Actor"] = "external-entity", ["tm.Process"] = "process", ["tm.Store"] = "data-store" }

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { reviewed = true, kind = true, acceptance = true, issue = true, verified_by = true,
                  key = true, source = true, accept_details = true, due = true, priority = true }

return {
  name = "threat-dragon",
  lacks = LACKS,
  detect = function(root)
    if type(root.summary) == "table" and diagrams(root) ~= nil then return true end
    return false, "no summary with detail.diagrams"
  end,
  build = function(root, ctx)
    local summary = root.summary
    local detail = root.detail
    local model = {
      node = root, format = "threat-dragon", file = ctx.file,
      title = str(summary.title), owner = str(summary.owner),
      reviewers = tm.texts(detail.reviewer),
      rating_scheme = { name = "threat-dragon", version = str(root.version) or "1", node = root,
                        levels = { "low", "medium", "high", "critical" } },
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      fields = { owner = "summary.owner", reviewers = "detail.reviewer" },
      missing = tm.copy(LACKS),
    }
    model.flows, model.trust_zones, model.boundaries = {}, {}, {}
    tm.keys(model, root, KEYS.root)
    tm.keys(model, summary, KEYS.summary)
    tm.keys(model, detail, KEYS.detail)
    local function threats_of(data, holder, is_flow)
      for i, raw in ipairs(list(data.threats)) do
        if type(raw) == "table" then
          tm.keys(model, raw, KEYS.threat)
          local t = {
            node = raw, id = str(raw.id) or ((holder.id or "?") .. "#" .. i),
            title = str(raw.title), description = str(raw.description),
            severity = lower(raw.severity), category = str(raw.type),
            status = tm.vocab(model, STATUS, raw, "status", "open", nil, STATUS_NAMES),
            components = is_flow and {} or { holder.id }, flows = is_flow and { holder.id } or {},
            links = {}, mitigations = {},
          }
          if tm.blank(t.severity) then t.severity = nil end
          -- an element out of scope keeps its threats' own status: Open
          -- there is open, and no acceptance is made up for it
          if data.outOfScope == true then t.out_of_scope = true end
          if t.status == "false-positive" then
            -- Threat Dragon has no reason field; the one text it keeps
            -- for a threat that does not apply says why
            t.accept = { node = raw, reason = str(raw.mitigation), reason_field = "mitigation" }
          end
          if not tm.blank(raw.mitigation) then
            local m = { node = raw, id = t.id .. "#mitigation", title = str(raw.mitigation),
                        fields = { title = "mitigation" },   -- its text is the threat's `mitigation`
                        acceptance = {}, threats = { t }, inline_of = t,
                        status = t.status == "mitigated" and "done" or "planned" }
            model.mitigations[#model.mitigations + 1] = m
            model.mitigation_by_id[m.id] = m
            t.links[1] = { id = m.id, mitigation = m, field = "mitigation" }
            t.mitigations[1] = m.id
          end
          model.threats[#model.threats + 1] = t
        end
      end
    end
    for _, diagram in ipairs(diagrams(root)) do
      if type(diagram) == "table" then
        tm.keys(model, diagram, KEYS.diagram)
        local list_of_cells, version = cells(diagram)
        local rects, boxes, curves, here = {}, {}, {}, {}
        for _, cell in ipairs(list_of_cells) do
          local data = type(cell) == "table" and (version == 2 and cell.data or cell) or nil
          local kind = type(data) == "table" and (str(data.type) or str(cell.type)) or nil
          if kind then
            local r = rect(cell)
            if r and str(cell.id) then rects[str(cell.id)] = r end
            if kind == "tm.BoundaryBox" and r then
              local z = { node = data, id = str(cell.id), name = label(cell, data), members = {}, rect = r }
              boxes[#boxes + 1] = z
              model.trust_zones[#model.trust_zones + 1] = z
            elseif kind == "tm.Boundary" then
              local b = { node = data, id = str(cell.id), name = label(cell, data), cell = cell }
              curves[#curves + 1] = b
              model.boundaries[#model.boundaries + 1] = b
            end
          end
        end
        for _, cell in ipairs(list_of_cells) do
          local data = type(cell) == "table" and (version == 2 and cell.data or cell) or nil
          local kind = type(data) == "table" and (str(data.type) or str(cell.type)) or nil
          if type(cell) == "table" then tm.keys(model, cell, KEYS.cell) end
          if version == 2 and type(data) == "table" then tm.keys(model, data, KEYS.data) end
          if type(data) == "table" and not data.isTrustBoundary and ELEMENT[kind or ""] then
            if kind == "tm.Flow" then
              local function id_of(e) return type(e) == "table" and (str(e.cell) or str(e.id)) or nil end
              local f = { node = data, id = str(cell.id), name = label(cell, data), from = id_of(cell.source),
                          to = id_of(cell.target), protocol = str(data.protocol), description = str(data.description),
                          data = {}, cell = cell }
              if tm.blank(f.protocol) then f.protocol = nil end
              if tm.blank(f.description) then f.description = nil end
              if type(data.isEncrypted) == "boolean" then f.encrypted = data.isEncrypted end
              model.flows[#model.flows + 1] = f
              here[#here + 1] = f
              threats_of(data, f, true)
            else
              local comp = { node = data, id = str(cell.id), name = label(cell, data), type = TYPE[kind],
                             out_of_scope = data.outOfScope == true or nil }
              -- its zone: the smallest box around its centre
              local r = rects[comp.id or ""]
              if r then
                local best
                for _, z in ipairs(boxes) do
                  if inside(center(r), z.rect) and (not best or z.rect[3] * z.rect[4] < best.rect[3] * best.rect[4]) then
                    best = z
                  end
                end
                if best then comp.zone, comp.trust_zone = best.id, best.name or best.id end
              end
              model.components[#model.components + 1] = comp
              if comp.id then model.component_by_id[comp.id] = comp end
              threats_of(data, comp, false)
            end
          end
        end
        -- a flow drawn across a boundary line crosses it
        if #curves > 0 then
          for _, f in ipairs(here) do
            local fl = polyline(f.cell, rects)
            if fl then
              for _, b in ipairs(curves) do
                local bl = polyline(b.cell, rects)
                if bl and lines_cross(fl, bl) then f.crosses = true break end
              end
            end
          end
        end
        for _, f in ipairs(here) do f.cell = nil end
        for _, b in ipairs(curves) do b.cell = nil end
      end
    end
    return model
  end,
}
