-- Threagile (YAML, or its JSON output; `threagile_version` at the top, or
-- the keys of one of its split-model fragments). Threagile derives most
-- risks itself from built-in rules when it runs, so the file holds only the
-- risks a team identified by hand (`individual_risk_categories`) and its
-- decisions about risks (`risk_tracking`, keyed by synthetic risk ids with
-- `*` wildcards). Both become threats here; a tracking entry for a risk
-- Threagile computes carries no mitigation or severity of its own, so the
-- rules that need those stay quiet for it.
local str, lower, list = tm.str, tm.lower, tm.list

-- Every top-level key of a Threagile model; a file holding only these (and
-- one that is not shared with other formats) is a fragment of a split model.
local KEYS = {}
for _, k in ipairs({ "threagile_version", "title", "date", "author", "contributors", "includes",
                     "business_overview", "technical_overview", "business_criticality",
                     "management_summary_comment", "questions", "abuse_cases", "security_requirements",
                     "tags_available", "data_assets", "technical_assets", "trust_boundaries",
                     "shared_runtimes", "individual_risk_categories", "custom_risk_categories",
                     "risk_tracking", "diagram_tweak_nodesep", "diagram_tweak_ranksep",
                     "diagram_tweak_edge_layout", "diagram_tweak_suppress_edge_labels",
                     "diagram_tweak_layout_left_to_right", "diagram_tweak_invisible_connections_between_assets",
                     "diagram_tweak_same_rank_assets", "reports_contents", "library" }) do
  KEYS[k] = true
end
local GENERIC = { title = true, date = true, author = true, includes = true }
-- keys only Threagile's own JSON output has
local OUTPUT = { "built_in_risk_categories", "generated_risks_by_category",
                 "direct_containing_trust_boundary_mapped_by_technical_asset_id" }

-- nil, or why the file is only a part of a split model
local function fragment(root)
  local own
  for k in pairs(root) do
    if not KEYS[k] then return nil end
    if not GENERIC[k] then own = true end
  end
  if root.includes ~= nil and root.threagile_version == nil then own = true end
  return own and root.threagile_version == nil
end

-- protocols that encrypt in transit (the others say "-encrypted" if they do)
local ENCRYPTED = {}
for _, p in ipairs({ "https", "wss", "ssh", "sftp", "scp", "ftps", "ldaps", "mqtts", "smtps", "imaps",
                     "nfs-encrypted", "jdbc-encrypted", "odbc-encrypted", "sql-access-protocol-encrypted",
                     "nosql-access-protocol-encrypted", "binary-encrypted", "text-encrypted" }) do
  ENCRYPTED[p] = true
end

-- a mapping's keys in a stable order (a list's in its own), so the model
-- does not depend on hash order
local function sorted_keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out, function(a, b)
    if math.type(a) == "integer" and math.type(b) == "integer" then return a < b end
    return tostring(a) < tostring(b)
  end)
  return out
end

local STATUS = { unchecked = "open", ["in-discussion"] = "open", ["in-progress"] = "open",
                 accepted = "accepted", mitigated = "mitigated", ["false-positive"] = "false-positive" }

local function plain(s)   -- Threagile titles carry <b> tags
  return s and tm.trim((re.gsub(s, "<[^>]*>", ""))) or nil
end

-- Does a tracking key (parts split by @, `*` matches any part) match a risk id?
local function split(s)
  local out, start = {}, 1
  while true do
    local at = string.find(s, "@", start, true)
    if not at then out[#out + 1] = string.sub(s, start) return out end
    out[#out + 1] = string.sub(s, start, at - 1)
    start = at + 1
  end
end

local function matches(pattern, id)
  local p, r = split(pattern), split(id)
  if #p ~= #r then return false end
  for i = 1, #p do
    if p[i] ~= "*" and p[i] ~= r[i] then return false end
  end
  return true
end

-- The keys Threagile has for each kind of object the adapter reads (its
-- JSON Schema, and its output's); tm.keys reports one close to these.
local KNOWN = {
  asset = tm.key_set({ "id", "title", "description", "type", "usage", "used_as_client_by_human", "out_of_scope",
                       "justification_out_of_scope", "size", "technology", "technologies", "tags", "internet",
                       "machine", "encryption", "owner", "confidentiality", "integrity", "availability",
                       "justification_cia_rating", "multi_tenant", "redundant", "custom_developed_parts",
                       "data_assets_processed", "data_assets_stored", "data_formats_accepted",
                       "diagram_tweak_order", "communication_links" }),
  link = tm.key_set({ "id", "title", "source_id", "target_id", "target", "description", "protocol",
                      "authentication", "authorization", "tags", "vpn", "ip_filtered", "readonly", "usage",
                      "data_assets_sent", "data_assets_received", "diagram_tweak_weight",
                      "diagram_tweak_constraint" }),
  boundary = tm.key_set({ "id", "title", "description", "type", "tags", "technical_assets_inside",
                          "trust_boundaries_nested" }),
  tracking = tm.key_set({ "synthetic_risk_id", "status", "justification", "ticket", "date", "checked_by" }),
  category = tm.key_set({ "id", "title", "description", "impact", "asvs", "cheat_sheet", "action", "mitigation",
                          "check", "function", "stride", "detection_logic", "risk_assessment", "false_positives",
                          "model_failure_possible_reason", "cwe", "risks_identified" }),
  risk = tm.key_set({ "severity", "exploitation_likelihood", "exploitation_impact", "data_breach_probability",
                      "data_breach_technical_assets", "most_relevant_data_asset", "most_relevant_technical_asset",
                      "most_relevant_communication_link", "most_relevant_trust_boundary",
                      "most_relevant_shared_runtime", "title", "synthetic_id", "category" }),
}

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { reviewers = true, kind = true, acceptance = true, issue = true, verified_by = true,
                  key = true, source = true, due = true, priority = true, threats = true,
                  component_threats = true }

return {
  name = "threagile",
  lacks = LACKS,
  detect = function(root)
    if root.threagile_version ~= nil or fragment(root) then return true end
    for _, k in ipairs(OUTPUT) do
      if root[k] ~= nil then return true end
    end
    return false, "no threagile_version, and keys that are not Threagile's"
  end,
  build = function(root, ctx)
    if fragment(root) then
      return { fragment = "a part of a split Threagile model (no threagile_version): it is checked"
                          .. " as part of the main file whose includes: name it" }
    end
    local author = type(root.author) == "table" and root.author or {}
    -- a split model's main file names the fragments that hold the rest
    -- (tmlint reads a main file's includes: into it before this runs)
    local complete = root.threagile_version ~= nil or (root.title ~= nil and root.technical_assets ~= nil)
    local model = {
      node = root, format = "threagile", file = ctx.file, title = str(root.title),
      owner = str(author.name), reviewed = str(root.date), reviewers = {},
      rating_scheme = { name = "threagile", version = str(root.threagile_version) or "1", node = root,
                        levels = { "low", "medium", "elevated", "high", "critical" } },
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      fields = { owner = "author.name", reviewed = "date" },
      missing = tm.copy(LACKS),
    }
    if not complete then   -- a fragment of a split model: its main file has the rest
      model.missing.owner, model.missing.reviewed = true, true
    end
    local zone_of = {}
    local boundaries = type(root.trust_boundaries) == "table" and root.trust_boundaries or {}
    local bnames = sorted_keys(boundaries)
    model.trust_zones = {}
    for _, name in ipairs(bnames) do
      local b = boundaries[name]
      if type(b) == "table" then
        tm.keys(model, b, KNOWN.boundary)
        -- an asset sits directly inside one boundary (Threagile checks it);
        -- nested boundaries list their own
        local z = { node = b, id = str(b.id) or str(name), name = str(name), kind = lower(b.type), members = {} }
        for _, a in ipairs(list(b.technical_assets_inside)) do
          zone_of[str(a) or ""] = z.id
          z.members[#z.members + 1] = str(a)
        end
        model.trust_zones[#model.trust_zones + 1] = z
      end
    end
    local assets = type(root.technical_assets) == "table" and root.technical_assets or {}
    local flows = {}
    model.flows = flows
    local names = sorted_keys(assets)
    for _, name in ipairs(names) do
      local a = assets[name]
      if type(a) == "table" then
        tm.keys(model, a, KNOWN.asset)
        local c = { node = a, id = str(a.id) or str(name), name = str(name), out_of_scope = a.out_of_scope == true or nil }
        c.trust_zone = zone_of[c.id]
        c.type_text = str(a.type)
        c.type = tm.element_type(a.type)
        model.components[#model.components + 1] = c
        model.component_by_id[c.id] = c
        -- its outgoing links are the model's data flows; Threagile names a
        -- link asset-id>link-title (lower case, spaces as dashes)
        local links = type(a.communication_links) == "table" and a.communication_links or {}
        -- a model keys links by title; Threagile's own output lists them
        -- with id, title, source_id and target_id
        local lnames = sorted_keys(links)
        for _, lname in ipairs(lnames) do
          local l = links[lname]
          if type(l) == "table" and math.type(lname) == "integer" then lname = str(l.title) or tostring(lname) end
          if type(l) == "table" then
            tm.keys(model, l, KNOWN.link)
            local data = tm.texts(l.data_assets_sent)
            for _, d in ipairs(tm.texts(l.data_assets_received)) do data[#data + 1] = d end
            local protocol = lower(l.protocol)
            local auth = lower(l.authentication)
            local f = { node = l, id = c.id .. ">" .. (re.gsub(lower(lname) or "", "\\s+", "-")), name = str(lname),
                        from = c.id, to = tm.one(model, l, "target"), protocol = protocol, data = data,
                        description = str(l.description), fields = { to = "target" } }
            if auth then f.authenticated = auth ~= "none" end
            if protocol then f.encrypted = ENCRYPTED[protocol] == true or re.test(protocol, "encrypted") end
            if l.target_id ~= nil then   -- the output form
              f.id, f.to, f.fields = str(l.id) or f.id, str(l.target_id), { to = "target_id", from = "source_id" }
              f.from = str(l.source_id) or c.id
            end
            flows[#flows + 1] = f
          end
        end
      end
    end
    local tracking = type(root.risk_tracking) == "table" and root.risk_tracking or {}
    local tkeys = sorted_keys(tracking)
    local used = {}
    for _, k in ipairs(tkeys) do tm.keys(model, tracking[k], KNOWN.tracking) end
    local function decide(t, key, entry)
      t.status = tm.vocab(model, STATUS, entry, "status", "open")
      t.tracking = entry
      if t.status == "accepted" or t.status == "false-positive" then
        t.accept = { node = entry, reason = str(entry.justification), by = str(entry.checked_by),
                     date = str(entry.date), reason_field = "justification" }
      end
      used[key] = true
    end
    -- risks identified by hand
    local cats = type(root.individual_risk_categories) == "table" and root.individual_risk_categories or {}
    local cnames = sorted_keys(cats)
    for _, cname in ipairs(cnames) do
      local cat = cats[cname]
      if type(cat) == "table" then
        tm.keys(model, cat, KNOWN.category)
        local cid = str(cat.id) or str(cname)
        local m
        if not tm.blank(cat.mitigation) then
          m = { node = cat, id = cid .. "#mitigation", title = str(cat.mitigation), acceptance = {}, threats = {} }
          model.mitigations[#model.mitigations + 1] = m
          model.mitigation_by_id[m.id] = m
        end
        local risks = type(cat.risks_identified) == "table" and cat.risks_identified or {}
        local rnames = sorted_keys(risks)
        for _, rname in ipairs(rnames) do
          local r = risks[rname]
          if type(r) == "table" then
            tm.keys(model, r, KNOWN.risk)
            local asset = str(r.most_relevant_technical_asset)
            local link = str(r.most_relevant_communication_link)
            local t = {
              node = r, id = cid .. (asset and ("@" .. asset) or ""), title = plain(str(rname)),
              severity = lower(r.severity), category = str(cat.stride), status = "open",
              components = asset and { asset } or {}, flows = link and { link } or {}, links = {}, mitigations = {},
            }
            if m then
              t.links[1] = { id = m.id, mitigation = m }
              t.mitigations[1] = m.id
              m.threats[#m.threats + 1] = t
            end
            for _, k in ipairs(tkeys) do
              if type(tracking[k]) == "table" and matches(str(k), t.id) then decide(t, k, tracking[k]) break end
            end
            model.threats[#model.threats + 1] = t
          end
        end
      end
    end
    -- the ids a computed risk id (category@id@id...) can name
    local known, any_asset = {}, false
    for _, list_key in ipairs({ "technical_assets", "data_assets", "trust_boundaries", "shared_runtimes" }) do
      local t = type(root[list_key]) == "table" and root[list_key] or {}
      for name, v in pairs(t) do
        if type(v) == "table" then
          known[str(v.id) or str(name) or ""] = true
          if list_key == "technical_assets" then any_asset = true end
        end
      end
    end
    -- decisions about risks Threagile computes itself
    for _, k in ipairs(tkeys) do
      local entry = tracking[k]
      if not used[k] and type(entry) == "table" and any_asset and type(k) == "string" then
        -- a part that names nothing the model defines tracks no risk at all
        local at = string.find(k, "@", 1, true)
        while at do
          local nxt = string.find(k, "@", at + 1, true)
          local part = string.sub(k, at + 1, (nxt or #k + 1) - 1)
          if part ~= "" and not string.find(part, "*", 1, true)
             and not string.find(part, ">", 1, true) and not known[part] then
            tm.unresolved(model, "component", part, tracking, k)
          end
          at = nxt
        end
      end
      if not used[k] and type(entry) == "table" then
        -- computed: the risk id (rule@asset@...) says what it is about
        local t = { node = entry, id = str(k), title = str(k), components = {}, links = {}, mitigations = {},
                    missing = { severity = true, mitigations = true }, computed = true }
        decide(t, k, entry)
        model.threats[#model.threats + 1] = t
      end
    end
    return model
  end,
}
