return {
  id = "TM318",
  name = "no-harm-reduction",
  level = "note",
  meta = { "3.2.10b" },
  summary = "A threat of the highest impact has only mitigations that reduce likelihood",
  help = [[
Fires on a threat still in play whose `impact` is the highest level of the
scheme when at least one of its mitigations says what it reduces
(`reduces`) and every one that does says `likelihood` only.

Why it matters: likelihood reducers make an attack harder; they do nothing
once it succeeds. For threats whose impact is the worst the scheme knows,
something should also limit the damage when prevention fails.

How to fix it: add a mitigation that reduces impact (`reduces: impact` or
`both`): encryption, data minimisation, least privilege, segmentation,
detection and response, backups.

Meta threat: 3.2.10b (no harm reduction).]],
  message = "threat '{id}' has {level} impact but its mitigations only reduce likelihood",
  settings = {},
  run = function(model, report)
    local levels = tm.levels(model)
    for _, t in ipairs(model.threats) do
      if not tm.settled[t.status] and tm.rank(model, t.impact) == #levels then
        local said, harm = 0, false
        for _, m in ipairs(tm.linked(t)) do
          if m.status ~= "dropped" and m.reduces then
            said = said + 1
            if m.reduces ~= "likelihood" then harm = true end
          end
        end
        if said > 0 and not harm then
          report(t, { field = "impact", level = levels[#levels] })
        end
      end
    end
  end,
}
