#!/usr/bin/env bash
# Prints the table of rules that cannot apply to each format, from what
# tmlint itself says (`check --verbose`) over the corpus files of that
# format: a rule is listed when its `needs` names a field the format's
# adapter marks missing in every corpus file of the format. docs/formats.md
# holds its output between the not-applicable markers; the docs test keeps
# it current. usage: docs/not-applicable.sh TMLINT
set -euo pipefail
T=$1
cd "$(dirname "$0")/.."
echo "| format | rules that cannot apply (the format has no field for them) |"
echo "| --- | --- |"
for dir in otm threat-dragon threat-composer threagile owasp-tml cyclonedx-tmbom pytm flowstate-tm; do
  files=$(find "tests/corpus/$dir" -type f \( -name '*.json' -o -name '*.yaml' \) | sort)
  sets=$(for f in $files; do
    { "$T" check --verbose --now 2026-11-23 "$f" 2>&1 >/dev/null || true; } |
      sed -n 's/^tmlint: .*: not applicable to the \([a-z-]*\) format, which has no field for them: /\1\t/p'
  done)
  [ -n "$sets" ] || continue
  format=${sets%%$'\t'*}   # not a pipe into head: printf could die of SIGPIPE under set -o pipefail
  n=$(printf '%s\n' "$sets" | wc -l)
  # the rules every file of the format lists
  rules=$(printf '%s\n' "$sets" | cut -f2 | tr ',' '\n' | sed 's/^ *//' | sort | uniq -c |
          awk -v n="$n" '$1 == n { printf "%s%s %s", (k++ ? ", " : ""), $2, $3 }')
  echo "| $format | $rules |"
done
