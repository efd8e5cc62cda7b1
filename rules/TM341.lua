return {
  id = "TM341",
  name = "model-behind-code",
  level = "warning",
  meta = { "1.2.1", "0.4.5" },
  summary = "The code a component describes changed well after the model last did",
  help = [[
Fires on a component with `paths:` (globs, relative to the repository
root, of the code it describes) when the newest commit touching those
paths is more than `max_commits` commits newer than the newest commit
touching the model file, or more than `max_days` days newer. Only the
checked-in history counts (HEAD's first parents, the newest 10,000
commits); uncommitted changes do not. Outside a git repository, with
`--no-repo`, or for a model file that is not committed yet, it stays
quiet.

Why it matters: a threat model describes the system as it was when it was
written. Once the code has moved on by many commits or many weeks and the
model has not, the threats and controls it lists describe a system that
no longer exists, and a review built on it misses what changed.

How to fix it: review the component's threats against what changed (the
message names the commit) and commit the model, even if only its
`reviewed:` date changes.

Meta threat: 1.2.1 (outdated threat model).]],
  message = "component {label} changed in commit {commit} ({ahead} commits and {days} days after the model last changed)",
  settings = { max_commits = 20, max_days = 90 },
  run = function(model, report, settings)
    local any = false
    for _, c in ipairs(model.components) do
      if c.paths and #c.paths > 0 then any = true break end
    end
    if not any or not tm.repo.available() then return end   -- no history walk for nothing
    local file = tm.repo.file()
    if not file then return end
    local mine = tm.repo.last_change({ file })
    if not mine then return end   -- not committed yet, or no history
    local max_commits = tonumber(settings.max_commits) or 20
    local max_days = tonumber(settings.max_days) or 90
    for _, c in ipairs(model.components) do
      if c.paths and #c.paths > 0 then
        local code = tm.repo.last_change(c.paths)
        if code and code.age < mine.age then
          local ahead = mine.age - code.age
          local days = (code.time - mine.time) // 86400
          if ahead > max_commits or days > max_days then
            local label = tm.label(c)
            report(c, { field = "paths", label = label, commit = string.sub(code.id, 1, 12),
                        ahead = ahead, days = days < 0 and 0 or days })
          end
        end
      end
    end
  end,
}
