return {
  id = "TM347",
  name = "threat-deleted-undecided",
  level = "warning",
  meta = { "2.1.12" },
  summary = "The change deletes a threat that was still open, with no decision recorded",
  help = [[
Compares the model with its version at the base commit of the change under
check (`--changed-since REF`: the merge base with REF; `--staged`: HEAD)
and fires for each threat that was open there (no mitigation, no accept,
transfer or false-positive decision) and is gone now: no threat with its
id, or, for a threat without an id, its title. One finding per threat,
at the model's list of threats. Without either option, outside a git
repository, with `--no-repo`, or when the change leaves the file alone,
it stays quiet.

Why it matters: deleting a threat is the quietest way to make an
uncomfortable one go away. It leaves no accept to sign, no reason to
write and nothing for a reviewer to question, and the next reader never
learns the threat was raised.

How to fix it: keep the threat and record what was decided: mitigate it,
accept it with a reason and an owner, or mark it a false positive and say
why. If it really was a duplicate, say so in the threat it duplicated
(and suppress this finding with that reason).

Meta threat: 2.1.12 (uncomfortable threats left out).]],
  message = "threat {label} was open at the base commit {commit} and this change deletes it without a decision",
  settings = {},
  run = function(model, report)
    local base = tm.repo.base()
    if not base or type(base.model) ~= "table" then return end
    local ids, titles = {}, {}
    for _, t in ipairs(model.threats) do
      if t.id then ids[t.id] = true end
      local n = tm.norm(t.title)
      if n ~= "" then titles[n] = true end
    end
    for _, t in ipairs(base.model.threats or {}) do
      local open = not t.computed and (t.status == nil or t.status == "open")
      if open then
        for _, m in ipairs(tm.linked(t)) do
          if m.status ~= "dropped" then open = false break end
        end
      end
      local gone
      if t.id then gone = not ids[t.id] else gone = tm.norm(t.title) ~= "" and not titles[tm.norm(t.title)] end
      if open and gone then
        local label = "'" .. (t.id or t.title or "?") .. "'"
        if t.id and not tm.blank(t.title) then label = "'" .. t.id .. "' (" .. t.title .. ")" end
        report(model, { field = tm.field(model, "threats"), label = label, commit = string.sub(base.commit or "?", 1, 12) })
      end
    end
  end,
}
