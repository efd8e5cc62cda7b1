-- AWS Threat Composer exports (JSON; a `schema` number at the top, files
-- named *.tc.json). Threats are threat statements with a status and
-- metadata (Priority High/Medium/Low, STRIDE letters, Comments);
-- mitigations have a status and are tied to threats by `mitigationLinks`.
-- There is no owner, review date, essential/idea split, acceptance
-- criteria or ticket. `threatResolvedNotUseful` is the nearest thing to an
-- accept; a Comments entry, if any, is its reason.
local str, lower, list = tm.str, tm.lower, tm.list

local THREAT = { threatidentified = "open", threatresolved = "mitigated", threatresolvednotuseful = "accepted" }
local MITIGATION = { mitigationidentified = "planned", mitigationinprogress = "in-progress",
                     mitigationresolved = "done", mitigationresolvedwillnotaction = "dropped" }
-- as its schema spells them, for TM007's messages
local THREAT_NAMES = { "threatIdentified", "threatResolved", "threatResolvedNotUseful" }
local MITIGATION_NAMES = { "mitigationIdentified", "mitigationInProgress", "mitigationResolved",
                           "mitigationResolvedWillNotAction" }

-- value of a metadata key, and the field path to it
local function meta(raw, key)
  for i, m in ipairs(list(raw.metadata)) do
    if type(m) == "table" and str(m.key) == key then return m.value, "metadata." .. i .. ".value" end
  end
  return nil
end

-- The keys its schema has for each kind of object (a closed schema: no
-- others); tm.keys reports one close to these.
local KEYS = {
  root = tm.key_set({ "schema", "applicationInfo", "architecture", "dataflow", "assumptions", "mitigations",
                      "assumptionLinks", "mitigationLinks", "threats", "brainstorm" }),
  app = tm.key_set({ "name", "description" }),
  threat = tm.key_set({ "id", "numericId", "displayOrder", "statement", "threatSource", "prerequisites",
                        "threatAction", "threatImpact", "impactedGoal", "impactedAssets", "metadata", "tags",
                        "status", "customTemplate" }),
  mitigation = tm.key_set({ "id", "numericId", "displayOrder", "content", "metadata", "tags", "status" }),
  meta = tm.key_set({ "key", "value" }),
  link = tm.key_set({ "mitigationId", "linkedId" }),
}
local function keys_with_meta(model, raw, known)
  tm.keys(model, raw, known)
  for _, m in ipairs(list(raw.metadata)) do tm.keys(model, m, KEYS.meta) end
end

-- Canonical fields this format has no place for: rules that need one do
-- not apply to its files (tmlint rules --coverage lists them per rule).
local LACKS = { owner = true, reviewed = true, reviewers = true, kind = true, acceptance = true,
                  issue = true, verified_by = true, key = true, source = true, accept_details = true,
                  due = true, priority = true }

return {
  name = "threat-composer",
  lacks = LACKS,
  detect = function(root)
    -- Threat Composer numbers its schema (1); other formats name theirs
    if math.type(tonumber(root.schema)) == "integer" and (type(root.threats) == "table" or type(root.applicationInfo) == "table") then
      return true
    end
    return false, "no numeric schema with threats or applicationInfo"
  end,
  build = function(root, ctx)
    local app = type(root.applicationInfo) == "table" and root.applicationInfo or {}
    local model = {
      node = root, format = "threat-composer", file = ctx.file, title = str(app.name), reviewers = {},
      -- a workspace with its schema and application info is one, even
      -- before it holds threats (TM104 says it is empty)
      certain = math.type(tonumber(root.schema)) == "integer" and type(root.applicationInfo) == "table",
      rating_scheme = { name = "threat-composer-priority", version = str(root.schema), node = root,
                        levels = { "low", "medium", "high" } },
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      missing = tm.copy(LACKS),
    }
    tm.keys(model, root, KEYS.root)
    tm.keys(model, root.applicationInfo, KEYS.app)
    local threat_by_id = {}
    for _, raw in ipairs(list(root.threats)) do
      if type(raw) == "table" then
        keys_with_meta(model, raw, KEYS.threat)
        local stride = meta(raw, "STRIDE")
        local t = {
          node = raw, id = str(raw.numericId) and ("T-" .. str(raw.numericId)) or str(raw.id),
          uuid = str(raw.id), title = str(raw.statement) or str(raw.threatAction),
          severity = lower(meta(raw, "Priority")), category = stride,
          status = tm.vocab(model, THREAT, raw, "status", "open", nil, THREAT_NAMES),
          components = {}, links = {}, mitigations = {},
        }
        if t.status == "accepted" then
          local why, field = meta(raw, "Comments")
          t.accept = { node = raw, reason = str(why), reason_field = field or "status" }
        end
        model.threats[#model.threats + 1] = t
        if t.uuid then threat_by_id[t.uuid] = t end
      end
    end
    local by_uuid = {}
    for _, raw in ipairs(list(root.mitigations)) do
      if type(raw) == "table" then
        keys_with_meta(model, raw, KEYS.mitigation)
        local m = { node = raw, id = str(raw.numericId) and ("M-" .. str(raw.numericId)) or str(raw.id),
                    title = str(raw.content), status = tm.vocab(model, MITIGATION, raw, "status", nil, "no status", MITIGATION_NAMES),
                    acceptance = {}, threats = {} }
        model.mitigations[#model.mitigations + 1] = m
        model.mitigation_by_id[m.id] = m
        if str(raw.id) then by_uuid[str(raw.id)] = m end
      end
    end
    local assumption = {}
    for _, a in ipairs(list(root.assumptions)) do
      if type(a) == "table" and str(a.id) then assumption[str(a.id)] = true end
    end
    for i, link in ipairs(list(root.mitigationLinks)) do
      if type(link) == "table" then
        tm.keys(model, link, KEYS.link)
        local lid = tm.one(model, link, "linkedId")
        local t = threat_by_id[lid or ""]
        if not t and lid and not assumption[lid] then
          tm.unresolved(model, "threat", lid, link, "linkedId")
        end
        if t then   -- links to assumptions are not ours
          local m = by_uuid[tm.one(model, link, "mitigationId") or ""]
          t.links[#t.links + 1] = { id = m and m.id or str(link.mitigationId), mitigation = m,
                                    at = link, at_field = "mitigationId" }
          if m then
            t.mitigations[#t.mitigations + 1] = m.id
            m.threats[#m.threats + 1] = t
          end
        end
      end
    end
    return model
  end,
}
