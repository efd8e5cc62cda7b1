# What a hostile repository can hold, one block per row of the table in
# docs/security.md: each ends within its timeout (a hang guard, not a speed
# test), with exit 2 where tmlint refuses the input, and nothing read from
# outside the tree, written, or executed that should not be.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
MB=samples/findings/mobile-banking.tm.yaml
R="$WORK/repo"
mkdir -p "$R/.git"
cp "$MB" "$R/model.tm.yaml"

rules_with() { # rules_with DIR FILE...: the built-in rules, plus FILEs
  local d=$1; shift
  mkdir -p "$d" && cp -r rules/. "$d/" && cp "$@" "$d/"
}
rule() { # rule ID BODY: a team rule whose run function is BODY
  printf 'return { id = "%s", name = "hostile-%s", level = "note", summary = "s", help = "h", message = "{m}",\n  run = function(model, report)\n%s\n  end }\n' "$1" "$1" "$2" >"$WORK/$1.lua"
}

# ---- a rule's budget covers all it makes tmlint do ----
rule TM951 'setmetatable({}, {__gc = function() while true do end end})'
rule TM952 'return string.rep("", math.maxinteger)'
rule TM953 'return table.move({}, 1, math.maxinteger - 1, 2, {})'
rule TM954 'local s = ("a"):rep(30) .. "!" while true do pcall(re.find, s, "(a+)+$") end'
rule TM955 'local s = ("a"):rep(200000) local p = ("a"):rep(100000) .. "b"
for i = 1, 50 do s:find(p, 1, true) end'
# (report keeps at most 2000 bytes of a message but charges the length of
# all of it, so huge messages end in the instruction budget)
rule TM956 'local m = ("x"):rep((1 << 20) - 64) for i = 1, 100000 do report(model.node, {m = m}) end'
rules_with "$WORK/budget" "$WORK"/TM95[1-6].lua
run timeout 60 "$TMLINT" check --rules-dir "$WORK/budget" --max-rule-memory 64 --now "$NOW" "$R/model.tm.yaml"
expect_rc 2 "budget rules: the run fails"
for pair in "TM951:finalizers (__gc) are not allowed" "TM952:ran past its budget" "TM953:ran past its budget" \
            "TM954:match limit" "TM955:ran past its budget" "TM956:ran past its budget"; do
  id=${pair%%:*} text=${pair#*:}
  grep "rule $id" "$WORK/err" | grep -qF "$text" && pass || { fail "$id: '$text' not reported"; grep "$id" "$WORK/err" >&2; }
done
expect_in "$WORK/out" "[TM310 threat-without-mitigation]" "built-in rules still ran"
# a message is cut at 2000 characters, with a visible ellipsis
rule TM957 'report(model.node, {m = ("y"):rep(100000)})'
rules_with "$WORK/long" "$WORK/TM957.lua"
run timeout 20 "$TMLINT" check --rules-dir "$WORK/long" --format json "$R/model.tm.yaml"
[ "$(grep -o 'y*…' "$WORK/out" | head -1 | wc -c)" -le 2010 ] && pass || fail "long message not cut"
expect_in "$WORK/out" "yyyy…" "ellipsis shown"
# a wall-clock deadline per rule call
rule TM958 'local t = {} for i = 1, 2000 do t[i] = ("k"):rep(2000) .. i end
while true do table.sort(t, function(a, b) return a > b end) end'
rules_with "$WORK/slow" "$WORK/TM958.lua"
run timeout 60 "$TMLINT" check --rules-dir "$WORK/slow" --max-rule-time 1 --max-rule-instructions 100000000000 "$R/model.tm.yaml"
expect_rc 2 "a slow rule"
expect_in "$WORK/err" "rule TM958 stopped: it ran past its time limit of 1 s (--max-rule-time)" "time limit"

# ---- special files named as adapter or rule ----
mkdir -p "$WORK/dz" && cp "$MB" "$WORK/dz/m.tm.yaml"
printf 'adapter: /dev/zero\n' >"$WORK/dz/.tmlint.yaml"
run timeout 20 "$TMLINT" check "$WORK/dz"
expect_rc 2 "adapter /dev/zero"
expect_in "$WORK/err" "/dev/zero" "device named"
mkfifo "$WORK/dz/fifo.lua"
printf 'adapter: fifo.lua\n' >"$WORK/dz/.tmlint.yaml"
run timeout 20 "$TMLINT" check "$WORK/dz"
expect_rc 2 "adapter FIFO"
expect_in "$WORK/err" "fifo.lua" "FIFO named"
rules_with "$WORK/zr" "$WORK/TM957.lua" && ln -sf /dev/zero "$WORK/zr/TM957.lua"
run timeout 20 "$TMLINT" check --rules-dir "$WORK/zr" "$R/model.tm.yaml"
expect_rc 2 "rule file linked to /dev/zero"
expect_in "$WORK/err" "TM957.lua" "rule file named"

# ---- caps on what one file holds ----
/usr/bin/python3 -c "import sys; sys.stdout.write('---\n' * 2000000)" >"$WORK/docs.tm.yaml"
run timeout 30 "$TMLINT" check "$WORK/docs.tm.yaml"
expect_rc 2 "two million documents"
expect_in "$WORK/err" "docs.tm.yaml:1001:1: error: more than 1000 YAML documents in one file (--max-documents)" "document cap"
rm -f "$WORK/docs.tm.yaml"
for v in '~' 'null' '---'; do
  printf '%s\n' "$v" >"$WORK/empty.tm.yaml"
  run "$TMLINT" check "$WORK/empty.tm.yaml"; expect_rc 2 "a file of only '$v'"
done

# ---- nothing from outside the tree ----
T="$WORK/tree"; mkdir -p "$T/.git" "$T/models" "$WORK/outside"
cp "$MB" "$T/models/in.tm.yaml"
cp "$MB" "$WORK/outside/secret.tm.yaml"
ln -s / "$T/rootfs"
ln -s "$WORK/outside" "$T/elsewhere"
ln -s "$WORK/outside/secret.tm.yaml" "$T/linked-out.tm.yaml"
cp "$MB" "$T/models/notes.yaml"; ln -s models/notes.yaml "$T/linked-in.tm.yaml"
ln -s .. "$T/models/loop"
run timeout 20 "$TMLINT" check --verbose --now "$NOW" "$T"
expect_rc 1 "a tree with links out"
expect_not_in "$WORK/out" "secret.tm.yaml" "nothing outside is checked"
expect_not_in "$WORK/out" "elsewhere/" "linked directory not walked"
expect_in "$WORK/out" "tree/models/in.tm.yaml:" "the model inside is checked"
expect_in "$WORK/out" "tree/linked-in.tm.yaml:" "a link to a file inside is followed"
expect_in "$WORK/err" "rootfs: skipped: a symbolic link to a directory" "link to / skipped, said"
expect_in "$WORK/err" "linked-out.tm.yaml: skipped: a symbolic link to a file outside" "link out skipped, said"
rm "$T/rootfs"
run timeout 20 "$TMLINT" check --follow-symlinks --now "$NOW" "$T"
expect_rc 1 "--follow-symlinks: loops end"
expect_in "$WORK/out" "tree/elsewhere/secret.tm.yaml:31:5:" "--follow-symlinks follows"
[ "$(grep -c "MB-2' has no mitigation" "$WORK/out")" = 3 ] && pass || fail "--follow-symlinks: each file once (in, linked-in, secret; linked-out is secret again)"

# configuration discovery: not above the repository root, nor above the
# working directory without one; never from a world-writable directory
P="$WORK/parent"; mkdir -p "$P/child"
printf 'rules:\n' >"$P/.tmlint.yaml"
for id in $("$TMLINT" rules --format json | grep -o '"id": "TM[0-9]*"' | grep -o 'TM[0-9]*'); do
  printf '  %s: off\n' "$id" >>"$P/.tmlint.yaml"
done
cp "$MB" "$P/child/m.tm.yaml"
(cd "$P/child" && "$TMLINT" check --verbose --now "$NOW" m.tm.yaml >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 1 "a parent's configuration is not read without .git"
expect_in "$WORK/err" "m.tm.yaml: configuration: none (defaults)" "verbose names the configuration"
mkdir -p "$P/.git"
(cd "$P/child" && "$TMLINT" check --now "$NOW" m.tm.yaml >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 0 "inside a repository the root's configuration applies"
rmdir "$P/.git"
chmod 777 "$P/child" && cp "$P/.tmlint.yaml" "$P/child/.tmlint.yaml"
(cd "$P/child" && "$TMLINT" check --verbose --now "$NOW" m.tm.yaml >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 1 "a world-writable directory's configuration is ignored"
expect_in "$WORK/err" "ignored: it is in a world-writable directory" "said why"
chmod 755 "$P/child"

# ---- arguments are never options by accident ----
V="$WORK/victim"; mkdir -p "$V/.git"; cp "$MB" "$V/victim.tm.yaml"; : >"$V/--output=victim.tm.yaml"
sum=$(sha256sum <"$V/victim.tm.yaml")
entry=$(sed -n 's/^ *entry: *//p' .pre-commit-hooks.yaml); args=$(sed -n 's/^ *args: *\[\(.*\)\]/\1/p' .pre-commit-hooks.yaml | tr -d '",')
(cd "$V" && "$TMLINT" ${entry#tmlint } $args -- --output=victim.tm.yaml victim.tm.yaml >/dev/null 2>&1)
[ "$(sha256sum <"$V/victim.tm.yaml")" = "$sum" ] && pass || fail "a staged file named --output=... overwrote a model"
run "$TMLINT" check --output "$V/victim.tm.yaml" "$V/victim.tm.yaml"
expect_rc 2 "--output naming the checked file"
[ "$(sha256sum <"$V/victim.tm.yaml")" = "$sum" ] && pass || fail "the checked file was overwritten"

# ---- no injection into any output ----
I="$WORK/inject"; mkdir -p "$I/.git"
evil=$(printf 'x\033[31m\nfake.tm.yaml:1:1: error: forged [TM000 x]\n')
cp "$MB" "$I/$evil.tm.yaml"
printf 'model: 1\ntitle: t\nowner: o\nthreats:\n  - id: "A\\e]0;pwn\\a\\nB"\n    status: open\n' >"$I/key.tm.yaml"
run "$TMLINT" check --now "$NOW" "$I"
expect_rc 1 "control characters in names"
grep -q "$(printf '\033')" "$WORK/out" "$WORK/err" && fail "an escape byte reached the terminal" || pass
grep -q '^fake.tm.yaml' "$WORK/out" "$WORK/err" && fail "a forged finding line appeared" || pass
expect_in "$WORK/out" 'x\x1b[31m\x0afake.tm.yaml:1:1: error: forged [TM000 x].tm.yaml:31:5: error:' "name escaped"
expect_in "$WORK/out" "threat 'A\\x1b]0;pwn\\x07 B' has no mitigation" "key escaped"
[ "$(wc -l <"$WORK/out")" = "$(grep -c ' \[TM[0-9]* [a-z-]*\]$' "$WORK/out")" ] && pass || fail "a finding spans lines"

# invalid UTF-8 in a file name: JUnit is well-formed XML, the audit page UTF-8
U="$WORK/utf"; mkdir -p "$U/.git"; cp "$MB" "$U/$(printf 'bad\377\376name').tm.yaml"
run "$TMLINT" check --now "$NOW" --format junit --output "$WORK/j.xml" "$U"
/usr/bin/python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$WORK/j.xml" && pass || fail "JUnit not well-formed"
run "$TMLINT" audit --now "$NOW" --format html --output "$WORK/u.html" "$U"
/usr/bin/python3 -c "import sys; open(sys.argv[1], 'rb').read().decode('utf-8')" "$WORK/u.html" && pass || fail "HTML not UTF-8"
expect_in "$WORK/u.html" "bad��name" "replacement characters"

# a baseline that was not written by tmlint
printf '{"runs": [{"results": [{"ruleId": "TM310", "partialFingerprints": {"tmlint/v1": "abc\\",\\"evil\\":\\"1\\u001b"}}]}]}' >"$WORK/evil.sarif"
printf 'old\n' >"$WORK/new.sarif"
run "$TMLINT" check --baseline "$WORK/evil.sarif" --format sarif --output "$WORK/new.sarif" "$R/model.tm.yaml"
expect_rc 2 "a forged baseline fingerprint"
expect_in "$WORK/err" "evil.sarif:1:24: error: baseline result 1 has a fingerprint tmlint does not write" "baseline refused at its place"
expect_in "$WORK/new.sarif" "old" "nothing written"

# the audit page: a directory named like a script
A="$WORK/audit"; J='javascript:alert(1337)<!--'; X='<img src=x onerror="document.body.dataset.pwned=1">'
mkdir -p "$A/$J" "$A/$X"; cp "$MB" "$A/$J/m.tm.yaml"; cp "$MB" "$A/$X/m.tm.yaml"
(cd "$A" && "$TMLINT" audit --now "$NOW" --format html --output report.html "$J" "$X" >/dev/null 2>"$WORK/err")
expect_in "$A/report.html" "href=\"file://$(cd "$A" && pwd -P)/javascript%3Aalert%281337%29%3C%21--/m.tm.yaml#L31\"" "a name becomes a percent-encoded path under file://, never a scheme"
expect_in "$A/report.html" "Content-Security-Policy" "page carries a CSP"
grep -oE 'href="[^"]*"' "$A/report.html" | grep -vqE '^href="(#|file:///|https://)' && fail "a link that is not an anchor, file:/// or https://" || pass
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROME" ]; then
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --user-data-dir="$WORK/chrome" --dump-dom "file://$A/report.html" >"$WORK/dom.html" 2>/dev/null
  expect_in "$WORK/dom.html" "Threat model audit" "the page renders"
  expect_not_in "$WORK/dom.html" 'data-pwned' "no script from a name ran"
  grep -qiE 'href="javascript' "$WORK/dom.html" && fail "a javascript: link in the DOM" || pass
else
  fail "chromium missing (.ci/run installs it)"
fi

# ---- dates are ASCII; no rule fails on any field value ----
printf 'model: 1\ntitle: t\nowner: o\nreviewed: "\331\242\331\240\331\242\331\246-10-05"\nthreats: [{id: T1, status: open, severity: high}]\n' >"$WORK/arabic.tm.yaml"
run "$TMLINT" check --now "$NOW" "$WORK/arabic.tm.yaml"
expect_rc 1 "Arabic-Indic digits in a date"
expect_in "$WORK/out" "is not a date; write it as YYYY-MM-DD [TM101 stale-model]" "read as not a date"
expect_not_in "$WORK/err" "failed" "no rule failed"
/usr/bin/python3 "$SRC/tests/hostile/fuzz-fields.py" "$SRC/docs/schema/model.schema.json" "$WORK/fz" 300
run timeout 300 "$TMLINT" check --now "$NOW" "$WORK/fz"
grep -E "rule TM[0-9]+ (failed|stopped)" "$WORK/err" | head -5 >&2
grep -qE "rule TM[0-9]+ (failed|stopped)" "$WORK/err" && fail "a built-in rule failed on a fuzzed model" || pass

# ---- linear walks: 40,000 configured directories (bench/ times it) ----
/usr/bin/python3 - "$WORK/many" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(40000):
    d = os.path.join(root, "d%03d" % (i // 200), "e%d" % i)
    os.makedirs(d)
    open(os.path.join(d, ".tmlint.yaml"), "w").write("rules:\n  TM101: off\n")
PY
mkdir -p "$WORK/many/.git"; cp "$MB" "$WORK/many/d000/e0/m.tm.yaml"
run timeout 120 "$TMLINT" check --now "$NOW" "$WORK/many"
expect_rc 1 "40,000 configured directories"
expect_in "$WORK/out" "e0/m.tm.yaml:" "the one model found"
finish
