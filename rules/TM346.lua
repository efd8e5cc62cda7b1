-- Neutralizers, on the line that runs the command.
local SWALLOW = "(\\|\\|\\s*(?:true\\b|:(?!\\S)|exit\\s+0\\b))"
local FAIL_NONE = "--fail-on(?:=|\\s+)[\"']?(?:none|off)\\b"

local function mentions(line, cmds)
  for _, cmd in ipairs(cmds) do
    local from = 1
    while true do
      local i, j = string.find(line, cmd, from, true)
      if not i then break end
      local before, after = string.sub(line, i - 1, i - 1), string.sub(line, j + 1, j + 1)
      if not re.test(before, "[\\w.-]") and not re.test(after, "[\\w.-]") then return true end
      from = j + 1
    end
  end
  return false
end

-- The lines of a command text that run one of cmds: { line, neutralized how or nil }.
local function runs_in(text, cmds, out)
  if type(text) ~= "string" then return out end
  local from = 1
  while from <= #text do
    local nl = string.find(text, "\n", from, true) or #text + 1
    local line = string.sub(text, from, nl - 1)
    from = nl + 1
    if mentions(line, cmds) then
      local how = nil
      local swallow = re.match(line, SWALLOW)
      if swallow then how = "`" .. swallow .. "` after it throws its exit status away"
      elseif re.test(line, FAIL_NONE) then how = "`--fail-on none` makes it exit 0 whatever it finds" end
      out[#out + 1] = how or false
    end
  end
  return out
end

local function is_true(v) return v == true or v == "true" end

return {
  id = "TM346",
  name = "ci-cannot-fail",
  level = "warning",
  meta = { "2.2.3" },
  summary = "CI runs tmlint in a way that can never fail the build",
  help = [[
Reads the repository's CI configuration (GitHub workflows, `.gitlab-ci.yml`,
`.pre-commit-config.yaml`, and CircleCI, Azure Pipelines, Bitbucket, Drone
and Woodpecker files) and fires where a job runs tmlint and nothing in
that job lets tmlint's findings fail it: `continue-on-error: true` on the
step or the job, `allow_failure:` on a GitLab job, `|| true` (or `|| :`,
`|| exit 0`) after every run of it, or `--fail-on none`. A job that runs
tmlint once to collect a report with `|| true` and once more to gate is
fine, and so is keeping the exit status to fail a later step
(`|| echo "status=$?" >>"$GITHUB_ENV"`). The finding is at the line in
the CI file, reported once per run with the repository's first model.
Outside a git repository or with `--no-repo`, it stays quiet.

Why it matters: a check whose result cannot fail anything is a check
nobody reads. The threat models look gated to everyone who sees the job
in the pipeline, while findings pile up without stopping a single merge.

How to fix it: let the job fail on findings (drop the `|| true`, the
`continue-on-error`, the `allow_failure`), and choose what fails it with
`--fail-on` and a baseline (`--baseline`) for the findings already
known. To upload SARIF before failing, keep the exit status and fail in
a later step.

Settings: commands (the command names that count as running the
checker: {"tmlint"}).
Meta threat: 2.2.3 (tool output ignored).]],
  message = "{how}: this job runs {command} but its findings can never fail it",
  settings = { commands = { "tmlint" } },
  reads_ci = true,   -- tm.repo.ci(): the repository's CI files are read only when such a rule runs
  run = function(model, report, settings)
    if not tm.repo.available() then return end
    local cmds = {}
    for _, c in ipairs(tm.list(settings.commands)) do
      if type(c) == "string" and c ~= "" then cmds[#cmds + 1] = c end
    end
    if #cmds == 0 then return end
    local command = cmds[1]
    -- one job: the places that run the command, each with its neutralizer
    -- (or false); the job's own "allow failure" flag
    local function judge(job_flag, places)
      if #places == 0 then return end
      if job_flag then
        report(job_flag.at, { field = job_flag.field, how = job_flag.how, command = command })
        return
      end
      for _, p in ipairs(places) do
        if not p.how then return end   -- one run of it can fail the job
      end
      for _, p in ipairs(places) do
        report(p.at, { field = p.field, how = p.how, command = command })
      end
    end
    local function text_places(at, field, text, places)
      for _, how in ipairs(runs_in(text, cmds, {})) do
        places[#places + 1] = { at = at, field = field, how = how or nil }
      end
    end
    for _, ci in ipairs(tm.repo.ci() or {}) do
      local tree = ci.tree
      if type(tree) ~= "table" then goto next_file end
      if string.sub(ci.path, 1, 18) == ".github/workflows/" then
        for name, job in pairs(type(tree.jobs) == "table" and tree.jobs or {}) do
          if type(job) == "table" then
            local places = {}
            for i, step in ipairs(type(job.steps) == "table" and job.steps or {}) do
              if type(step) == "table" then
                local here = {}
                text_places(step, "run", step.run, here)
                if type(step.uses) == "string" and mentions(step.uses, cmds) then
                  local with = type(step.with) == "table" and step.with or {}
                  local fo = with["fail-on"]
                  here[#here + 1] = { at = (fo == "none" or fo == "off") and with or step,
                                      field = (fo == "none" or fo == "off") and "fail-on" or "uses",
                                      how = (fo == "none" or fo == "off") and "`fail-on: none` makes it pass whatever it finds" or nil }
                end
                if #here > 0 and is_true(step["continue-on-error"]) then
                  here = { { at = step, field = "continue-on-error", how = "`continue-on-error: true` on the step" } }
                end
                for _, p in ipairs(here) do places[#places + 1] = p end
              end
            end
            local flag = is_true(job["continue-on-error"]) and
              { at = job, field = "continue-on-error", how = "`continue-on-error: true` on job '" .. tostring(name) .. "'" } or nil
            judge(flag, places)
          end
        end
      elseif ci.path == ".gitlab-ci.yml" then
        for name, job in pairs(tree) do
          if type(job) == "table" and type(name) == "string" and string.sub(name, 1, 1) ~= "." then
            local places = {}
            for _, key in ipairs({ "before_script", "script", "after_script" }) do
              local v = job[key]
              if type(v) == "string" then text_places(job, key, v, places)
              elseif type(v) == "table" then
                for i, line in ipairs(v) do text_places(v, tostring(i), line, places) end
              end
            end
            local af = job.allow_failure
            local flag = (is_true(af) or type(af) == "table") and
              { at = job, field = "allow_failure", how = "`allow_failure` on job '" .. name .. "'" } or nil
            judge(flag, places)
          end
        end
      elseif ci.path == ".pre-commit-config.yaml" then
        for _, repo in ipairs(type(tree.repos) == "table" and tree.repos or {}) do
          for _, hook in ipairs(type(repo) == "table" and type(repo.hooks) == "table" and repo.hooks or {}) do
            if type(hook) == "table" and type(hook.id) == "string" and mentions(hook.id, cmds) then
              local args = {}
              for _, a in ipairs(type(hook.args) == "table" and hook.args or {}) do args[#args + 1] = tostring(a) end
              if re.test(table.concat(args, " "), FAIL_NONE) then
                report(hook, { field = "args", how = "`--fail-on none` in the hook's args makes it pass whatever it finds", command = command })
              end
            end
          end
        end
      else
        -- other CI files: the whole file is one job; every string may be a command
        local places = {}
        local seen = {}
        local function walk(t, depth)
          if depth > 32 or seen[t] then return end
          seen[t] = true
          for k, v in pairs(t) do
            if type(v) == "string" then text_places(t, tostring(k), v, places)
            elseif type(v) == "table" then walk(v, depth + 1) end
          end
        end
        walk(tree, 0)
        judge(nil, places)
      end
      ::next_file::
    end
  end,
}
