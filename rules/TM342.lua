return {
  id = "TM342",
  name = "change-without-model",
  level = "warning",
  meta = { "1.2.2", "0.4.5" },
  summary = "A change touches a component's code and leaves its model alone",
  help = [[
Fires on a component with `paths:` when the change under check touches a
file those globs match and does not touch the model file. The change is
what `--staged` finds in the index (the pre-commit hook) or what
`--changed-since REF` finds between the merge base of REF and HEAD and
the work tree (CI, with the target branch as REF). Files git does not
track are not part of a change. Without either option, outside a git
repository or with `--no-repo`, it stays quiet.

A commit can acknowledge its own code change: a message line
`Threat-Model-Unchanged: REASON` (a reason of four words or more) says
why the model need not move. Under `--changed-since` each commit of the
change counts on its own, so the rule fires only for code touched by a
commit without that trailer (or by the uncommitted work tree); under
`--staged`, `--commit-msg FILE` reads the message being written.

Why it matters: "we will update the threat model later" is how models
fall behind. The moment a change to a component is reviewed is the
cheapest time to ask whether its threats still hold; once it has merged,
nobody asks.

How to fix it: look at the component's threats in the light of the
change and update the model in the same change (a new threat, a changed
mitigation, or at least a new `reviewed:` date). If the change cannot
matter to the model (a comment, a test), say so in the commit's
`Threat-Model-Unchanged:` trailer, or narrow the component's `paths`.

Meta threat: 1.2.2 (threat modeling postponed until it never happens).]],
  message = "component {label}: this change touches its code ({paths}) and not the model",
  settings = {},
  run = function(model, report)
    local any = false
    for _, c in ipairs(model.components) do
      if c.paths and #c.paths > 0 then any = true break end
    end
    if not any or not tm.repo.available() then return end
    local file = tm.repo.file()
    if not file then return end
    local mine = tm.repo.changed({ file })
    if mine == nil or mine then return end   -- no change under check, or the model is part of it
    for _, c in ipairs(model.components) do
      if c.paths and #c.paths > 0 and tm.repo.changed(c.paths, { unacknowledged = true }) then
        local label = tm.label(c)
        report(c, { field = "paths", label = label, paths = table.concat(c.paths, ", ") })
      end
    end
  end,
}
