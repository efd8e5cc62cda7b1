-- The values the format adapters could not place (tm.vocab records them):
-- each was read as the adapter's default, which may be the wrong reading.
return {
  id = "TM007",
  name = "unknown-value",
  level = "warning",
  meta = { "1.3.4" },
  summary = "A status is none of the values the file's format has, and was read as a default",
  help = [[
Fires, in a model of another format than tmlint's own, on a status that
is none of the format's fixed set: a Threat Dragon threat with `"status":
"Opne"` (the app offers Open, Mitigated and NotApplicable), a Threagile
risk tracked as `mitigaetd`, a Threat Composer, FlowState or OWASP Threat
Model Library status outside its schema's enumeration, or a list or
mapping where the one value belongs (a status, or an id such as an OTM
flow's `source`, a Threagile link's `target`, a Threat Composer link's
`mitigationId`). The message names
what the value was read as instead (a threat as open, a control as having
no status) and the closest value the format has. Formats whose status is
free text (an OTM threat's `state`, a pytm finding's `response`) are left
alone.

Why it matters: the adapter has to read the value as something, and it
picks the reading that hides least (an unknown threat status is open). But
the file meant something else: a threat marked mitigated or not
applicable with a typo is counted as open, and one marked resolved in a
way tmlint does not know gets findings its authors think they answered.
Either way tmlint and the file disagree, and nobody is told why. (In the
native format the same mistake is a schema violation, TM006.)

How to fix it: use one of the values the message lists, as the format's
own tool writes it. (`tmlint convert` warns about the same values: the
native file it writes holds the default they were read as.)

Meta threat: 1.3.4 (garbage in, garbage out: the model says other than
what was meant).]],
  message = "{key} '{value}' is not one of this format's values; read as {read_as} ({hint})",
  settings = {},
  run = function(model, report)
    -- each entry of model.unread: a value outside the format's set
    -- (tm.vocab), or a list or mapping where one value belongs (tm.vocab,
    -- tm.one)
    local function unknown(u)
      -- the format's own spellings when the adapter gives them, else the
      -- (lower-case) words it reads
      local known = {}
      if type(u.names) == "table" then
        for i, n in ipairs(u.names) do known[i] = n end
      else
        for k in pairs(u.map) do known[#known + 1] = k end
        table.sort(known)
      end
      local value = tm.lower(u.value) or ""
      local best, bd = nil, math.huge
      for _, k in ipairs(known) do
        local d = tm.distance(value, tm.lower(k) or "")
        if d < bd then best, bd = k, d end
      end
      local hint
      if best and bd <= math.max(1, #value // 3) then
        hint = "did you mean '" .. best .. "'?"
      else
        local shown = {}
        for i, k in ipairs(known) do shown[i] = "'" .. k .. "'" end
        hint = "it has " .. table.concat(shown, ", ")
      end
      if u.shape then
        report(u.node, { field = u.field, key = u.field, shape = u.shape, read_as = u.read_as, hint = hint,
                         message = "{key} is {shape}, not one of this format's values; read as {read_as} ({hint})" })
      else
        report(u.node, { field = u.field, key = u.field, value = u.value, read_as = u.read_as, hint = hint })
      end
    end
    for _, u in ipairs(model.unread or {}) do
      if u.shape and not u.map then
        report(u.node, { field = u.field, key = u.field, shape = u.shape, read_as = u.read_as,
                         message = "{key} is {shape} where the format has one value; read as {read_as}" })
      else
        unknown(u)
      end
    end
  end,
}
