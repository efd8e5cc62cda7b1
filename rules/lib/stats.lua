-- The numbers `tmlint audit` shows for a model: how many threats, how
-- many of them mitigated (a mitigation listed that is neither an idea nor
-- dropped nor a placeholder, tm.placeholder) and how many only say so in their status, how many accepted,
-- how many essential mitigations and how many of those state acceptance
-- criteria, the owner and the review date. And what a security lead acts
-- on (`lead`, one record each): open threats rated in the top of the
-- model's scale ("high"), accepted threats with an expiry ("accept"), and
-- mitigations with a due date that are not done or dropped ("due"); the C
-- side sorts the dates against --now.
local function pos(el)
  local line, col = tm.pos(el)
  return line or 0, col or 0
end

-- The top of a rating scale: the two highest levels of a scale of four or
-- more (high and critical by default), else the highest.
local function top(model, value)
  local levels = tm.levels(model)
  local r = tm.rank(model, value)
  if not r then return false end
  return r >= (#levels >= 4 and #levels - 1 or #levels)
end

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
  local lead = {}
  for _, t in ipairs(model.threats) do
    if t.status == "open" then
      local rating = t.severity or t.impact
      if rating and top(model, rating) then
        local line, col = pos(t)
        lead[#lead + 1] = { kind = "high", id = tm.str(t.id), title = tm.str(t.title), rating = tm.str(rating),
                            line = line, col = col }
      end
    elseif t.status == "accepted" and type(t.accept) == "table" and tm.days(t.accept.expires) then
      local line, col = pos(t)
      lead[#lead + 1] = { kind = "accept", id = tm.str(t.id), title = tm.str(t.title),
                          date = string.sub(t.accept.expires, 1, 10), by = tm.str(t.accept.by), line = line, col = col }
    end
  end
  for _, m in ipairs(model.mitigations) do
    if tm.days(m.due) and m.status ~= "done" and m.status ~= "dropped" then
      local line, col = pos(m)
      lead[#lead + 1] = { kind = "due", id = tm.str(m.id), title = tm.str(m.title), date = string.sub(m.due, 1, 10),
                          by = tm.str(m.owner), rating = tm.str(m.status) or "planned", line = line, col = col }
    end
  end
  s.lead = lead
  s.format = model.format
  if type(model.owner) == "string" and not tm.blank(model.owner) then s.owner = model.owner end
  return s
end
