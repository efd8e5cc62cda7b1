return {
  id = "TM210",
  name = "blind-category",
  level = "note",
  meta = { "2.1.2" },
  summary = "The model categorizes its threats and a whole category has none",
  help = [[
Fires once per model that categorizes its threats (at least `min_share`,
0.5, of them carry a category, and at least `min_threats`, 6, do) when a
whole category of the scheme it uses has no threat at all. The scheme is
the one most of its categories belong to: STRIDE's six (spoofing,
tampering, repudiation, information disclosure, denial of service,
elevation of privilege) or LINDDUN's seven (linking, identifying,
non-repudiation, detecting, data disclosure, unawareness,
non-compliance). Set `categories` to a list to check your own.

Why it matters: a class of threats with nothing in it is rarely a class
that does not apply; more often nobody in the room knew to look for it (a
team of developers who never think of repudiation, say). The empty
category is the blind spot.

How to fix it: hold a short session on the missing category alone, with
someone who knows it, and record what you find, or a threat marked
`false-positive` that says why the category does not apply.

Meta threat: 2.1.2 (a whole class of threats missed).]],
  message = "no threat in {missing}: the model's {n} categorized threats use {scheme} and leave {them} empty",
  settings = { min_share = 0.5, min_threats = 6, categories = false },
  needs = { "component_threats" },
  run = function(model, report, settings)
    local scheme, name = settings.categories, "its own categories"
    local own = type(scheme) == "table"
    local in_stride, in_linddun = {}, {}
    for _, c in ipairs(tm.STRIDE) do in_stride[c] = true end
    for _, c in ipairs(tm.LINDDUN) do in_linddun[c] = true end
    local stride, linddun, categorized, have = 0, 0, 0, {}
    local own_names = own and tm.texts(scheme) or nil
    for _, t in ipairs(model.threats) do
      local s, l, any = false, false, false
      for _, c in ipairs(t.categories) do
        have[c] = true
        if in_stride[c] then s = true end
        if in_linddun[c] then l = true end
      end
      if own then   -- a team's names: the texts as written count too
        local set = tm.category_set(t)
        for c in pairs(set) do have[c] = true end
        for _, c in ipairs(own_names) do
          if tm.has_category(set, c) then any = true break end
        end
      end
      if s or l or any then categorized = categorized + 1 end
      if s then stride = stride + 1 end
      if l then linddun = linddun + 1 end
    end
    if categorized < settings.min_threats or categorized < settings.min_share * #model.threats then return end
    if own then
      scheme = tm.texts(scheme)
    elseif stride >= linddun then
      scheme, name = tm.STRIDE, "STRIDE"
    else
      scheme, name = tm.LINDDUN, "LINDDUN"
    end
    local missing = {}
    for _, c in ipairs(scheme) do
      if not tm.has_category(have, c) then missing[#missing + 1] = c end
    end
    if #missing > 0 then
      -- threats with no category at all might be in the empty ones: say so
      local uncategorized = #model.threats - categorized
      local message
      if uncategorized > 0 then
        message = "no categorized threat in {missing}: the model's {n} categorized threats use {scheme} and leave "
          .. "{them} empty, and {u} " .. (uncategorized == 1 and "threat has no category: categorize it, it"
          or "threats have no category: categorize them, they") .. " may belong there"
      end
      report(model, { missing = table.concat(missing, ", "), n = categorized, scheme = name,
                      them = #missing == 1 and "it" or "them", u = uncategorized, message = message })
    end
  end,
}
