return {
  id = "TM344",
  name = "plans-never-built",
  level = "warning",
  meta = { "3.3.2" },
  summary = "The model is months old and none of its essential mitigations is done",
  help = [[
Fires once per model when the first commit that added the model file is
at least `max_days` days before today (`--now`), the model lists at least
`min_essential` essential mitigations (not dropped), and not one of them
is done. The age comes from the checked-in history (HEAD's first parents,
the newest 10,000 commits): when the walk stops before the file's first
commit, the real age is only larger. Outside a git repository, with
`--no-repo`, or for a file not committed yet, it stays quiet.

Why it matters: a model whose controls are all still "planned" half a
year after it was written is a plan nobody is carrying out. It reads as
managed risk while the system runs with none of the defences it
describes.

How to fix it: build the mitigations and mark them done, or record what
really happened: move the work into the team's tracker (`issue:`),
drop what will not be built, and accept, with a reason, the risk that is
left.

Settings: max_days (180), min_essential (3).
Meta threat: 3.3.2 (plans that are never implemented).]],
  message = "the model was first committed {days} days ago (commit {commit}) and none of its {count} essential mitigations is done",
  settings = { max_days = 180, min_essential = 3 },
  needs = { "kind" },   -- a format with no essential/idea split: not applicable
  run = function(model, report, settings, ctx)
    local count = 0
    for _, m in ipairs(model.mitigations) do
      if m.kind == "essential" and m.status ~= "dropped" then
        if m.status == "done" then return end
        count = count + 1
      end
    end
    if count < (tonumber(settings.min_essential) or 3) or not tm.repo.available() then return end
    local file = tm.repo.file()
    local first = file and tm.repo.first_change({ file })
    if not first then return end   -- not committed yet, or no history
    local days = tm.days(ctx.now) - first.time // 86400
    if days >= (tonumber(settings.max_days) or 180) then
      report(model, { field = "mitigations", days = days, commit = string.sub(first.id, 1, 12), count = count })
    end
  end,
}
