-- The numbers `tmlint audit` shows for a model: how many threats, how
-- many of them mitigated (a mitigation listed that is neither an idea nor
-- dropped nor a placeholder, tm.placeholder) and how many only say so in their status, how many accepted,
-- how many essential mitigations and how many of those state acceptance
-- criteria, the owner and the review date.
return function(model)
  local s = { threats = #model.threats, mitigated = 0, claimed = 0, accepted = 0, essentials = 0, with_criteria = 0 }
  for _, t in ipairs(model.threats) do
    local real = false
    for _, m in ipairs(tm.linked(t)) do
      if m.kind ~= "idea" and m.status ~= "dropped" and not tm.placeholder(m) then real = true break end
    end
    if real then s.mitigated = s.mitigated + 1 end
    if t.status == "mitigated" then s.claimed = s.claimed + 1 end
    if t.status == "accepted" then s.accepted = s.accepted + 1 end
  end
  for _, m in ipairs(model.mitigations) do
    if m.kind == "essential" and m.status ~= "dropped" then
      s.essentials = s.essentials + 1
      if #(m.acceptance or {}) > 0 then s.with_criteria = s.with_criteria + 1 end
    end
  end
  if tm.missing(model, "reviewed") then
    s.reviewed = "-"   -- the format records no review date
  else
    s.reviewed = tm.days(model.reviewed) and string.sub(model.reviewed, 1, 10) or nil
  end
  s.format = model.format
  if type(model.owner) == "string" and not tm.blank(model.owner) then s.owner = model.owner end
  return s
end
