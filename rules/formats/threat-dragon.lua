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
    for _, diagram in ipairs(diagrams(root)) do
      if type(diagram) == "table" then
        local list_of_cells, version = cells(diagram)
        for _, cell in ipairs(list_of_cells) do
          local data = version == 2 and cell.data or cell
          local kind = type(data) == "table" and (str(data.type) or str(cell.type)) or nil
          if type(cell) == "table" and type(data) == "table" and not data.isTrustBoundary
             and ELEMENT[kind or ""] then
            local comp = { node = data, id = str(cell.id), name = label(cell, data), flow = kind == "tm.Flow" or nil }
            model.components[#model.components + 1] = comp
            if comp.id then model.component_by_id[comp.id] = comp end
            for i, raw in ipairs(list(data.threats)) do
              if type(raw) == "table" then
                local t = {
                  node = raw, id = str(raw.id) or ((comp.id or "?") .. "#" .. i),
                  title = str(raw.title), description = str(raw.description),
                  severity = lower(raw.severity), category = lower(raw.type),
                  status = STATUS[lower(raw.status) or ""] or "open",
                  components = { comp.id }, links = {}, mitigations = {},
                }
                if tm.blank(t.severity) then t.severity = nil end
                if data.outOfScope == true then
                  t.status = "accepted"
                  t.accept = { node = data, reason = str(data.reasonOutOfScope), reason_field = "reasonOutOfScope" }
                end
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
        end
      end
    end
    return model
  end,
}
