"""Checks tmlint's json, codequality and junit outputs against their
schema or published field lists.

usage: check.py json|codequality|junit FILE [SCHEMA]
Needs Debian's python3-jsonschema: run with /usr/bin/python3."""
import json
import sys
import xml.etree.ElementTree as ET


def check_json(path, schema_path):
    import jsonschema
    doc = json.load(open(path, encoding="utf-8"))
    jsonschema.Draft7Validator(json.load(open(schema_path))).validate(doc)
    s = doc["summary"]
    live = [f for f in doc["findings"] if not f["suppressed"]]
    for level in ("error", "warning", "note"):
        assert s[level] == sum(1 for f in live if f["level"] == level), "summary count for " + level
    assert s["files"] == len(doc["files"])


def check_codequality(path, _):
    # GitLab Code Quality: an array of issues with these fields
    issues = json.load(open(path, encoding="utf-8"))
    assert isinstance(issues, list)
    seen = set()
    for i in issues:
        for key, kind in (("description", str), ("check_name", str), ("fingerprint", str), ("severity", str)):
            assert isinstance(i.get(key), kind) and i[key], key
        assert i["severity"] in ("info", "minor", "major", "critical", "blocker"), i["severity"]
        assert i["fingerprint"] not in seen, "duplicate fingerprint " + i["fingerprint"]
        seen.add(i["fingerprint"])
        loc = i["location"]
        assert isinstance(loc["path"], str) and not loc["path"].startswith("/"), loc["path"]
        assert isinstance(loc["lines"]["begin"], int) and loc["lines"]["begin"] >= 1


def check_junit(path, _):
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    total = failures = 0
    for suite in root:
        assert suite.tag == "testsuite" and suite.get("name")
        cases = list(suite)
        assert int(suite.get("tests")) == len(cases) and cases
        nfail = sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("failures")) == nfail
        for c in cases:
            assert c.tag == "testcase" and c.get("name") and c.get("classname")
            f = c.find("failure")
            if f is not None:
                assert f.get("message") and f.get("type") in ("error", "warning", "note")
        total += len(cases)
        failures += nfail
    assert int(root.get("tests")) == total and int(root.get("failures")) == failures


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    {"json": check_json, "codequality": check_codequality, "junit": check_junit}[kind](
        path, sys.argv[3] if len(sys.argv) > 3 else None)
    print("1 passed, 0 failed")
