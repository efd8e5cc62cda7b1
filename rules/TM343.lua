return {
  id = "TM343",
  name = "failing-evidence",
  level = "error",
  meta = { "3.3.10" },
  summary = "An essential mitigation marked done is verified by a test that did not pass",
  help = [[
With `--test-results FILE` (JUnit XML, repeatable), fires on an essential
mitigation with `status: done` whose `verified_by` names a test
(`tests/auth_test.py::test_lockout`) or a test file (`tests/auth_test.py`)
when that test failed, errored or was skipped in the results, or is not in
them at all. A test is matched by its name (a class before it as in
`TestLogin::test_lockout`, pytest's `[parameters]` after it, jest's
describe titles before it) and placed in its file by the results' `file`
attribute or by a classname that spells the path (`tests.auth_test`); a
producer that records neither, as ctest does, is matched by name alone.
A verified_by in prose is left alone. Without `--test-results`, or when a
results file cannot be read, it stays quiet.

Why it matters: "done, and verified by this test" is the claim that the
control works. If that test fails, is skipped, or no longer runs, the
claim stands in the model while the control may be broken.

How to fix it: make the test pass and run, or reopen the mitigation
(`status: in-progress`) until it does. If the test was renamed, point
`verified_by` at its new name.

Meta threat: 3.3.10 (broken mitigation).]],
  message = "mitigation '{id}' is done and verified_by '{ref}', {problem}",
  settings = {},
  run = function(model, report)
    if not tm.tests.available() then return end
    for _, m in ipairs(model.mitigations) do
      if m.kind == "essential" and m.status == "done" then
        local path, name = tm.evidence(m.verified_by)
        if path then
          local r = tm.tests.find(path, name)
          local problem
          if not r then
            problem = "which is not in the test results"
          elseif r.result ~= "passed" then
            problem = "but test '" .. r.test .. "' " .. r.result .. " (" .. r.at .. ")"
            if r.message and not tm.blank(r.message) then
              problem = problem .. ": " .. string.sub(tm.trim(r.message), 1, 200)
            end
          end
          if problem then report(m, { field = "verified_by", ref = m.verified_by, problem = problem }) end
        end
      end
    end
  end,
}
