#!/usr/bin/python3
"""gen-rule-api.py [--check]: editor help for rule authors, from the docs.

Reads the rule API where it is documented (the `tm` and `re` tables of
docs/writing-rules.md, the canonical model's table in docs/model.md) and
the sandbox's globals (src/rt/lua_rt.c), and writes:

  rules/editor/luacheckrc.lua  a luacheck configuration: the globals a rule
                               or adapter has (tm, re, what the sandbox
                               keeps of Lua), so that io.open or tm.scna is
                               flagged;
  rules/editor/tmlint.d.lua    the same API as Lua Language Server
                               annotations (---@meta): every tm and re
                               function, the model's element types and
                               their fields.

With --check it writes nothing and exits 1 when a file is out of date, or
when rules/lib/tm.lua defines a helper the docs do not list: the files and
the docs cannot drift apart (tests/docs runs it)."""
import re
import sys

SRC = sys.argv[sys.argv.index("--src") + 1] if "--src" in sys.argv else "."
CHECK = "--check" in sys.argv


def read(path):
    with open(f"{SRC}/{path}", encoding="utf-8") as f:
        return f.read()


def section(text, head):
    start = text.index(head)
    nxt = text.find("\n## ", start + len(head))
    return text[start:nxt if nxt >= 0 else len(text)]


def table_rows(text):
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if len(cells) >= 2:
                rows.append(cells)
    return rows


def params(argtext):
    """'s, pat [, init [, flags]]' -> [('s', False), ('pat', False), ('init', True), ('flags', True)]"""
    out, depth = [], 0
    for tok in re.findall(r"\[|\]|[A-Za-z_][A-Za-z0-9_]*\??|\.\.\.", argtext):
        if tok == "[":
            depth += 1
        elif tok == "]":
            depth -= 1
        else:
            opt = depth > 0 or tok.endswith("?")
            out.append((tok.rstrip("?"), opt))
    return out


def api_entries(sec, prefix):
    """Every `prefix.name(args)` or `prefix.name` in the first column, with the row's text."""
    entries = {}
    for cells in table_rows(sec):
        for m in re.finditer(r"`(" + prefix + r"(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(\(([^)]*)\))?`", cells[0]):
            name, call, args = m.group(1), m.group(2), m.group(3)
            if name not in entries:
                entries[name] = (params(args) if call else None, re.sub(r"`", "", cells[1]))
    return entries


doc = read("docs/writing-rules.md")
tm_api = api_entries(section(doc, "## `tm`: helpers"), "tm")
re_api = api_entries(section(doc, "## `re`: PCRE2"), "re")

# what rules/lib/tm.lua defines: each must be documented
defined = set(re.findall(r"^function (tm\.[A-Za-z_.]+)\(|^(tm\.[A-Za-z_]+) *=", read("rules/lib/tm.lua"), re.M))
defined = {a or b for a, b in defined}
documented_tables = {n.rsplit(".", 1)[0] for n in tm_api}
undocumented = sorted(n for n in defined if n not in tm_api and n not in documented_tables)

# the sandbox: base functions kept (src/rt/lua_rt.c), and the libraries
rt = read("src/rt/lua_rt.c")
base = re.findall(r'"([A-Za-z_]+)"', re.search(r"base_ok\[\] = \{(.*?)NULL\}", rt, re.S).group(1)) + ["print"]
LIBS = {
    "string": "byte char find format gmatch gsub len lower match pack packsize rep reverse sub unpack upper",
    "table": "concat insert move pack remove sort unpack",
    "math": "abs ceil cos deg exp floor fmod huge log max maxinteger min mininteger modf pi rad sin sqrt tan "
            "tointeger type ult",   # random and randomseed removed: results must not vary
    "utf8": "char charpattern codepoint codes len offset",
}

# the canonical model: element -> fields, from docs/model.md's table
CLASS = {"model": "Model", "component": "Component", "flow": "Flow", "trust zone": "TrustZone",
         "boundary": "Boundary", "threat": "Threat", "mitigation": "Mitigation"}
LISTS = {"components": "Component", "flows": "Flow", "trust_zones": "TrustZone", "boundaries": "Boundary",
         "threats": "Threat", "mitigations": "Mitigation"}
BY_ID = {"component_by_id": "Component", "flow_by_id": "Flow", "zone_by_id": "TrustZone",
         "mitigation_by_id": "Mitigation"}


def top_level(text):
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "[{(" 
        depth -= ch in "]})"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


classes = {}
for cells in table_rows(section(read("docs/model.md"), "## The canonical model")):
    if cells[0] not in CLASS:
        continue
    fields = []
    for part in top_level(cells[1]):
        m = re.match(r"`([a-z_]+)(\??)`(.*)", part)
        if not m:
            continue
        name, opt, rest = m.group(1), bool(m.group(2)), m.group(3).strip()
        if name in LISTS and cells[0] == "model":
            typ = f"tmlint.{LISTS[name]}[]"
        elif name == "threats" and cells[0] == "mitigation":
            typ = "tmlint.Threat[]"   # the threats themselves, not their ids
        elif name in BY_ID:
            typ = f"table<string, tmlint.{BY_ID[name]}>"
        elif name in ("node", "rating_scheme", "accept") or rest.startswith("{"):
            typ = "table"
        elif rest.startswith("["):
            typ = "table[]" if name in ("links", "unresolved") else "string[]"
        elif "bool" in rest or name in ("key", "implicit", "authenticated", "encrypted", "bidirectional", "crosses",
                                        "out_of_scope"):
            typ = "boolean"
        elif name in ("from_component", "to_component"):
            typ = "tmlint.Component"
        elif name == "inline_of":
            typ = "tmlint.Threat"
        else:
            typ = "string"
        desc = re.sub(r"`", "", rest).strip()
        if desc[:1] + desc[-1:] in ("[]", "()", "{}"):
            desc = desc[1:-1].strip()
        fields.append((name, opt, typ, desc))
    classes[CLASS[cells[0]]] = fields


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


HEADER = ("-- Generated by tools/gen-rule-api.py from docs/writing-rules.md,\n"
          "-- docs/model.md and src/rt/lua_rt.c: do not edit; edit the docs and run it.\n")


def luacheckrc():
    out = [HEADER,
           "-- luacheck configuration for tmlint rules and adapters: the globals the\n"
           "-- sandbox gives them and nothing else, so that io.open, os.time or a typo\n"
           "-- such as tm.scna is flagged. Use it with\n"
           "--   luacheck --config <this file> tm-rules/\n"
           "-- (an installed tmlint has it in share/tmlint/rules/editor/).\n",
           "local function fields(names)\n  local t = {}\n"
           "  for n in string.gmatch(names, \"%S+\") do t[n] = {} end\n  return { fields = t }\nend\n",
           "local tm_fields = {"]
    tree = {}
    values = {n for n, (ps, _) in tm_api.items() if ps is None}   # tables of values: any key reads
    for name in sorted(tm_api):
        parts = name.split(".")[1:]
        node = tree
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node.setdefault(parts[-1], {} if name not in values else None)

    def emit(node, indent):
        lines = []
        for k in sorted(node):
            if node[k] is None:
                lines.append(f"{indent}{k} = {{ other_fields = true }},")
            elif node[k]:
                lines.append(f"{indent}{k} = {{ fields = {{")
                lines.extend(emit(node[k], indent + "  "))
                lines.append(f"{indent}}} }},")
            else:
                lines.append(f"{indent}{k} = {{}},")
        return lines

    out.extend(emit(tree, "  "))
    out.append("}\n")
    out.append("stds.tmlint = {\n  read_globals = {")
    out.append("    tm = { fields = tm_fields },")
    out.append("    re = fields(" + lua_str(" ".join(sorted(n.split(".", 1)[1] for n in re_api))) + "),")
    for lib in sorted(LIBS):
        out.append(f"    {lib} = fields({lua_str(LIBS[lib])}),")
    for b in sorted(set(base)):
        out.append(f"    {b} = {{}},")
    out.append("  },\n}\n")
    out.append('std = "tmlint"\n'
               "-- a rule's run(model, report, settings, ctx) need not use all four\n"
               "unused_args = false\n"
               "max_line_length = false\n")
    return "\n".join(out)


def meta():
    out = ["---@meta tmlint\n" + HEADER,
           "-- The rule API for the Lua Language Server: add this file's directory to\n"
           "-- workspace.library (an installed tmlint has it in\n"
           "-- share/tmlint/rules/editor/) and rules get completion and checks.\n"]
    for cls, fields in classes.items():
        out.append(f"---@class tmlint.{cls}")
        for name, opt, typ, desc in fields:
            d = (" " + desc) if desc else ""
            out.append(f"---@field {name}{'?' if opt else ''} {typ}{d}".rstrip())
        out.append("")
    out.append("---@class tmlint.ReportFields\n---@field field? string the element's field to point at"
               " (\"accept.reason\", \"mitigations.2\")\n---@field on_key? boolean point at the field's key\n"
               "---@field message? string a message template for this finding only\n"
               "---@field [string] any values for {key} in the message\n")
    out.append("---@alias tmlint.Report fun(element: table, fields?: tmlint.ReportFields)\n")
    out.append("---@class tmlint.Ctx\n---@field now string today, YYYY-MM-DD\n---@field file string the checked file\n")
    out.append("---@class tmlint.Rule\n---@field id string\n---@field name string\n"
               "---@field level \"error\"|\"warning\"|\"note\"\n---@field meta string[]\n---@field summary string\n"
               "---@field help string\n---@field message string\n---@field settings? table\n---@field needs? string[]\n"
               "---@field reads_ci? boolean\n"
               "---@field run fun(model: tmlint.Model, report: tmlint.Report, settings: table, ctx: tmlint.Ctx)\n")

    def emit_fns(api, top):
        tables = set()
        for name in sorted(api):
            ps, desc = api[name]
            parent = name.rsplit(".", 1)[0]
            if parent != top and parent not in tables:
                tables.add(parent)
                out.append(f"{parent} = {{}}\n")
            out.append(("--- " + desc.replace("\n", " ")).rstrip())
            if ps is None:
                out.append(f"---@type table\n{name} = {{}}\n")
                continue
            for p, opt in ps:
                if p != "...":
                    out.append(f"---@param {p}{'?' if opt else ''} any")
            names = ", ".join(p for p, _ in ps)
            out.append(f"function {name}({names}) end\n")

    out.append("tm = {}\n")
    emit_fns(tm_api, "tm")
    out.append("re = {}\n")
    emit_fns(re_api, "re")
    return "\n".join(out)


targets = {"rules/editor/luacheckrc.lua": luacheckrc(), "rules/editor/tmlint.d.lua": meta()}
bad = 0
if undocumented:
    print("rules/lib/tm.lua defines helpers docs/writing-rules.md does not list: " + ", ".join(undocumented))
    bad = 1
for path, text in targets.items():
    if CHECK:
        try:
            same = read(path) == text
        except FileNotFoundError:
            same = False
        if not same:
            print(f"{path} is out of date: /usr/bin/python3 tools/gen-rule-api.py")
            bad = 1
    else:
        with open(f"{SRC}/{path}", "w", encoding="utf-8") as f:
            f.write(text)
sys.exit(bad)
