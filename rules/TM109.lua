return {
  id = "TM109",
  name = "disconnected-element",
  level = "warning",
  meta = { "1.3.3", "1.3.4" },
  summary = "A flow has a loose end, or a component has no flows in a model that has flows",
  help = [[
Fires on a data flow whose source or destination is missing (one that
names no component of the model is TM102's), and on a component that no flow starts or ends at
when the model has flows at all.

Why it matters: a flow that leads nowhere was either drawn loose (a
diagram edge not attached to its shape) or names a component that was
renamed or removed, so the model no longer matches the system. A
component with no flows in a drawn system (other than one that holds
other components, such as a network) cannot be reached and reaches
nothing: either its flows are missing, and with them their threats, or it
is not part of the system any more.

How to fix it: attach the flow to its ends (or correct the id), add the
component's flows, or remove what is no longer there.

Meta threats: 1.3.3 (parts of the system left out), 1.3.4
(representation differs from reality).]],
  message = "{what}",
  settings = {},
  run = function(model, report)
    if #model.flows == 0 then return end
    local connected = {}
    for _, f in ipairs(model.flows) do
      for _, e in ipairs({ { "from", "source" }, { "to", "destination" } }) do
        local id = f[e[1]]
        if id then connected[id] = true end
        if not id then   -- an end that names nothing the model has is TM102's
          report(f, { what = "flow " .. tm.label(f) .. " has no " .. e[2] })
        end
      end
    end
    -- a component others are nested in (a network, a cluster) is a
    -- container: flows reach what it holds
    local container = {}
    for _, c in ipairs(model.components) do
      if type(c.parent) == "string" then container[c.parent] = true end
    end
    for _, c in ipairs(model.components) do
      if c.id and not connected[c.id] and not container[c.id] and c.flow ~= true then
        report(c, { what = "component " .. tm.label(c) .. " has no data flow, in a model that has "
                    .. #model.flows .. (#model.flows == 1 and " flow" or " flows") })
      end
    end
  end,
}
