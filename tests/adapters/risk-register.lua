-- A team's own format: a risk register kept as a list of rows.
local str, lower = tm.str, tm.lower

local STATE = { open = "open", accepted = "accepted", closed = "mitigated", ["n/a"] = "false-positive" }

return {
  name = "risk-register",
  detect = function(root) return root.register ~= nil and type(root.risks) == "table" end,
  build = function(root, ctx)
    local model = {
      node = root, format = "risk-register", file = ctx.file,
      title = str(root.register), owner = str(root.maintainer), reviewed = str(root.last_review),
      reviewers = {}, components = {}, threats = {}, mitigations = {},
      component_by_id = {}, mitigation_by_id = {},
      fields = { owner = "maintainer", reviewed = "last_review" },
      missing = { reviewers = true, kind = true, acceptance = true, key = true, source = true,
                  accept_details = true, issue = true, verified_by = true, due = true, priority = true },
    }
    for _, row in ipairs(tm.list(root.risks)) do
      if type(row) == "table" then
        local t = { node = row, id = str(row.ref), title = str(row.risk), severity = lower(row.rating),
                    status = STATE[lower(row.state) or ""] or "open",
                    components = tm.texts(row.area), links = {}, mitigations = {} }
        if t.status == "accepted" then
          t.accept = { node = row, reason = str(row.rationale), reason_field = "rationale" }
        end
        if not tm.blank(row.controls) then
          local m = { node = row, id = t.id .. "/controls", title = str(row.controls),
                      acceptance = {}, threats = { t }, inline_of = t }
          model.mitigations[#model.mitigations + 1] = m
          t.links[1] = { id = m.id, mitigation = m, field = "controls" }
          t.mitigations[1] = m.id
        end
        model.threats[#model.threats + 1] = t
      end
    end
    return model
  end,
}
