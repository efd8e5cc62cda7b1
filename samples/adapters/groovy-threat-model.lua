-- A team adapter for the security-scope file Apache Groovy keeps next to
-- its THREAT_MODEL.md (`schema: groovy-threat-model/v1`). The file lists the
-- security properties the project provides, each with the violation that
-- would break it and a severity; reports the project has already judged
-- (`known_non_findings`, with a disposition and a rationale); and prose
-- lists (false friends, out of scope, misuse patterns) that hold no
-- elements of their own.
--
-- Mapping: a provided property is a threat (its violation) that the
-- property itself mitigates: an essential control, done when the file says
-- it is documented or confirmed by the maintainers, planned while it is
-- only inferred. A known non-finding is a threat dismissed as a false
-- positive, with its rationale as the reason. The contact is the owner.
local str, lower = tm.str, tm.lower

local DONE = { documented = true, maintainer = true }

-- "High", "Medium (local)" -> high, medium
local function severity(v)
  local s = lower(v)
  return s and re.match(s, "^(low|medium|high|critical)") or nil
end

return {
  name = "groovy-threat-model",
  detect = function(root)
    if str(root.schema) == "groovy-threat-model/v1" then return true end
    return false, "no schema: groovy-threat-model/v1"
  end,
  build = function(root, ctx)
    local contacts = type(root.contacts) == "table" and root.contacts or {}
    local model = {
      node = root, format = "groovy-threat-model", file = ctx.file,
      title = str(root.project), owner = str(contacts.primary), reviewers = {},
      rating_scheme = { name = "groovy-severity", version = "1", levels = tm.default_levels, node = root, fixed = true },
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      fields = { owner = "contacts.primary" },
      missing = { reviewed = true, reviewers = true, acceptance = true, issue = true, verified_by = true, threat_components = true,
                  key = true, source = true, accept_details = true, due = true, priority = true,
                  component_threats = true },
    }
    for _, p in ipairs(tm.list(root.properties)) do
      if type(p) == "table" then
        local id = str(p.id)
        local t = { node = p, id = id, title = str(p.violation) or str(p.title), severity = severity(p.severity_if_violated),
                    status = "open", components = {}, links = {}, mitigations = {} }
        if p.severity_if_violated == nil then t.missing = { severity = true } end
        local m = { node = p, id = (id or "?") .. "/property", title = str(p.title), kind = "essential",
                    status = DONE[lower(p.provenance) or ""] and "done" or "planned",
                    acceptance = {}, threats = { t }, inline_of = t }
        -- only a confirmed property mitigates; an inferred one is still open
        if m.status == "done" then t.status = "mitigated" end
        t.links[1] = { id = m.id, mitigation = m, field = "title" }
        t.mitigations[1] = m.id
        model.threats[#model.threats + 1] = t
        model.mitigations[#model.mitigations + 1] = m
        model.mitigation_by_id[m.id] = m
      end
    end
    for i, k in ipairs(tm.list(root.known_non_findings)) do
      if type(k) == "table" then
        model.threats[#model.threats + 1] = {
          node = k, id = "non-finding-" .. i, title = str(k.pattern), status = "false-positive",
          components = {}, links = {}, mitigations = {}, missing = { severity = true },
          accept = { node = k, reason = str(k.rationale), reason_field = "rationale" },
        }
      end
    end
    return model
  end,
}
