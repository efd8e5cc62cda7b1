-- STRIDE per element: which categories each kind of element is open to
local EXPECTED = {
  ["external-entity"] = { "spoofing", "repudiation" },
  process = { "spoofing", "tampering", "repudiation", "information-disclosure", "denial-of-service",
              "elevation-of-privilege" },
  ["data-store"] = { "tampering", "repudiation", "information-disclosure", "denial-of-service" },
  flow = { "tampering", "information-disclosure", "denial-of-service" },
}

local KIND = { ["external-entity"] = "external entity", process = "process", ["data-store"] = "data store",
               flow = "flow" }

return {
  id = "TM209",
  name = "stride-per-element-gap",
  level = "note",
  meta = { "2.1.5" },
  summary = "An element's threats leave out categories that apply to its kind (STRIDE per element)",
  help = [[
Fires once per element (component or data flow) that has threats, listing
the categories that apply to its kind and that none of its threats
carries. The default table is STRIDE per element: an external entity can
be spoofed and can repudiate; a process is open to all six categories; a
data store to tampering, repudiation, information disclosure and denial of
service; a data flow to tampering, information disclosure and denial of
service. Components of unknown type are skipped, and so are elements with
no threats at all (TM103 and TM107 report those).

The rule applies only to a model that categorizes its threats: at least
`min_share` (0.5) of them must carry a category of the table. Categories
are read in any spelling the formats use (`T`, `Tampering`,
`information-disclosure`).

Why it matters: discovery needs an end. Going through each element and
asking each question that applies to it is the structured way to know
that the model is complete, and a category nobody asked about is a gap
nobody sees.

How to fix it: for each category listed, record the threat or decide
that it does not apply (a threat with `status: false-positive` and a
reason says so for the next reviewer).

Settings: `min_share`; `expected`, the table itself, a mapping from
element kind (`external-entity`, `process`, `data-store`, `flow`) to the
categories that apply, so a team on LINDDUN or its own scheme can replace
it.

Meta threat: 2.1.5 (no end to discovery).]],
  message = "{kind} {label}: none of its threats covers {missing}",
  settings = { min_share = 0.5, expected = EXPECTED },
  needs = { "component_threats" },
  run = function(model, report, settings)
    local expected = settings.expected
    if type(expected) ~= "table" then return end
    local known = {}
    for _, cats in pairs(expected) do
      for _, c in ipairs(tm.texts(cats)) do known[#known + 1] = c end
    end
    -- a table of the usual names compares normalized categories; only a
    -- team's own names need the texts as written (rules run with the
    -- collector paused, so no per-threat tables in the common case)
    local own, wanted = false, {}
    for _, c in ipairs(known) do
      local n = tm.category(c)
      if n == "other" or n == nil then own = true else wanted[n] = true end
    end
    local categorized = 0
    local on = {}   -- element id -> set of categories its threats carry
    for _, t in ipairs(model.threats) do
      local hit = false
      if own then
        local set = tm.category_set(t)
        for _, c in ipairs(known) do
          if tm.has_category(set, c) then hit = true break end
        end
        for _, id in ipairs(t.targets) do
          on[id] = on[id] or {}
          for c in pairs(set) do on[id][c] = true end
        end
      else
        for _, c in ipairs(t.categories) do
          if wanted[c] then hit = true break end
        end
        if #t.categories > 0 then
          for _, id in ipairs(t.targets) do
            on[id] = on[id] or {}
            for _, c in ipairs(t.categories) do on[id][c] = true end
          end
        end
      end
      if hit then categorized = categorized + 1 end
    end
    if categorized == 0 or categorized < settings.min_share * #model.threats then return end
    local function check(el, kind)
      local have = el.id and on[el.id]
      if not have or not kind then return end
      local missing = {}
      for _, c in ipairs(tm.texts(expected[kind])) do
        if not tm.has_category(have, c) then missing[#missing + 1] = c end
      end
      if #missing > 0 then
        report(el, { kind = KIND[kind] or kind, label = tm.label(el),
                     missing = table.concat(missing, ", ") })
      end
    end
    for _, c in ipairs(model.components) do check(c, c.type) end
    for _, f in ipairs(model.flows) do check(f, "flow") end
  end,
}
