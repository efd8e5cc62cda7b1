"""Validates native models against docs/schema/model.schema.json with a real
JSON Schema validator, and checks that tmlint's own TM006 agrees: a file is
valid for the schema exactly when TM006 finds nothing in it.
usage: check.py TMLINT SCHEMA FILE...   (prints one line per disagreement)"""
import json
import subprocess
import sys

import jsonschema
import yaml


class CoreLoader(yaml.SafeLoader):
    """YAML as tmlint reads it: the 1.2 core schema keeps dates as text and
    yes/no/on/off as text."""


for first, resolvers in list(CoreLoader.yaml_implicit_resolvers.items()):
    CoreLoader.yaml_implicit_resolvers[first] = [
        (tag, rx) for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))

tmlint, schema_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
validator = jsonschema.Draft202012Validator(json.load(open(schema_path)))
bad = 0
for f in files:
    docs = [d for d in yaml.load_all(open(f, encoding="utf-8"), Loader=CoreLoader) if d is not None]
    errors = [e for d in docs for e in validator.iter_errors(d)]
    out = subprocess.run([tmlint, "check", "--color", "never", "--enable", "TM006", "--now", "2026-11-23", f],
                         capture_output=True, text=True).stdout
    tm006 = [l for l in out.splitlines() if "[TM006 " in l]
    if bool(errors) != bool(tm006):
        bad += 1
        print(f"{f}: the schema says {'invalid' if errors else 'valid'}"
              f" ({errors[0].message if errors else ''}), TM006 says {tm006[:1] or 'valid'}")
print(f"{len(files) - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
