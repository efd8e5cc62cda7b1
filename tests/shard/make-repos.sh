#!/bin/bash
# make-repos.sh DIR N: N small git repositories under DIR/repos, built the
# same way each time, for the shard tests and the audit's scaling figures.
# Most hold a model (the samples, in turn); every 7th holds code and none;
# some have a GitHub or GitLab origin, a configuration, a team rule, a
# second model, a model that does not parse.
set -eu
DIR=$1 N=$2
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
samples=("$SRC/samples/clean/clinic-booking.tm.yaml" "$SRC/samples/findings/partner-portal.tm.yaml"
  "$SRC/samples/findings/mobile-banking.tm.yaml")
mkdir -p "$DIR/repos" "$DIR/team-rules"
cat >"$DIR/team-rules/ACME1.lua" <<'LUA'
return {
  id = "ACME1", name = "threat-needs-reviewer", level = "warning",
  summary = "Each threat names who reviewed it",
  help = "A team's own rule for the shard tests: every threat carries reviewed_by.",
  message = "threat '{id}' has no reviewed_by",
  run = function(model, report)
    for _, t in ipairs(model.threats) do
      if tm.blank(t.reviewed_by) then report(t) end
    end
  end,
}
LUA
export GIT_AUTHOR_NAME=gen GIT_AUTHOR_EMAIL=gen@example.com GIT_COMMITTER_NAME=gen GIT_COMMITTER_EMAIL=gen@example.com
export GIT_AUTHOR_DATE="2026-11-01T12:00:00Z" GIT_COMMITTER_DATE="2026-11-01T12:00:00Z"
for ((i = 0; i < N; i++)); do
  r=$(printf '%s/repos/svc-%04d' "$DIR" "$i")
  mkdir -p "$r/src"
  printf 'package main\n\nfunc main() {}\n' >"$r/src/main.go"
  if ((i % 7 != 3)); then
    mkdir -p "$r/docs"
    cp "${samples[i % 3]}" "$r/docs/threat-model.tm.yaml"
    ((i % 11 == 0)) && cp "${samples[(i + 1) % 3]}" "$r/docs/extra.tm.yaml"
    ((i % 19 == 5)) && printf 'model: 1\nthreats: [\n' >"$r/docs/broken.tm.yaml"
    if ((i % 17 == 2)); then
      # a rule id is one repository's (two with the same id clash in an audit)
      mkdir -p "$r/tm-rules" && sed "s/ACME1/ACME$i/; s/threat-needs-reviewer/threat-needs-reviewer-$i/" "$DIR/team-rules/ACME1.lua" >"$r/tm-rules/ACME$i.lua"
      printf 'rules_dirs: [tm-rules]\nrules:\n  TM340: off\n' >"$r/.tmlint.yaml"
    elif ((i % 13 == 4)); then
      printf 'rules:\n  TM340: off\n  TM332: off\n' >"$r/.tmlint.yaml"
    fi
  fi
  git -C "$r" init -q
  case $((i % 5)) in
    0) git -C "$r" remote add origin "https://github.com/acme/svc-$i.git" ;;
    1) git -C "$r" remote add origin "git@gitlab.com:acme/svc-$i.git" ;;
  esac
  git -C "$r" add -A && git -C "$r" commit -qm "svc $i"
done
