return {
  id = "TM345",
  name = "dormant-model",
  level = "warning",
  meta = { "1.1.3" },
  summary = "Undecided work, and no commit has touched the model in months",
  help = [[
For a model whose format records no review date (OTM, Threat Dragon,
Threat Composer, pytm, FlowState, and Threagile files without `date`),
the file's history is the only sign that anyone still works on it. Fires
once per model when the newest commit that changed the file is more than
`max_days` days before today (`--now`) and the model still holds
undecided work: open threats with no mitigation and no decision, or
essential mitigations that are not done. Only the checked-in history
counts (HEAD's first parents, the newest 10,000 commits); a model with a
review date is left to stale-model (TM101). Outside a git repository,
with `--no-repo`, or for a file not committed yet, it stays quiet.

Why it matters: threat modeling that stops halfway looks, from outside,
like threat modeling that is done. Open threats nobody has looked at for
half a year are not being handled; they are being forgotten.

How to fix it: pick the model up again: decide each open threat
(mitigate, accept with a reason, or mark it a false positive with why)
and finish or drop the planned controls, then commit the model.

Settings: max_days (180).
Meta threat: 1.1.3 (the activity falls asleep).]],
  message = "no commit has changed the model in {days} days (last: commit {commit}) and it holds undecided work: {work}",
  settings = { max_days = 180 },
  run = function(model, report, settings, ctx)
    if not tm.missing(model, "reviewed") then return end   -- TM101 reads the review date
    local open, pending = 0, 0
    for _, t in ipairs(model.threats) do
      if not t.computed and (t.status == nil or t.status == "open") then
        local any = false
        for _, m in ipairs(tm.linked(t)) do
          if m.status ~= "dropped" then any = true break end
        end
        if not any then open = open + 1 end
      end
    end
    for _, m in ipairs(model.mitigations) do
      if m.kind == "essential" and tm.pending(m) then pending = pending + 1 end
    end
    if open + pending == 0 or not tm.repo.available() then return end
    local file = tm.repo.file()
    local last = file and tm.repo.last_change({ file })
    if not last then return end
    local days = tm.days(ctx.now) - last.time // 86400
    if days <= (tonumber(settings.max_days) or 180) then return end
    local parts = {}
    if open > 0 then parts[#parts + 1] = open .. (open == 1 and " open threat" or " open threats") .. " with no mitigation" end
    if pending > 0 then parts[#parts + 1] = pending .. " essential " .. (pending == 1 and "mitigation" or "mitigations") .. " not done" end
    report(model, { days = days, commit = string.sub(last.id, 1, 12), work = table.concat(parts, ", ") })
  end,
}
