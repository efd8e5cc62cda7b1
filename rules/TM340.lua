return {
  id = "TM340",
  name = "missing-evidence",
  level = "error",
  meta = { "3.3.10" },
  summary = "A mitigation's verified_by names a test that is not in the repository",
  help = [[
Fires on a mitigation whose `verified_by` names a path in the repository
(relative to its root, such as `tests/auth/lockout_test.py`, optionally
with a test name after `::`) when that file does not exist, or when the
file does not contain the test name. Texts that are not paths ("pen test
report of March") are left alone, and so is a model outside a git
repository or checked with `--no-repo` (the summary says so).

Why it matters: `verified_by` is the claim that a control has been shown
to work. A test that was renamed, moved or deleted leaves the claim in
place while nothing checks the control any more: the mitigation looks
verified and is not.

How to fix it: point `verified_by` at the test as it is now named, or
restore the test; if the control is no longer tested, say so and reopen
the mitigation.

Meta threat: 3.3.10 (broken mitigation).]],
  message = "mitigation '{id}' is verified_by '{ref}', {problem}",
  settings = {},
  run = function(model, report)
    if not tm.repo.available() then return end
    for _, m in ipairs(model.mitigations) do
      local v = tm.str(m.verified_by)
      if v then
        local path, name = tm.evidence(v)
        if path then
          if not tm.repo.exists(path) then
            report(m, { field = "verified_by", ref = v, problem = "but the repository has no '" .. path .. "'" })
          elseif name and not tm.repo.contains(path, name) then
            report(m, { field = "verified_by", ref = v, problem = "but '" .. path .. "' has no test '" .. name .. "'" })
          end
        end
      end
    end
  end,
}
