"""tmlint lsp, method by method and bad input by bad input, through
tests/lsp/client.py. Prints 'ok' per check and 'FAIL ...' on a failure."""
import json, os, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from client import Client

TMLINT, WORK = sys.argv[1], sys.argv[2]
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    fails += 0 if cond else 1


def start(*extra):
    return Client([TMLINT, "lsp", "--now", "2026-11-23", "--no-repo", *extra], cwd=WORK)


def init(c, caps=None):
    r = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": caps or {}})
    c.notify("initialized")
    return r


def by_code(diags, code):
    return [d for d in diags if d.get("code") == code]


MODEL = ("model: 1\ntitle: Shop\nowner: team-shop\nthreats:\n  - id: T1\n    title: Card numbers leak\n"
         "    status: opne\n")
URI = "file://" + WORK + "/shop.tm.yaml"

# -- initialize: what the server offers; requests before it are refused
c = start()
r = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})
check(r.get("error", {}).get("code") == -32002, "a request before initialize: ServerNotInitialized")
r = init(c)["result"]
caps = r["capabilities"]
check(caps["textDocumentSync"]["change"] == 1 and caps["textDocumentSync"]["openClose"], "full document sync")
check(caps["hoverProvider"] is True and caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"],
      "hover and quick fixes announced")
check(caps["positionEncoding"] == "utf-16", "UTF-16 positions by default")
check(r["serverInfo"]["name"] == "tmlint", "serverInfo")

# -- open: one diagnostic per finding, at the finding's span
c.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "yaml", "version": 3, "text": MODEL}})
p = c.diagnostics(URI)
check(p["version"] == 3, "diagnostics carry the document's version")
t = by_code(p["diagnostics"], "TM006")
check(len(t) == 1 and t[0]["range"] == {"start": {"line": 6, "character": 12}, "end": {"line": 6, "character": 16}},
      "TM006 at the value 'opne' (6:12-6:16)")
check(t and t[0]["severity"] == 1 and t[0]["source"] == "tmlint", "error severity, source tmlint")
check(t and t[0]["codeDescription"]["href"].endswith("/TM006-schema-violation.md"), "codeDescription: the rule's page")
w = by_code(p["diagnostics"], "TM301")
check(len(w) == 1 and w[0]["severity"] == 2 and w[0]["range"]["start"] == {"line": 4, "character": 4},
      "TM301 a warning at the threat")
n = by_code(p["diagnostics"], "TM401")
check(len(n) == 1 and n[0]["severity"] == 3, "a note is Information")

# -- hover: a finding's rule; a native key's meaning; nothing
h = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 6, "character": 14}})["result"]
check(h and h["contents"]["kind"] == "markdown" and h["contents"]["value"].startswith("**TM006 schema-violation** (error)"),
      "hover on a finding explains its rule")
h = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 6, "character": 6}})["result"]
check(h and h["contents"]["value"].startswith("**status**, in a threat:") and "`false-positive`" in h["contents"]["value"],
      "hover on a key: what it means, with its values")
h = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 1}})["result"]
check(h and h["contents"]["value"].startswith("**title**, in the model:"), "hover on a top-level key")
h = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 5, "character": 20}})
check(h["result"] is None, "hover on plain text: null")
r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.yaml"}, "position": {"line": 0, "character": 0}})
check(r.get("error", {}).get("code") == -32602, "hover on a document not open: InvalidParams")


def apply(text, edits):
    lines = text.split("\n")
    def off(pos):
        return sum(len(l) + 1 for l in lines[:pos["line"]]) + pos["character"]
    for e in sorted(edits, key=lambda e: off(e["range"]["start"]), reverse=True):
        a, b = off(e["range"]["start"]), off(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
    return text


# -- code actions: the did-you-mean, then a suppression with its reason to write
acts = c.request("textDocument/codeAction", {"textDocument": {"uri": URI},
                 "range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 20}},
                 "context": {"diagnostics": []}})["result"]
titles = [a["title"] for a in acts]
check(titles == ["Replace 'opne' with 'open' (TM006)", "Suppress TM006 here, with a reason to write"], "two actions: " + repr(titles))
fixed = apply(MODEL, acts[0]["edit"]["changes"][URI])
check("    status: open\n" in fixed and fixed.count("\n") == MODEL.count("\n"), "the fix edits the value in place")
c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": fixed}]})
p = c.diagnostics(URI)
check(p["version"] == 4 and not by_code(p["diagnostics"], "TM006") and by_code(p["diagnostics"], "TM310"),
      "after the fix: TM006 gone, the open threat's TM310 found")
sup = apply(MODEL, acts[1]["edit"]["changes"][URI])
check("  - tmlint-ignore:\n      - rule: TM006\n        reason: \n    id: T1\n" in sup, "the suppression goes in the threat")
c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 5}, "contentChanges": [{"text": sup}]})
p = c.diagnostics(URI)
check(by_code(p["diagnostics"], "TM005") and by_code(p["diagnostics"], "TM006"),
      "the template in: TM005 asks for the reason, and TM006 stays until it is written")
sup_r = sup.replace("        reason: \n", "        reason: the status is read by the ticket sync, which knows opne\n")
c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 5}, "contentChanges": [{"text": sup_r}]})
p = c.diagnostics(URI)
check(not by_code(p["diagnostics"], "TM006") and not by_code(p["diagnostics"], "TM005"), "with a reason: suppressed")
# a second suppression joins the list already there
acts = c.request("textDocument/codeAction", {"textDocument": {"uri": URI},
                 "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}},
                 "context": {"diagnostics": []}})["result"]
s2 = [a for a in acts if a["title"].startswith("Suppress TM301")]
check(len(s2) == 1, "a suppression for TM301 offered on the threat's line")
if s2:
    sup2 = apply(sup_r, s2[0]["edit"]["changes"][URI])
    check("  - tmlint-ignore:\n      - rule: TM301\n        reason: \n      - rule: TM006\n" in sup2,
          "a new entry before the first of the list")

# -- incremental changes apply too, in UTF-16 units
text2 = "model: 1\ntitle: \U0001F6D2 Shop\nowner: team-shop\nthreats:\n  - id: T1\n    title: x\n    status: opne\n"
c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 6}, "contentChanges": [{"text": text2}]})
c.diagnostics(URI)
c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 7}, "contentChanges": [
    {"range": {"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 14}}, "text": "Store"}]})
p = c.diagnostics(URI)
h = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 1}})["result"]
check(p["version"] == 7 and h is not None, "an incremental change after an emoji (2 UTF-16 units) applies")
acts = c.request("textDocument/codeAction", {"textDocument": {"uri": URI},
                 "range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}},
                 "context": {"diagnostics": []}})["result"]
check(acts and acts[0]["edit"]["changes"][URI][0]["range"]["start"] == {"line": 6, "character": 12}, "positions after the edit")

# -- a document that does not parse: a diagnostic at the error
c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 8}, "contentChanges": [{"text": "model: 1\nthreats: [\n"}]})
p = c.diagnostics(URI)
check(len(p["diagnostics"]) == 1 and "invalid YAML" in p["diagnostics"][0]["message"] and
      p["diagnostics"][0]["range"]["start"]["line"] == 2, "broken YAML: one diagnostic at its line")

# -- close: its diagnostics are cleared
c.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
p = c.diagnostics(URI)
check(p["diagnostics"] == [], "close clears the diagnostics")

# -- a configuration edited on disk counts at the next save
os.makedirs(WORK + "/cfg", exist_ok=True)
CURI = "file://" + WORK + "/cfg/m.tm.yaml"
c.notify("textDocument/didOpen", {"textDocument": {"uri": CURI, "languageId": "yaml", "version": 1, "text": MODEL}})
check(by_code(c.diagnostics(CURI)["diagnostics"], "TM006"), "before the configuration: TM006")
open(WORK + "/cfg/.tmlint.yaml", "w").write("rules:\n  TM006: off\n")
c.notify("textDocument/didSave", {"textDocument": {"uri": CURI}})
check(not by_code(c.diagnostics(CURI)["diagnostics"], "TM006"), "after a save: the configuration's TM006: off holds")
open(WORK + "/cfg/.tmlint.yaml", "w").write("rules:\n  TM006: [\n")
c.notify("textDocument/didSave", {"textDocument": {"uri": CURI}})
p = c.diagnostics(CURI)
check(any(".tmlint.yaml:" in d["message"] for d in p["diagnostics"]), "a broken configuration is shown on the model, with where it is")

# -- what an editor also opens: YAML and JSON that are no models get no
# diagnostics; a model under another name is known by its first bytes
for u, t in (("/.github/workflows/build.yml", "on: push\njobs:\n  a:\n    runs-on: x\n"),
             ("/compose.yaml", "services:\n  web:\n    image: x\n"), ("/package.json", '{"name": "x"}')):
    c.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + WORK + u, "languageId": "yaml", "version": 1, "text": t}})
    check(c.diagnostics("file://" + WORK + u)["diagnostics"] == [], "no diagnostics on a file that is no model: " + u)
MIS = "file://" + WORK + "/docs/security.yaml"
c.notify("textDocument/didOpen", {"textDocument": {"uri": MIS, "languageId": "yaml", "version": 1, "text": MODEL}})
check(by_code(c.diagnostics(MIS)["diagnostics"], "TM006"), "a model under another name is checked (its first bytes)")
# -- a NUL in the text is not where the text ends
NUL = "file://" + WORK + "/nul.tm.yaml"
c.notify("textDocument/didOpen", {"textDocument": {"uri": NUL, "languageId": "yaml", "version": 1, "text": MODEL + "\u0000# tail\n"}})
p = c.diagnostics(NUL)["diagnostics"]
check(any(d.get("severity") == 1 and "code" not in d for d in p), "a NUL byte: an error diagnostic, not a check of the text before it: " + repr([d["message"][:60] for d in p][:3]))
# -- wrong types and deep nesting
c.notify("textDocument/didOpen", {"textDocument": {"uri": {"a": 1}, "text": ["x"]}})
c.notify("textDocument/didChange", {"textDocument": {"uri": URI}, "contentChanges": {"text": 5}})
deep = b'{"jsonrpc":"2.0","id":90,"method":"x","params":' + b"[" * 500 + b"]" * 500 + b"}"
c.send_raw(b"Content-Length: %d\r\n\r\n" % len(deep) + deep)
r = c.wait(lambda m: m.get("error", {}).get("code") == -32700)
check(r["id"] is None, "500 levels of nesting: ParseError")
r = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": "x", "character": None}})
check(r.get("error", {}).get("code") == -32602, "a position of the wrong types: InvalidParams")
# -- bad input: errors, and the server goes on
c.request("textDocument/hover", {})  # InvalidParams, answered
r = c.request("workspace/symbol", {"query": "x"})
check(r.get("error", {}).get("code") == -32601, "an unknown method: MethodNotFound")
c.notify("$/unknownNotification", {"x": 1})
c.send_raw(b"Content-Length: 8\r\n\r\n{\"a\": [1")
r = c.wait(lambda m: m.get("error", {}).get("code") == -32700)
check(r["id"] is None and "parse error" in r["error"]["message"], "broken JSON: ParseError with id null")
c.send_raw(b"Content-Length: 7\r\n\r\n[1,2,3]")
r = c.wait(lambda m: m.get("error", {}).get("code") == -32700)
check(r["id"] is None, "a JSON array: ParseError")
c.send_raw(b"X-Nothing: 1\r\n\r\n")
r = c.wait(lambda m: m.get("error", {}).get("code") == -32700)
check("Content-Length" in r["error"]["message"], "a frame without Content-Length: ParseError")
c.send_raw(b"Content-Length: 12abc\r\n\r\n")
r = c.wait(lambda m: m.get("error", {}).get("code") == -32700)
check("Content-Length" in r["error"]["message"], "a bad Content-Length: ParseError")
body = json.dumps({"jsonrpc": "2.0", "id": "s-1", "method": "shutdownx"}).encode()
c.send_raw(b"content-length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" % len(body) + body)
r = c.wait(lambda m: m.get("id") == "s-1")
check(r["error"]["code"] == -32601, "a string id is echoed as a string; header names in any case")
c.send({"jsonrpc": "2.0", "id": {"a": 1}, "method": "x"})
r = c.wait(lambda m: m.get("error", {}).get("code") == -32600)
check(r["id"] is None, "an object id: InvalidRequest")
c.send({"jsonrpc": "2.0", "id": 77})
r = c.wait(lambda m: m.get("id") == 77)
check(r["error"]["code"] == -32600, "a request without a method: InvalidRequest")
# a surrogate pair in a string is a character, not an error
sur = b'{"jsonrpc":"2.0","id":78,"method":"textDocument/hover","params":{"textDocument":{"uri":"\\ud83d\\ude00"},"x":1}}'
c.send_raw(b"Content-Length: %d\r\n\r\n" % len(sur) + sur)
r = c.wait(lambda m: m.get("id") == 78)
check(r.get("error", {}).get("code") == -32602, "escaped surrogates decode (then: not an open document)")
# past the frame limit: refused and skipped, the next message served
big = 170 << 20
c.send_raw(b"Content-Length: %d\r\n\r\n" % big)
chunk = b" " * (1 << 20)
for _ in range(big >> 20):
    c.send_raw(chunk)
r = c.wait(lambda m: m.get("error", {}).get("code") == -32600 and m.get("id") is None, timeout=60)
check("past the" in r["error"]["message"], "a 170 MiB message: refused, skipped")
r = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})
check("error" in r, "served after the skipped message")
# a document past --max-file-size: a diagnostic, not a crash
huge = "model: 1\ntitle: " + "x" * (65 << 20) + "\n"
HURI = "file://" + WORK + "/huge.tm.yaml"
c.notify("textDocument/didOpen", {"textDocument": {"uri": HURI, "languageId": "yaml", "version": 1, "text": huge}})
p = c.diagnostics(HURI, timeout=60)
check(len(p["diagnostics"]) == 1 and "larger than" in p["diagnostics"][0]["message"], "a 65 MiB document: a diagnostic")
c.notify("textDocument/didClose", {"textDocument": {"uri": HURI}})
c.diagnostics(HURI)
# -- shutdown, exit: 0
check(c.request("shutdown")["result"] is None, "shutdown: null")
r = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})
check(r.get("error", {}).get("code") == -32600, "requests after shutdown are refused")
c.notify("exit")
check(c.close() == 0, "exit after shutdown: status 0")

# -- exit without shutdown: 1; the end of input: 1
c = start()
init(c)
c.notify("exit")
check(c.close() == 1, "exit without shutdown: status 1")
c = start()
init(c)
check(c.close() == 1, "end of input: status 1")
# -- UTF-8 positions when the client offers them (LSP 3.17, or clangd's offsetEncoding)
for caps in ({"general": {"positionEncodings": ["utf-8", "utf-16"]}}, {"offsetEncoding": ["utf-8", "utf-16"]}):
    c = start()
    r = init(c, caps)["result"]
    check(r["capabilities"]["positionEncoding"] == "utf-8", "utf-8 chosen when offered: " + repr(caps))
    check(("offsetEncoding" in r) == ("offsetEncoding" in caps), "offsetEncoding answered in kind")
    t = "model: 1\ntitle: \u00e9\u00e9 Shop\nowner: team-shop\nthreats:\n  - id: T1\n    title: \u00e9\u00e9 x\n    status: opne\n"
    c.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": t}})
    d = by_code(c.diagnostics(URI)["diagnostics"], "TM006")
    check(d and d[0]["range"]["start"]["character"] == 12, "a finding after plain ASCII keeps its column in UTF-8")
    c.request("shutdown")
    c.notify("exit")
    c.close()
# -- a threat title with non-ASCII before a finding on the same line: units differ by encoding
for enc, caps, want in (("utf-16", {}, 13), ("utf-8", {"general": {"positionEncodings": ["utf-8"]}}, 14)):
    c = start()
    init(c, caps)
    t = "model: 1\ntitle: Shop\nowner: team-shop\nthreats:\n  - id: T1\n    title: x\n    status: {a: \u00e9, b: 1}\n"
    c.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": t}})
    ds = c.diagnostics(URI)["diagnostics"]
    cols = sorted(d["range"]["start"]["character"] for d in ds if d["range"]["start"]["line"] == 6)
    check(cols and cols[0] == 12, enc + ": the value's column " + repr(cols))
    c.request("shutdown")
    c.notify("exit")
    c.close()
print("%d failed" % fails)
sys.exit(1 if fails else 0)
