-- A team adapter for the security-scope file Apache Grails Spring Security
-- keeps next to its THREAT_MODEL.md (a `project:` block with
-- `threat_model:`, then `components`, `properties_provided`,
-- `properties_disclaimed`, `known_non_findings`, `followup_items`, ...).
--
-- Mapping: a component in the model (`in_model: true`) is a component,
-- named by `name`. A provided property is a threat (its violation) that
-- the property mitigates, as an essential control that is done when its
-- provenance is documented or confirmed. A disclaimed property is a threat
-- transferred to the application that embeds the plugin (the file lists
-- only its id: the reasons live in THREAT_MODEL.md). A known non-finding
-- is a false positive, discharged by the trust assumption it names. The
-- file's severities are classes (security_critical, hardening), not a
-- scale, so the rating rules stay quiet; follow-up items point at
-- questions, not threats, and are left out.
local str, lower = tm.str, tm.lower

local DONE = { documented = true, maintainer = true }

return {
  name = "grails-threat-model",
  detect = function(root)
    local p = root.project
    if type(p) == "table" and p.threat_model ~= nil and root.properties_provided ~= nil then return true end
    return false, "no project.threat_model with properties_provided"
  end,
  build = function(root, ctx)
    local project = root.project
    local model = {
      node = root, format = "grails-threat-model", file = ctx.file,
      title = str(project.name), reviewed = str(project.date), reviewers = {},
      components = {}, threats = {}, mitigations = {}, component_by_id = {}, mitigation_by_id = {},
      fields = { reviewed = "project.date" },
      missing = { owner = true, reviewers = true, severity = true, acceptance = true, issue = true, threat_components = true,
                  verified_by = true, key = true, source = true, accept_details = true, due = true,
                  priority = true, component_threats = true, transfer_reason = true },
    }
    for _, c in ipairs(tm.list(root.components)) do
      if type(c) == "table" and c.in_model ~= false and str(c.name) then
        local comp = { node = c, id = str(c.name), name = str(c.name) }
        model.components[#model.components + 1] = comp
        model.component_by_id[comp.id] = comp
      end
    end
    for _, p in ipairs(tm.list(root.properties_provided)) do
      if type(p) == "table" then
        local id = str(p.id)
        local t = { node = p, id = id, title = str(p.description), status = "open",
                    components = {}, links = {}, mitigations = {} }
        local m = { node = p, id = (id or "?") .. "/property", title = str(p.description), kind = "essential",
                    status = DONE[lower(p.provenance) or ""] and "done" or "planned",
                    acceptance = {}, threats = { t }, inline_of = t }
        -- only a confirmed property mitigates; an inferred one is still open
        if m.status == "done" then t.status = "mitigated" end
        t.links[1] = { id = m.id, mitigation = m, field = "description" }
        t.mitigations[1] = m.id
        model.threats[#model.threats + 1] = t
        model.mitigations[#model.mitigations + 1] = m
        model.mitigation_by_id[m.id] = m
      end
    end
    for _, p in ipairs(tm.list(root.properties_disclaimed)) do
      if type(p) == "table" then
        model.threats[#model.threats + 1] = { node = p, id = str(p.id), title = str(p.id), status = "transferred",
                                              components = {}, links = {}, mitigations = {} }
      end
    end
    for i, k in ipairs(tm.list(root.known_non_findings)) do
      if type(k) == "table" then
        model.threats[#model.threats + 1] = {
          node = k, id = "non-finding-" .. i, title = str(k.pattern), status = "false-positive",
          components = {}, links = {}, mitigations = {},
          accept = { node = k, reason = str(k.discharged_by) or str(k.rationale),
                     reason_field = k.discharged_by ~= nil and "discharged_by" or "rationale" },
        }
      end
    end
    return model
  end,
}
