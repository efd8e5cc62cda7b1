"""Writes N native models whose every field (from the JSON Schema tmlint
generates) holds a random value: the right type or any other, odd strings,
dates in other digits, huge and negative numbers. The built-in rules must
read them all without a Lua error. Seeded per file, so a failure names a
file that can be regenerated.

usage: fuzz-fields.py SCHEMA OUTDIR N
"""
import json
import os
import random
import sys

ODD = ["", " ", "~", "null", "TODO", "TBD", "0", "-1", "1e309", "nan", "inf", "9" * 40,
       "2026-13-45", "2026-02-30", "0000-00-00", "9999-12-31", "2026-10-05T99:99",
       "\u0662\u0660\u0662\u0666-10-05", "\uff12\uff10\uff12\uff16-10-05", "2026-\u0661\u0660-05",
       "high", "critical", "Low", "open", "mitigated", "accepted", "essential", "T1", "C1", "M1",
       "\u202eevil", "a\nb", "x" * 5000, "é" * 300, "{placeholder}", "%s%d", "\\d+", "[", "(a+)+$"]
IDS = ["T1", "T2", "C1", "C2", "M1", "M2", "A1", "F1", "B1", "Z9"]


def scalar(r):
    k = r.randrange(8)
    if k == 0:
        return r.choice(ODD)
    if k == 1:
        return r.choice(IDS)
    if k == 2:
        return r.choice([0, 1, -1, 2**62, -(2**62), 3.5, 1e300, -0.0])
    if k == 3:
        return r.choice([True, False, None])
    if k == 4:
        return [scalar(r) for _ in range(r.randrange(3))]
    if k == 5:
        return {r.choice(["id", "x", "reason", "status"]): r.choice(IDS + ODD)}
    return "".join(r.choice("abcdefghij -_.0123456789") for _ in range(r.randrange(1, 30)))


def value(r, schema, depth):
    if depth > 6 or r.random() < 0.15:
        return scalar(r)
    if "allOf" in schema:
        return value(r, schema["allOf"][0], depth)
    if "anyOf" in schema:
        return value(r, r.choice(schema["anyOf"]), depth)
    t = schema.get("type")
    types = t if isinstance(t, list) else [t] if t else []
    if "enum" in schema and r.random() < 0.7:
        return r.choice(schema["enum"])
    if "object" in types and "properties" in schema and r.random() < 0.85:
        out = {}
        for k, sub in schema["properties"].items():
            if r.random() < 0.75:
                out[k] = value(r, sub, depth + 1)
        if "id" in schema["properties"] and r.random() < 0.8:
            out["id"] = r.choice(IDS)
        return out
    if "array" in types and r.random() < 0.85:
        items = schema.get("items", {})
        return [value(r, items, depth + 1) for _ in range(r.randrange(4))]
    return scalar(r)


def main():
    schema_path, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    schema = json.load(open(schema_path))
    top = schema["allOf"][0]
    os.makedirs(out, exist_ok=True)
    os.makedirs(os.path.join(out, ".git"), exist_ok=True)
    for i in range(n):
        r = random.Random(i)
        model = value(r, top, 0)
        if not isinstance(model, dict):
            model = {}
        model["model"] = 1
        with open(os.path.join(out, "fuzz-%04d.tm.json" % i), "w") as f:
            json.dump(model, f, indent=1)


main()
