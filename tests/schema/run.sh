# The native format's schema: docs/schema/model.schema.json is what tmlint
# enforces (both are generated from src/load/schema.c), every native sample,
# rule fixture and corpus conversion passes a real JSON Schema validator
# exactly when TM006 finds nothing, and so does each invalid case.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
"$TMLINT" _generate schema >"$WORK/schema.json"
cmp -s "$WORK/schema.json" docs/schema/model.schema.json && pass ||
  fail "docs/schema/model.schema.json is out of date: build/tmlint _generate schema >docs/schema/model.schema.json"
if ! /usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  fail "python3-jsonschema and python3-yaml are needed (apt-get install python3-jsonschema python3-yaml)"; finish; exit
fi
/usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))' \
  docs/schema/model.schema.json && pass || fail "the schema is not a valid draft 2020-12 schema"
files=$(grep -l '^model: 1' samples/*/*.tm.yaml tests/rules/*/*.tm.yaml tests/golden/*/*.tm.yaml 2>/dev/null)
# every corpus file converted to the native format
mkdir -p "$WORK/conv"
for f in $(find tests/corpus -type f \( -name '*.json' -o -name '*.yaml' \) -not -path '*/expected/*' | sort); do
  out="$WORK/conv/$(echo "$f" | tr '/' '_').tm.yaml"
  "$TMLINT" convert --to native "$f" >"$out" 2>/dev/null && files="$files $out" || rm -f "$out"
done
/usr/bin/python3 tests/schema/check.py "$TMLINT" docs/schema/model.schema.json $files tests/schema/invalid/*.tm.yaml >"$WORK/agree"
tail -1 "$WORK/agree" | grep -q ' 0 failed' && pass || { fail "the schema and TM006 disagree"; cat "$WORK/agree" >&2; }
# the invalid cases really are invalid (both say so)
for f in tests/schema/invalid/*.tm.yaml; do
  run "$TMLINT" check --now "$NOW" "$f"
  grep -q '\[TM006 ' "$WORK/out" && pass || fail "$f: TM006 found nothing"
done
# the converted corpus is valid native (no TM006 anywhere)
for f in "$WORK"/conv/*.tm.yaml; do
  run "$TMLINT" check --now "$NOW" "$f"
  grep -q '\[TM006 ' "$WORK/out" && fail "$f: a converted model breaks the schema: $(grep TM006 "$WORK/out" | head -1)" || pass
done
finish
