# audit --shard I/N and --merge: 4 shards of a few hundred generated
# repositories merge to what one audit of them all writes, byte for byte,
# in every format (with --compare and --history too); --shard-list splits a
# list of URLs the same way; a missing, repeated, foreign or damaged shard
# is an error, never a smaller report.
. "$(dirname "$0")/../lib.sh"
T=$TMLINT
N=${SHARD_TEST_REPOS:-300}
bash "$SRC/tests/shard/make-repos.sh" "$WORK" "$N" >/dev/null 2>&1 || { fail "make-repos.sh"; finish; exit 1; }
cd "$WORK" || exit 1
A=(audit --now "$NOW")
# an earlier audit and a history, so that --compare and --history take part
run "$T" "${A[@]}" --now 2026-10-01 --format json -o old.json repos/svc-000* repos/svc-001*
mkdir hist && cp old.json hist/2026-10-01.json
run "$T" "${A[@]}" --format json -o single.json repos
expect_rc 2 "one audit (some models do not parse)"
grep -q '"shard"' single.json && fail "an unsharded audit carries no shard" || pass
for i in 1 2 3 4; do
  run "$T" "${A[@]}" --shard "$i/4" -j $(((i % 2) + 1)) --format json -o "s$i.json" repos
  [ "$rc" -le 2 ] && pass || fail "shard $i: exit $rc"
  cp "$WORK/err" "err-$i"
done
/usr/bin/python3 "$SRC/tests/formats/check.py" json s1.json "$SRC/docs/tmlint-report.schema.json" >/dev/null 2>&1 && pass ||
  fail "a shard's JSON does not follow the report schema"
# every model in exactly one shard
/usr/bin/python3 - single.json s1.json s2.json s3.json s4.json >shares <<'PY'
import json, sys
one = [m["path"] for m in json.load(open(sys.argv[1]))["models"]]
parts = [[m["path"] for m in json.load(open(p))["models"]] for p in sys.argv[2:]]
flat = sorted(p for part in parts for p in part)
print("partition" if flat == sorted(one) else "not a partition")
print("balanced" if all(len(p) > len(one) / 8 for p in parts) else "unbalanced: %s" % [len(p) for p in parts])
PY
expect_in shares "partition" "the shards split the models"
expect_in shares "balanced" "each shard has a share"
for fmt in json sarif html text junit codequality; do
  for extra in "" "--compare old.json --history hist"; do
    [ "$fmt" != json ] && [ "$fmt" != html ] && [ -n "$extra" ] && continue
    # shellcheck disable=SC2086
    run "$T" "${A[@]}" --format "$fmt" $extra repos
    one_rc=$rc
    cp "$WORK/out" "one.$fmt"
    cp "$WORK/err" "one-err.$fmt"
    # shellcheck disable=SC2086
    run "$T" audit --merge --format "$fmt" $extra s3.json s1.json s4.json s2.json
    if cmp -s "$WORK/out" "one.$fmt" && [ -s "one.$fmt" ]; then pass
    else fail "merge differs from one audit: $fmt $extra"; diff "one.$fmt" "$WORK/out" | head -8 >&2; fi
    cmp -s "$WORK/err" "one-err.$fmt" && pass || { fail "merge says other things on stderr: $fmt"; diff "one-err.$fmt" "$WORK/err" | head >&2; }
    [ "$rc" = "$one_rc" ] && pass || fail "merge exits $rc, one audit $one_rc ($fmt)"
  done
done
expect_in one.html "https://github.com/acme/svc-0/blob/" "the generated repositories have web links (merged as found)"
expect_in one.html "ACME2" "a team's rule is in the report"
run "$T" audit --merge --format full s1.json s2.json s3.json s4.json
expect_rc 2 "--format full needs the files"
expect_in "$WORK/err" "--format full quotes the models' lines" "full refused with the reason"
# what is not one run's complete set of shards
run "$T" audit --merge s1.json s2.json s4.json
expect_rc 2 "a shard missing"
expect_in "$WORK/err" "shards missing: 3 of 4" "the missing shard named"
run "$T" audit --merge s1.json s2.json s3.json s4.json s2.json
expect_rc 2 "a shard twice"
expect_in "$WORK/err" "s2.json: error: shard 2 of 4 again (s2.json is it too)" "the repeated shard named"
run "$T" audit --merge s1.json single.json
expect_rc 2 "an unsharded audit"
expect_in "$WORK/err" "single.json: error: not a shard's output" "an unsharded JSON refused"
run "$T" "${A[@]}" --shard 1/3 --format json -o t1.json repos
run "$T" audit --merge t1.json s2.json s3.json s4.json
expect_rc 2 "shards of two runs"
expect_in "$WORK/err" "these are not one run's shards" "shards of another N refused"
run "$T" audit --now 2026-11-24 --shard 2/4 --format json -o late.json repos
run "$T" audit --merge s1.json late.json s3.json s4.json
expect_rc 2 "a shard of another day"
expect_in "$WORK/err" "late.json: error: this shard ran other rules, settings or --now" "another --now refused"
run "$T" "${A[@]}" --disable TM310 --shard 2/4 --format json -o off.json repos
run "$T" audit --merge s1.json off.json s3.json s4.json
expect_rc 2 "a shard with other rules"
# damaged states: cut short, a byte changed, not base64; an error, never a crash
/usr/bin/python3 - s2.json <<'PY'
import json, sys, base64
d = json.load(open(sys.argv[1]))
st = d["shard"]["state"]
raw = base64.b64decode(st)
variants = {
  "cut.json": base64.b64encode(raw[: len(raw) // 2]).decode(),
  "notb64.json": st[:100] + "!!!!" + st[104:],
  "empty.json": "",
}
for i, pos in enumerate([8, 40, len(raw) // 3, len(raw) - 9]):
    b = bytearray(raw); b[pos] ^= 0xFF
    variants["flip%d.json" % i] = base64.b64encode(bytes(b)).decode()
for name, s in variants.items():
    d["shard"]["state"] = s
    json.dump(d, open(name, "w"))
PY
for bad in cut notb64 empty flip0 flip1 flip2 flip3; do
  run "$T" audit --merge s1.json "$bad.json" s3.json s4.json
  expect_rc 2 "damaged state ($bad)"
  expect_in "$WORK/err" "error: the shard's state is damaged" "damaged state ($bad) said"
done
# --shard-list: a list of URLs, split as the audit splits the repositories it clones
for ((i = 0; i < N; i++)); do
  case $((i % 5)) in
    0) echo "https://github.com/acme/svc-$i.git" ;;
    1) echo "git@gitlab.com:acme/svc-$i.git" ;;
    2) echo "https://x-token:secret@github.com/acme/other-$i" ;;
  esac
done >list.txt
printf '# a comment\n\n' >>list.txt
: >lists
for i in 1 2 3 4; do
  run "$T" audit --shard "$i/4" --shard-list list.txt
  expect_rc 0 "--shard-list $i/4"
  sed "s/^/$i /" "$WORK/out" >>lists
done
/usr/bin/python3 - list.txt lists s1.json s2.json s3.json s4.json >split <<'PY'
import json, sys, re
urls = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
got = [l.split(" ", 1) for l in open(sys.argv[2]).read().splitlines()]
print("partition" if sorted(u for _, u in got) == sorted(urls) else "not a partition")
# each repository with an origin is audited in the shard its URL is listed in
where = {}
for k, p in enumerate(sys.argv[3:], 1):
    for m in json.load(open(p))["models"]:
        where[m["identity"].split(":")[0]] = k
bad = 0
for k, u in got:
    ident = re.sub(r"^[a-z]+://", "", u); ident = re.sub(r"^[^/@]*@", "", ident)
    ident = re.sub(r"^([^/:]+):", r"\1/", ident); ident = re.sub(r"\.git$", "", ident)
    if ident in where and where[ident] != int(k):
        bad += 1
print("same shards" if bad == 0 else "%d repositories in another shard" % bad)
PY
expect_in split "partition" "--shard-list splits the list"
expect_in split "same shards" "a URL's shard is its repository's"
run "$T" audit --shard-list list.txt
expect_rc 2 "--shard-list without --shard"
printf 'https://github.com/acme/a\nhttps://github.com/acme/\033[31mb\n\n' >ctl.txt
: >seen
for i in 1 2; do run "$T" audit --shard "$i/2" --shard-list ctl.txt; cat "$WORK/out" >>seen; cp "$WORK/err" "err-ctl-$i"; done
expect_rc 2 "--shard-list: a line with a control character"
expect_in "err-ctl-2" "ctl.txt:2:1: error: a control character in a repository URL; the line is left out" "said at its line"
grep -q $'\033' seen && fail "a URL with a control character was listed" || pass
expect_in seen "https://github.com/acme/a" "the other lines are listed"
run "$T" audit --shard 1/2 --shard-list missing.txt
expect_rc 2 "--shard-list of a missing file"
expect_in "$WORK/err" "missing.txt: error: cannot read the list of repositories:" "and why"
# shards that found nothing at all: an error, as one audit of nothing is
mkdir -p nothing/empty
for i in 1 2; do run "$T" "${A[@]}" --shard "$i/2" --format json -o "z$i.json" nothing; done
run "$T" audit --merge z1.json z2.json
expect_rc 2 "a merge of shards that found nothing"
expect_in "$WORK/err" "no shard found a threat model or a repository without one" "said"
for bad in 0/4 5/4 a/b 3 1/0 "1/4x" "/4"; do
  run "$T" audit --shard "$bad" repos
  expect_rc 2 "--shard $bad"
  expect_in "$WORK/err" "--shard takes I/N" "--shard $bad explained"
done
# a shard that holds nothing is a shard, and the merge still equals one audit
mkdir -p small && cp -r repos/svc-0000 small/
for i in 1 2 3; do
  run "$T" "${A[@]}" --shard "$i/3" --format json -o "m$i.json" small
  [ "$rc" -le 1 ] && pass || fail "small shard $i: exit $rc"
done
grep -l '"models": \[\]' m?.json | wc -l | grep -qx 2 && pass || fail "two of the three shards hold nothing"
run "$T" "${A[@]}" --format sarif small; cp "$WORK/out" small.sarif
run "$T" audit --merge --format sarif m1.json m2.json m3.json
cmp -s "$WORK/out" small.sarif && pass || fail "empty shards change the merge"
# the CI templates of docs/ci, their scripts run here as the jobs would run
# them (one workspace, a job after another, file:// clone URLs, package
# installs left out): the merged report equals one audit of every clone
mkdir -p bin ws && ln -s "$T" bin/tmlint
ls -d "$WORK"/repos/svc-00[01]* | sed 's#^#file://#' >ws/repositories.txt
echo "$WORK/repos/svc-0040" >>ws/repositories.txt   # a plain path is a URL too
/usr/bin/python3 - "$SRC/docs/ci/github-audit.yml" "$SRC/docs/ci/gitlab-audit.yml" "$WORK/ci" <<'PY'
import os, sys, yaml
gh, gl, out = yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2])), sys.argv[3]
os.makedirs(out, exist_ok=True)
def keep(script):
    return "\n".join(l for l in script.splitlines() if "apt-get" not in l) + "\n"
def write(name, text):
    open(os.path.join(out, name), "w").write(keep(text))
steps = {s.get("name"): s for s in gh["jobs"]["audit"]["steps"]}
write("gh-audit.sh", "\n".join(steps[n]["run"] for n in
      ["Clone this shard's repositories", "Audit the shard", "Say which repositories could not be cloned"]))
write("gh-report.sh", {s.get("name"): s for s in gh["jobs"]["report"]["steps"]}["Write the report"]["run"])
assert len(gh["jobs"]["audit"]["strategy"]["matrix"]["shard"]) == int(gh["env"]["SHARDS"])
write("gl-audit.sh", "\n".join(gl["audit"]["script"]))
write("gl-report.sh", "\n".join(gl["report"]["script"]))
assert len(gl["audit"]["parallel"]["matrix"][0]["SHARD"]) == int(gl["variables"]["SHARDS"])
PY
for ci in gh gl; do
  rm -rf art && mkdir art
  for i in 1 2 3 4; do
    rm -rf ws/repos ws/shard-*.json
    (cd ws && env PATH="$WORK/bin:$PATH" SHARD=$i SHARDS=4 REPOSITORY_LIST=repositories.txt DAY=$NOW CLONE_TOKEN= \
      CI_PIPELINE_CREATED_AT="${NOW}T03:17:00Z" CI_SERVER_HOST=gitlab.example.com HOME="$WORK/home-$ci" \
      bash -e "$WORK/ci/$ci-audit.sh") >"$WORK/out" 2>"$WORK/err"
    rc=$?
    [ "$rc" = 0 ] && pass || { fail "$ci audit job $i: exit $rc"; cat "$WORK/err" >&2; }
    cp ws/shard-$i.json art/ 2>/dev/null
  done
  # one workspace with every repository, audited at once
  rm -rf ws/repos && mkdir -p ws/repos
  while IFS= read -r url; do
    name=$(printf '%s\n' "$url" | sed -E 's#/+$##; s#\.git$##; s#^.*[/:]([^/:]+)/([^/:]+)$#\1-\2#')
    git clone -q --no-tags -- "$url" "ws/repos/$name"
  done <ws/repositories.txt
  [ "$(ls ws/repos | wc -l)" = "$(wc -l <ws/repositories.txt)" ] && pass || fail "$ci: the clones' names collide"
  for f in html sarif json; do (cd ws && "$T" audit --now "$NOW" --format $f --output "one.$f" repos) >/dev/null 2>&1; done
  rm -rf rep && mkdir rep
  cp art/*.json rep/
  if [ "$ci" = gh ]; then mkdir -p rep/shards && mv rep/shard-*.json rep/shards/; fi
  (cd rep && env PATH="$WORK/bin:$PATH" DAY=$NOW CI_PIPELINE_CREATED_AT="${NOW}T03:17:00Z" bash "$WORK/ci/$ci-report.sh") >"$WORK/out" 2>"$WORK/err"
  rc=$?
  [ "$rc" = 0 ] && pass || { fail "$ci report job: exit $rc"; cat "$WORK/err" >&2; }
  for f in html sarif json; do
    cmp -s "rep/audit-$NOW.$f" "ws/one.$f" && pass || fail "$ci: the template's merged $f is not one audit's"
  done
  # a shard that did not arrive: the report job fails, and writes nothing
  rm -f rep/audit-* && find rep -name shard-3.json -delete
  (cd rep && env PATH="$WORK/bin:$PATH" DAY=$NOW CI_PIPELINE_CREATED_AT="${NOW}T03:17:00Z" bash "$WORK/ci/$ci-report.sh") >"$WORK/out" 2>"$WORK/err"
  [ $? = 2 ] && pass || fail "$ci report job passes without shard 3"
  expect_in "$WORK/err" "shards missing: 3 of 4" "$ci report job names the missing shard"
  [ -z "$(ls rep/audit-* 2>/dev/null)" ] && pass || fail "$ci: a report without shard 3 was written"
done
finish
