# Editor help for rule authors: rules/editor/ is generated from the docs and
# up to date (tools/gen-rule-api.py --check, which also fails when tm.lua
# defines a helper the docs do not list); luacheck with that standard passes
# on every Lua file tmlint ships and flags what the sandbox lacks (io.open)
# and a misspelt helper (tm.scna).
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
run /usr/bin/python3 tools/gen-rule-api.py --check
expect_rc 0 "rules/editor/ is generated from the docs as they are"
[ "$rc" = 0 ] || cat "$WORK/out" >&2
if ! command -v luacheck >/dev/null; then
  echo "luacheck is not installed (apt-get install lua-check); .ci/run installs it"
  fail "luacheck missing"; finish; exit
fi
STD=rules/editor/luacheckrc.lua
# the built-in rules and adapters with the team's standard; tmlint's own
# library files (and the native adapter) may use the internal tmnative
run luacheck --no-color --config "$STD" --read-globals tmnative -- rules/*.lua rules/formats/*.lua rules/lib/*.lua
expect_rc 0 "luacheck: every built-in rule, adapter and library file"
[ "$rc" = 0 ] && pass || grep -v "OK$" "$WORK/out" >&2
run luacheck --no-color --config "$STD" -- rules/*.lua
expect_rc 0 "luacheck: the built-in rules need nothing beyond the team's standard"
run luacheck --no-color --std lua54 --no-unused-args --no-max-line-length --globals tm re -- rules/editor/tmlint.d.lua
expect_rc 0 "luacheck: the type annotations parse"
run luacheck --no-color --std lua54 --no-max-line-length --globals stds std unused_args max_line_length -- "$STD"
expect_rc 0 "luacheck: the standard itself"
run luacheck --no-color --config "$STD" -- samples/adapters/*.lua
expect_rc 0 "luacheck: the sample adapters"
# what it is for: the sandbox's missing libraries and a misspelt helper
cat >"$WORK/BAD1.lua" <<'LUA'
return {
  id = "BAD1", name = "bad", level = "warning", meta = { "2.1.6" },
  summary = "s", help = "h", message = "m",
  run = function(model, report)
    local f = io.open("/etc/passwd")
    for _, t in ipairs(tm.scna(model)) do report(t) end
    return f, os.time()
  end,
}
LUA
run luacheck --no-color --config "$STD" -- "$WORK/BAD1.lua"
expect_rc 1 "luacheck flags a rule that reaches outside the sandbox"
expect_in "$WORK/out" "accessing undefined variable 'io'" "io.open flagged"
expect_in "$WORK/out" "accessing undefined variable 'os'" "os flagged"
expect_in "$WORK/out" "accessing undefined field 'scna' of global 'tm'" "a misspelt helper flagged"
# the annotations name every documented helper and the model's types
for want in "function tm.repo.changed(globs, opts) end" "function re.find(s, pat, init, flags) end" \
            "---@class tmlint.Threat" "---@field status string" "---@field links table[]" \
            "---@field run fun(model: tmlint.Model, report: tmlint.Report, settings: table, ctx: tmlint.Ctx)"; do
  expect_in rules/editor/tmlint.d.lua "$want" "annotations: $want"
done
finish
