-- Test rule: reports what an adapter read of the architecture (counts, each
-- flow with its ends and whether it crosses a boundary, each zone with its
-- members), so goldens pin counts and positions per corpus file.
return {
  id = "ARCH", name = "arch-dump", level = "note", summary = "architecture dump",
  help = "Lists the architecture an adapter read.", message = "{what}", settings = {},
  run = function(model, report)
    local comps, types = 0, {}
    for _, c in ipairs(model.components) do
      comps = comps + 1
      types[c.type or "?"] = (types[c.type or "?"] or 0) + 1
    end
    local tl = {}
    for k, v in pairs(types) do tl[#tl + 1] = k .. "=" .. v end
    table.sort(tl)
    report(model, { what = string.format("%d components (%s), %d flows, %d zones, %d boundaries", comps,
      table.concat(tl, " "), #model.flows, #model.trust_zones, #model.boundaries) })
    for _, f in ipairs(model.flows) do
      local x = tm.crosses(model, f)
      report(f, { what = string.format("flow %s: %s -> %s%s%s", tostring(f.id), tostring(f.from), tostring(f.to),
        x and " crosses" or (x == nil and " dangling" or ""),
        (f.protocol and (" " .. f.protocol) or "") .. (#f.data > 0 and (" data=" .. #f.data) or "")) })
    end
    for _, z in ipairs(model.trust_zones) do
      report(z.node and z or model, { what = string.format("zone %s: %d members%s", tostring(z.name or z.id), #z.members, z.implicit and " (named only)" or "") })
    end
    local cats = {}
    for _, t in ipairs(model.threats) do
      for _, c in ipairs(t.categories) do cats[c] = (cats[c] or 0) + 1 end
    end
    local cl = {}
    for k, v in pairs(cats) do cl[#cl + 1] = k .. "=" .. v end
    table.sort(cl)
    report(model, { what = "categories: " .. table.concat(cl, " ") })
  end,
}
