"""Validate tmlint SARIF files against the official SARIF 2.1.0 schema and
the limits GitHub code scanning applies on upload.

usage: check.py SCHEMA FILE...   (exit 0 when every file passes)
Needs Debian's python3-jsonschema: run with /usr/bin/python3.
"""
import json
import sys

import jsonschema


def github_checks(doc, path):
    errs = []
    runs = doc.get("runs", [])
    if not 1 <= len(runs) <= 20:
        errs.append("runs: %d (GitHub takes 1 to 20)" % len(runs))
    for run in runs:
        rules = run["tool"]["driver"].get("rules", [])
        ids = [r["id"] for r in rules]
        if len(ids) != len(set(ids)):
            errs.append("duplicate rule ids")
        for r in rules:
            for k in ("shortDescription", "fullDescription"):
                t = r.get(k, {}).get("text", "")
                if not t or len(t) > 1024:
                    errs.append("rule %s: %s missing or over 1024 characters" % (r["id"], k))
            if not r.get("help", {}).get("text"):
                errs.append("rule %s: no help.text" % r["id"])
            tags = r.get("properties", {}).get("tags", [])
            if len(tags) > 20 or "security" not in tags:
                errs.append("rule %s: tags %r" % (r["id"], tags))
            sev = r.get("properties", {}).get("security-severity")
            level = r.get("defaultConfiguration", {}).get("level")
            if level in ("error", "warning"):
                if sev is None or not 0.1 <= float(sev) <= 10.0:
                    errs.append("rule %s: security-severity %r" % (r["id"], sev))
        if run.get("columnKind") != "unicodeCodePoints":
            errs.append("columnKind is not unicodeCodePoints")
        base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
        if not base.startswith("file:///") or not base.endswith("/"):
            errs.append("originalUriBaseIds %SRCROOT% uri %r" % base)
        results = run.get("results", [])
        if len(results) > 25000:
            errs.append("%d results (GitHub keeps 25,000 per run)" % len(results))
        for i, res in enumerate(results):
            where = "result %d" % i
            if not res.get("message", {}).get("text"):
                errs.append(where + ": no message text")
            idx = res.get("ruleIndex")
            if idx is None or idx >= len(rules) or rules[idx]["id"] != res.get("ruleId"):
                errs.append(where + ": ruleIndex does not point at ruleId")
            locs = res.get("locations", [])
            if not 1 <= len(locs) <= 1000:
                errs.append(where + ": %d locations" % len(locs))
                continue
            pl = locs[0]["physicalLocation"]
            art = pl["artifactLocation"]
            if art.get("uriBaseId") != "%SRCROOT%" or art["uri"].startswith(("/", "file:")):
                errs.append(where + ": uri %r is not relative to %%SRCROOT%%" % art["uri"])
            reg = pl["region"]
            if reg["startLine"] < 1 or reg["startColumn"] < 1:
                errs.append(where + ": region starts before 1:1")
            if (reg["endLine"], reg["endColumn"]) <= (reg["startLine"], reg["startColumn"]):
                errs.append(where + ": empty or reversed region")
            fp = res.get("partialFingerprints", {}).get("tmlint/v1", "")
            if len(fp) != 16:
                errs.append(where + ": fingerprint %r" % fp)
    return ["%s: %s" % (path, e) for e in errs]


def main():
    schema = json.load(open(sys.argv[1]))
    validator = jsonschema.Draft4Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        doc = json.load(open(path, encoding="utf-8"))
        problems = ["%s: schema: %s at /%s" % (path, e.message, "/".join(map(str, e.absolute_path)))
                    for e in validator.iter_errors(doc)]
        problems += github_checks(doc, path)
        for p in problems:
            print(p)
        bad += bool(problems)
    print("%d passed, %d failed" % (len(sys.argv) - 2 - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
