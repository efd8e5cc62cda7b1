return {
  id = "TM105",
  name = "unknown-threat",
  level = "error",
  meta = { "1.3.4" },
  summary = "A reference names a threat the model does not define",
  help = [[
Fires at each place in the file that refers to a threat by an id that no
threat of the model has: an Open Threat Model component or data flow
whose `threats:` instance names an undefined threat, an OWASP Threat Model
Library control or risk that lists one, a Threat Composer mitigation link
to an id that is neither a threat nor an assumption, and the like. The
message gives the closest id the model does define, or the ids it has.

Why it matters: the reference was meant to attach a threat to a part of
the system, a control or a rating, and it attaches nothing. Every
conclusion drawn from it is then wrong: the component looks untouched by
threats, the control looks unused, the rating rates nothing. tmlint stays
quiet about those consequences (TM103, TM104) and reports the cause here.

How to fix it: correct the id, or add the threat the reference expects.

Meta threat: 1.3.4 (inconsistent model of the system).]],
  message = "this refers to threat '{ref}', which the model does not define; {hint}",
  settings = {},
  run = function(model, report)
    local refs = {}
    for _, u in ipairs(model.unresolved or {}) do
      if u.kind == "threat" then refs[#refs + 1] = u end
    end
    if #refs == 0 then return end
    local ids = {}
    for _, t in ipairs(model.threats) do
      if t.id then ids[#ids + 1] = t.id end
    end
    for _, u in ipairs(refs) do
      report(u.at, { field = u.field, ref = u.id, hint = tm.suggest(u.id, ids) })
    end
  end,
}
