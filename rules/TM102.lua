return {
  id = "TM102",
  name = "unknown-component",
  level = "error",
  meta = { "1.3.4" },
  summary = "A threat names a component the model does not define",
  help = [[
Fires on each component id in a threat's `component` or `components` that
no entry of the model's `components:` has.

Why it matters: a threat that points at nothing is not attached to the
system. It is usually a typo or a component renamed or removed, and either
way the picture of what is exposed where is wrong.

How to fix it: correct the id, or add the component under `components:`
with its name and trust zone.

Meta threat: 1.3.4 (inconsistent model of the system).]],
  message = "threat '{id}' names component '{component}', which the model does not define",
  settings = {},
  run = function(model, report)
    -- references an adapter could not resolve (a Threagile risk_tracking
    -- key naming an asset the model lacks)
    local ids
    for _, u in ipairs(model.unresolved or {}) do
      if u.kind == "component" then
        if not ids then
          ids = {}
          for _, c in ipairs(model.components) do if c.id then ids[#ids + 1] = c.id end end
        end
        report(u.at, { field = u.field, id = u.field, component = u.id, message =
          "'" .. u.field .. "' names '" .. u.id .. "', which the model does not define; " .. tm.suggest(u.id, ids) })
      end
    end
    for _, t in ipairs(model.threats) do
      for i, c in ipairs(t.components) do
        if not model.component_by_id[c] and not model.flow_by_id[c] then   -- a flow may be named too
          local field = t.components_key == "component" and "component" or ((t.components_key or "components") .. "." .. i)
          report(t, { field = field, component = c })
        end
      end
    end
  end,
}
