-- Helpers every rule and format adapter gets as `tm`. They run in the same
-- sandbox as rules, so they use `re` (bounded PCRE2), never Lua patterns
-- with repetition.
local tm = {}
local native = tmnative

-- Shallow copy of a table.
tm.copy = native.copy

-- In place: fields named in `texts` become text (numbers and booleans as
-- written, anything else nil); fields in `lowers` become trimmed lower-case
-- text. Returns t.
tm.fields = native.fields

-- A scalar or a list of scalars as a list of non-empty strings.
tm.texts = native.texts

-- One pass in C over every text value of the file: tm.scan(pattern
-- [, key_pattern]) returns the hits { table, key, text, by_key } whose text
-- matches pattern, or whose key matches key_pattern (by_key true).
tm.scan = native.scan

-- YAML null in a sequence arrives as a light userdata; in a mapping the key
-- is simply absent.
function tm.is_null(v)
  return v == nil or type(v) == "userdata"
end

-- A scalar as a string (numbers and booleans too), or nil.
function tm.str(v)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then
    if math.type(v) == "float" and v == math.floor(v) and v > -1e15 and v < 1e15 then
      return string.format("%.1f", v)
    end
    return tostring(v)
  end
  if t == "boolean" then return tostring(v) end
  return nil
end

function tm.trim(s)
  -- most values start and end on a printable ASCII character, which no
  -- space is (Unicode's included: U+00A0, U+3000...): only others need re
  if string.find(s, "^[!-~]") and string.find(s, "[!-~]$") then return s end
  return (re.gsub(s, "^\\s+|\\s+$", ""))
end

-- True when v holds no text: nil, null, "", only spaces, or an empty list.
function tm.blank(v)
  if tm.is_null(v) then return true end
  if type(v) == "table" then return next(v) == nil end
  local s = tm.str(v)
  if s == nil then return true end
  -- most texts start with a printable ASCII character, which no Unicode
  -- space is: no need to ask PCRE2
  if string.find(s, "^[!-~]") then return false end
  return not re.test(s, "\\S")
end

-- A scalar trimmed and in lower case (ASCII), or nil.
function tm.lower(v)
  if type(v) ~= "string" then
    v = tm.str(v)
    if not v then return nil end
  end
  return native.lower(v)
end

-- Number of words (runs of letters or digits) in a string.
function tm.words(v)
  local s = tm.str(v)
  if not s then return 0 end
  local _, n = re.gsub(s, "[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*", "")
  return n
end

-- A value that may be one item or a list, as a list (nulls dropped).
function tm.list(v)
  if tm.is_null(v) then return {} end
  if type(v) ~= "table" then return { v } end
  local out = {}
  for _, x in ipairs(v) do
    if not tm.is_null(x) then out[#out + 1] = x end
  end
  return out
end

-- Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (a time part after it
-- is ignored), or nil when it is not one.
function tm.days(v)
  local s = tm.str(v)
  if not s then return nil end
  local y, m, d = re.match(s, "^(\\d{4})-(\\d{2})-(\\d{2})(?:$|[T ])")
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m < 1 or m > 12 or d < 1 then return nil end
  -- a day the month has (2026-02-30 is no date)
  local leap = y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)
  if d > ((m == 2 and leap) and 29 or ({ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 })[m]) then return nil end
  -- days from civil (Howard Hinnant's algorithm)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

tm.default_levels = { "low", "medium", "high", "critical" }

-- The model's rating levels, lowest first (lower case).
function tm.levels(model)
  local rs = model.rating_scheme
  if rs and type(rs.levels) == "table" and #rs.levels > 0 then return rs.levels end
  return tm.default_levels
end

-- Position of a rating in the levels (1 = lowest), or nil.
-- Rules ask this for every threat, and a model repeats a few values: the
-- answers are kept per list of levels (weak keys: they go with the model).
local RANKS = setmetatable({}, { __mode = "k" })
function tm.rank(model, value)
  local levels = tm.levels(model)
  local memo = RANKS[levels]
  if not memo then
    memo = {}
    RANKS[levels] = memo
  end
  local str = type(value) == "string"
  if str then
    local known = memo[value]   -- a rank, or false for none
    if known ~= nil then return known or nil end
  end
  local r
  local s = tm.lower(value)
  if s then
    for i, l in ipairs(levels) do
      if l == s then r = i break end
    end
  end
  if str then memo[value] = r or false end
  return r
end

-- Statuses under which a threat needs no mitigation of its own.
tm.settled = { accepted = true, transferred = true, ["false-positive"] = true }

-- True when the model's format has no field for `field` (an adapter lists
-- them in model.missing): rules that need it stay quiet.
function tm.missing(model, field)
  return model.missing ~= nil and model.missing[field] == true
end

-- Where the format keeps a canonical field (model.fields maps names, e.g.
-- Threagile keeps `reviewed` in `date`): the path to report at.
function tm.field(el, name)
  return el.fields ~= nil and el.fields[name] or name
end

-- Line and column where an element starts in the file (during rules).
function tm.pos(el)
  return native.pos(el)
end

-- An adapter records a reference it could not resolve, so that no
-- reference is silently dropped: kind is what it should name ("threat",
-- "mitigation", "component", "assumption"), at the tree table holding it and
-- field its path there. holder (optional) is the model element that made
-- it (rules that conclude from an absence stay quiet for it).
function tm.unresolved(model, kind, id, at, field, holder)
  model.unresolved = model.unresolved or {}
  model.unresolved[#model.unresolved + 1] = { kind = kind, id = id, at = at, field = field, holder = holder }
  if holder then
    holder.unresolved = holder.unresolved or {}
    holder.unresolved[kind] = true
  end
end

-- A value from a format's vocabulary (a status and the like): map[v] for
-- v lower-cased, or `default` when raw[key] is absent or blank. A value the
-- map does not know reads as `default` too, and goes into model.unread for
-- TM007: a typo (`Opne`) would otherwise pass for the default without a
-- word. `read_as` says what the default means, and `names` (optional) how
-- the format spells its values, for the message.
function tm.vocab(model, map, raw, key, default, read_as, names)
  local given = raw[key]
  if type(given) == "table" then   -- a list or mapping where one value belongs
    model.unread = model.unread or {}
    model.unread[#model.unread + 1] = { node = raw, field = key, map = map, names = names,
                                        shape = given[1] ~= nil and "a list" or "a mapping",
                                        read_as = read_as or tostring(default) }
    return default
  end
  local v = tm.str(given)
  local s = tm.lower(v)
  if v ~= nil and tm.blank(v) and map[s] == nil then   -- an empty value is no value: said, not defaulted in silence
    model.unread = model.unread or {}
    model.unread[#model.unread + 1] = { node = raw, field = key, value = v, map = map, names = names, empty = true,
                                        read_as = read_as or tostring(default) }
    return default
  end
  if not s or s == "" then return default end
  local m = map[s]
  if m ~= nil then return m end
  model.unread = model.unread or {}
  model.unread[#model.unread + 1] = { node = raw, field = key, value = v, map = map, names = names,
                                      read_as = read_as or tostring(default) }
  return default
end

-- raw[key] as text (tm.str), for a field that holds one value: an id, a
-- flow's end. A list or mapping there is no value the adapter can use: it
-- reads as absent, and goes into model.unread for TM007, so that a flow
-- with `source: [a, b]` is not reported as having no source without a word.
function tm.one(model, raw, key)
  local v = raw[key]
  if type(v) == "table" then
    model.unread = model.unread or {}
    model.unread[#model.unread + 1] = { node = raw, field = key, shape = v[1] ~= nil and "a list" or "a mapping",
                                        read_as = "absent" }
    return nil
  end
  return tm.str(v)
end

-- The keys a format has for one kind of object, as a set (tm.keys reads it).
function tm.key_set(names)
  local set = {}
  for _, k in ipairs(names) do set[k] = true end
  return set
end

-- How a key is spelt once case and separators are set aside
-- ("trustZone", "trust_zone" and "Trust-Zone" are one spelling).
local function squash(k)
  return (string.gsub(string.lower(k), "[_%-%s]", ""))
end

-- Notes, in model.misspelt for TM008, each key of raw that the format does
-- not have (not in `known`, a tm.key_set) but that is close to one it has
-- and raw lacks: `mitigaton` beside no `mitigation`, `Status`, `trustZone`
-- for `trust_zones`'s `trust_zone`. The adapter reads only the keys it
-- knows, so such a key is read as absent. Keys far from every known one
-- are left alone: the open formats allow keys of a team's own.
function tm.keys(model, raw, known)
  if type(raw) ~= "table" then return end
  local odd = nil
  for k in pairs(raw) do
    if type(k) == "string" and not known[k] and #k <= 64 and not string.find(k, ".", 1, true) then
      odd = odd or {}
      odd[#odd + 1] = k
    end
  end
  if not odd then return end
  table.sort(odd)   -- in the file's terms, not hash order
  local names = {}
  for name in pairs(known) do names[#names + 1] = name end
  table.sort(names)
  for _, k in ipairs(odd) do
    local sk = squash(k)
    local best, bd, ties = nil, math.huge, 0
    for _, name in ipairs(names) do
      local d
      if sk == squash(name) then
        d = 0
      elseif math.abs(#name - #k) <= 2 then
        d = tm.distance(string.lower(k), string.lower(name))
      end
      if d and d < bd then
        best, bd, ties = name, d, 0
      elseif d and d == bd then
        ties = ties + 1
      end
    end
    local room = #k >= 9 and 2 or (#k >= 5 and 1 or 0)
    if best and bd <= room and raw[best] == nil then
      model.misspelt = model.misspelt or {}
      -- unique: no other key as close, so `check --fix` may rename it
      model.misspelt[#model.misspelt + 1] = { node = raw, key = k, suggestion = best, unique = ties == 0 }
    end
  end
end

-- Edit distance between two short strings (for did-you-mean).
function tm.distance(a, b)
  if #a > 64 or #b > 64 then return math.max(#a, #b) end
  -- an adjacent transposition ("form" for "from") counts as one edit
  local two, prev = nil, {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    local ca = string.byte(a, i)
    for j = 1, #b do
      local cb = string.byte(b, j)
      local v = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + ((ca == cb) and 0 or 1))
      if two and j > 1 and ca == string.byte(b, j - 1) and string.byte(a, i - 1) == cb then
        v = math.min(v, two[j - 2] + 1)
      end
      cur[j] = v
    end
    two, prev = prev, cur
  end
  return prev[#b]
end

-- "did you mean 'x'?" for the closest of ids, or the ids that exist (the
-- first few), or that there are none.
function tm.suggest(word, ids)
  local best, bd = nil, math.huge
  for _, id in ipairs(ids) do
    -- an id tmlint made up (it holds '#') is nobody's to type
    if not string.find(id, "#", 1, true) then
      local d = tm.distance(word, id)
      if d < bd then best, bd = id, d end
    end
  end
  if best and bd <= math.max(1, #word // 3) then return "did you mean '" .. best .. "'?" end
  local real = {}
  for _, id in ipairs(ids) do if not string.find(id, "#", 1, true) then real[#real + 1] = id end end
  if #real == 0 then return "it defines none" end
  local shown = {}
  for i = 1, math.min(#real, 5) do shown[i] = "'" .. real[i] .. "'" end
  return "it defines " .. table.concat(shown, ", ") .. (#real > 5 and (" and " .. (#real - 5) .. " more") or "")
end

-- The git repository of the checked file, read-only and confined to its
-- root: available(); exists(path) (a file or directory, path relative to
-- the root); contains(path, text). Outside a repository, or with
-- --no-repo, exists and contains return nil and the summary says why.
-- last_change(globs): the newest of the last 10,000 commits (first parents)
-- that changed a matching path, { age = commits back from HEAD, time =
-- seconds, id }, or false; file(): the checked file's path from the root.
-- first_change(globs): the same for the oldest commit the walk read (the
-- real first may be older when the history is longer than the walk).
-- changed(globs, opts): whether the change under check (--changed-since REF
-- or --staged) touches a matching path; nil when no change is under check.
-- With opts.unacknowledged, under --changed-since, commits whose message
-- carries a Threat-Model-Unchanged trailer do not count.
-- ci(): the repository's CI files, { path, tree } each, read with its first
-- model in the run (so once); report() on their tables points into them.
-- base(): { model, commit } of the checked file at the base commit of the
-- change under check, when the change touches it; its tables are read-only
-- history (report() refuses them).
tm.repo = { available = native.repo_available, exists = native.repo_exists, contains = native.repo_contains,
            last_change = native.repo_last_change, first_change = native.repo_first_change,
            file = native.repo_file, changed = native.repo_changed, ci = native.repo_ci,
            base = native.repo_base }

-- A text with case, spacing and punctuation folded away: two texts that
-- differ only in those say the same thing (TM203, TM208, TM308).
local NOT_WORD = re.compile("[^\\p{L}\\p{N}]+")
function tm.norm(v)
  local s = tm.str(v)
  if not s then return "" end
  local fast = native.norm_ascii(s)   -- the same result, in C, for ASCII text
  if fast then return fast end
  return tm.trim((re.gsub(string.lower(s), NOT_WORD, " ")))
end

-- Where a threat's accept reason is, for report(): (element, field). A
-- format may keep it on another element (an out-of-scope entry).
function tm.reason_at(t)
  local a = t.accept
  if a.reason_field then return a, a.reason_field end
  return t, a.node == t.node and "accept" or "accept.reason"
end

-- A verified_by text that names a repository path, "tests/x_test.c" or
-- "tests/x_test.py::test_name": returns path, name (or nil). Prose ("pen
-- test in March") is not one, nor a version ("v1.2": an extension starts
-- with a letter).
local EVIDENCE = re.compile("^([A-Za-z0-9_.@+-][A-Za-z0-9_./@+-]*(?:/[A-Za-z0-9_.@+-]+|\\.[A-Za-z][A-Za-z0-9]*))(?:::(.+))?$")
function tm.evidence(v)
  v = tm.str(v)
  if not v then return nil end
  return re.match(tm.trim(v), EVIDENCE)
end

-- Test results read from --test-results (JUnit XML): available(), and
-- find(path, name?) -> { result = "passed" | "failed" | "errored" |
-- "skipped", test, at = "results.xml:LINE", message? } for the worst case
-- among those a verified_by names, or false when none is in the results.
tm.tests = { available = native.tests_available, find = native.tests_find }

-- The lists below are made once per threat and shared by every rule that
-- asks: ten rules ask for each threat, and building the lists anew each
-- time cost more than those rules' own work. Like the model, they are
-- read-only by convention (copy one with tm.copy to change it). Weak keys:
-- an entry goes with its model.
local LINKED = setmetatable({}, { __mode = "k" })
local ESSENTIALS = setmetatable({}, { __mode = "k" })

-- The mitigations a threat lists that the model defines, in order.
function tm.linked(t)
  local out = LINKED[t]
  if out then return out end
  out = {}
  for _, link in ipairs(t.links or {}) do
    if link.mitigation then out[#out + 1] = link.mitigation end
  end
  LINKED[t] = out
  return out
end

-- A mitigation that is still to be built (not done, not dropped).
function tm.pending(m)
  return m.status ~= "done" and m.status ~= "dropped"
end

-- The essential, not dropped, mitigations a threat lists (placeholders,
-- tm.placeholder, are none).
function tm.essentials(t)
  local out = ESSENTIALS[t]
  if out then return out end
  out = {}
  for _, m in ipairs(tm.linked(t)) do
    if m.kind == "essential" and m.status ~= "dropped" and not tm.placeholder(m) then out[#out + 1] = m end
  end
  ESSENTIALS[t] = out
  return out
end

-- ---- text that is not a mitigation ----

-- Whether a mitigation's text describes no control: a tool's untouched
-- default, a placeholder, or words saying there is none. One helper for
-- every rule and the audit, so that they never disagree on what counts.
-- Returns why ("a placeholder", "the tool's untouched default text", "it
-- says there is no mitigation"), or nil for a real one. Three compiled
-- patterns, one test each: most texts fail at their first letter.
local function alts(words)
  local out = {}
  for i, w in ipairs(words) do
    -- ASCII punctuation escaped is always literal in PCRE2; most words
    -- have none, and one %p test is cheaper than a class of twenty
    out[i] = string.find(w, "%p") and (string.gsub(w, "%p", "\\%0")) or w
  end
  return table.concat(out, "|")
end
local Q = "[\\s\"'`]*"
local PLACEHOLDER_WORDS = alts({
  "tbd", "tba", "tbc", "todo", "to do", "to-do", "to be done", "to be decided", "to be determined", "to be defined",
  "to be confirmed", "to be added", "to be completed", "n/a", "na", "n.a", "n a", "none", "nil", "null", "-", "--",
  "---", "—", "...", "…", "?", "??", "???", "xxx", "fixme", "placeholder", "pending", "wip", "nothing",
  "no", "unknown", "not applicable", "not known", "not sure", "mitigation", "remediation", "countermeasure",
  "add mitigation", "add a mitigation", "describe the mitigation", "enter mitigation", "insert mitigation here",
  "mitigation here", "lorem ipsum", "test", "asdf", "tk", "not implemented", "not implemented yet", "not done",
  "not done yet", "later", "tbd later" })
-- the text a tool writes into a new item
local DEFAULT_WORDS = alts({
  "provide remediation for this threat or a reason if status is n/a", "provide a description for this threat",
  "provide remediation for this threat", "new mitigation", "new threat mitigation", "mitigation description",
  "describe the mitigation here" })
-- openings that say there is no control ("No mitigation, but ...")
local NONE_WORDS = alts({
  "no mitigation", "not mitigated", "none yet", "not yet mitigated", "no countermeasure", "no controls",
  "no control", "nothing yet", "nothing implemented", "not addressed", "unmitigated", "none at the moment",
  "none currently", "none for now", "none planned", "no remediation", "no fix yet", "no known mitigation",
  "none identified", "no mitigating control" })
-- one pass: which group matched says why
local END = "[\\s\"'`.!:;,]*$"
local PLACEHELD_RE = re.compile("^" .. Q .. "(?:(" .. NONE_WORDS .. ")(?![\\p{L}\\p{N}])|(" .. PLACEHOLDER_WORDS .. ")" .. END
  .. "|(" .. DEFAULT_WORDS .. ")" .. END .. ")", "i")

-- The words of a text (letters and digits), lower-cased.
local WORD = re.compile("[\\p{L}\\p{N}]+")
function tm.words_of(s)
  local out, at = {}, 1
  s = tm.lower(s) or ""
  while true do
    local a, b = re.find(s, WORD, at)
    if not a then break end
    out[#out + 1] = string.sub(s, a, b)
    at = b + 1
  end
  return out
end

function tm.placeholder_text(s)
  if type(s) ~= "string" then return nil end
  if tm.blank(s) then return "a placeholder" end
  local none, ph, def = re.match(s, PLACEHELD_RE)
  if none == nil then return nil end
  if none then return "it says there is no mitigation" end
  if ph then return "a placeholder" end
  if def then return "the tool's untouched default text" end
  return nil
end

local PLACEHELD = setmetatable({}, { __mode = "k" })
-- Why mitigation m does not count as one (see tm.placeholder_text), or
-- nil. A placeholder title with a real description still counts.
function tm.placeholder(m)
  local v = PLACEHELD[m]
  if v ~= nil then return v or nil end
  local why = tm.placeholder_text(m.title)
  if why and type(m.description) == "string" and not tm.placeholder_text(m.description) then why = nil end
  if why == nil and m.title == nil and m.description ~= nil then why = tm.placeholder_text(m.description) end
  PLACEHELD[m] = why or false
  return why
end

local REAL = setmetatable({}, { __mode = "k" })
-- The mitigations a threat lists that are real ones (tm.placeholder), and
-- the first one that was discounted, for a message.
function tm.real_linked(t)
  local r = REAL[t]
  if r then return r.list, r.first end
  local list, first = {}, nil
  for _, m in ipairs(tm.linked(t)) do
    if tm.placeholder(m) then first = first or m else list[#list + 1] = m end
  end
  REAL[t] = { list = list, first = first }
  return list, first
end

-- "'TBD' is not a mitigation (a placeholder)" for a message.
function tm.discounted(m)
  local text = m.title or m.description or ""
  if #text > 60 then text = string.sub(text, 1, 57) .. "..." end
  return "'" .. text .. "' is not a mitigation (" .. (tm.placeholder(m) or "?") .. ")"
end

-- ---- the architecture: element types, flows, trust zones, categories ----

-- The element types of a data-flow diagram, from the words formats use.
local ETYPE = {}
for canon, words in pairs({
  ["external-entity"] = { "external-entity", "external", "entity", "actor", "user", "human", "tm.actor",
                          "external-service", "external-dependency", "external-system" },
  process = { "process", "tm.process", "service", "application", "app", "web-application", "web-server", "api",
              "function", "internal" },
  ["data-store"] = { "data-store", "datastore", "store", "tm.store", "database", "db", "storage", "file-system",
                     "filesystem", "queue" },
}) do
  for _, w in ipairs(words) do ETYPE[w] = canon end
end
-- library ids such as OTM's "android-device-client" or
-- "CD-MICROSOFT-AZURE-DB-POSTGRESQL": read by their words
local ETYPE_WORDS = {
  { re.compile("(^|-)(client|device|browser|user|actor|person)(-|$)"), "external-entity" },
  { re.compile("(^|-)(database|db|rds|storage|bucket|s3|postgresql|mysql|dynamodb|store|queue|cache|vault)(-|$)"),
    "data-store" },
  { re.compile("(^|-)(service|server|process|container|function|lambda|balancer|gateway|api|app|application)(-|$)"),
    "process" },
}
function tm.element_type(v)
  local s = tm.lower(v)
  if not s then return nil end
  s = (re.gsub(s, "[\\s_]+", "-"))
  if ETYPE[s] then return ETYPE[s] end
  for _, w in ipairs(ETYPE_WORDS) do
    if re.test(s, w[1]) then return w[2] end
  end
  return nil
end

-- Threat categories in one vocabulary: STRIDE's six, LINDDUN's seven, or
-- "other". Formats spell them as letters (T), words (Tampering), slugs
-- (information-disclosure) or phrases (Elevation of privilege).
tm.STRIDE = { "spoofing", "tampering", "repudiation", "information-disclosure", "denial-of-service",
              "elevation-of-privilege" }
tm.LINDDUN = { "linking", "identifying", "non-repudiation", "detecting", "data-disclosure", "unawareness",
               "non-compliance" }
local CATEGORY = {
  s = "spoofing", t = "tampering", r = "repudiation", i = "information-disclosure", d = "denial-of-service",
  e = "elevation-of-privilege", dos = "denial-of-service", eop = "elevation-of-privilege",
  ["info-disclosure"] = "information-disclosure", ["disclosure-of-information"] = "information-disclosure",
  ["privilege-escalation"] = "elevation-of-privilege", ["escalation-of-privilege"] = "elevation-of-privilege",
  linkability = "linking", identifiability = "identifying", ["non-repudiation"] = "non-repudiation",
  nonrepudiation = "non-repudiation", detectability = "detecting", ["data-disclosure"] = "data-disclosure",
  unintervenability = "unawareness", noncompliance = "non-compliance",
}
for _, c in ipairs(tm.STRIDE) do CATEGORY[c] = c end
for _, c in ipairs(tm.LINDDUN) do CATEGORY[c] = c end
-- word stems: "spoofing identity", "tampering with data", "denial-of-service attack"
local STEM = { { "^spoof", "spoofing" }, { "^tamper", "tampering" }, { "^repudiat", "repudiation" },
               { "^information-disclos", "information-disclosure" }, { "^denial", "denial-of-service" },
               { "^elevation", "elevation-of-privilege" }, { "^linkab", "linking" }, { "^identifiab", "identifying" },
               { "^detectab", "detecting" }, { "^unaware", "unawareness" }, { "^non-?complian", "non-compliance" } }
local SLUG = re.compile("[^a-z0-9]+")
function tm.category(v)
  local s = tm.lower(v)
  if not s then return nil end
  s = (re.gsub((re.gsub(s, SLUG, "-")), "^-+|-+$", ""))
  if s == "" then return nil end
  local c = CATEGORY[s]
  if c then return c end
  for _, st in ipairs(STEM) do
    if re.test(s, st[1]) then return st[2] end
  end
  return "other"
end

-- All categories a value names: a list, a comma- or slash-separated text,
-- or letters run together ("STR"). Unique, in order.
function tm.categories(v)
  local out, seen = {}, {}
  local function add(c)
    if c and not seen[c] then seen[c] = true; out[#out + 1] = c end
  end
  for _, s in ipairs(tm.texts(v)) do
    -- letters run together are capitals ("STR"); "tide" or "rest" are words
    if re.test(s, "^[STRIDE]{2,6}$") then
      for i = 1, #s do add(CATEGORY[string.lower(string.sub(s, i, i))]) end
    else
      local start = 1
      while start <= #s do   -- split at , ; / |
        local at = re.find(s, "[,;/|]", start)
        add(tm.category(string.sub(s, start, (at or #s + 1) - 1)))
        start = (at or #s) + 1
      end
    end
  end
  return out
end

-- The categories a threat carries, as a set: the normalized ones and, for
-- a team's own scheme, the lower-cased texts as the file wrote them.
function tm.category_set(t)
  local set = {}
  for _, c in ipairs(t.categories or {}) do set[c] = true end
  for _, s in ipairs(tm.texts(t.category_text)) do set[tm.lower(s)] = true end
  return set
end

-- Is category c (a name from a rule's settings) in such a set?
function tm.has_category(set, c)
  local n = tm.category(c)
  return set[tm.lower(c) or ""] == true or (n ~= nil and n ~= "other" and set[n] == true)
end

-- Completes a model's architecture after an adapter built it (every
-- built-in adapter ends with it; a team adapter should too): flows,
-- trust_zones and boundaries exist, with their by-id indexes; each
-- component has `zone` (its zone's id) and each zone its `members`; each
-- flow its resolved ends (`from_component`, `to_component`); each threat
-- `flows`, `targets` (the ids of what it is on, components and flows) and
-- `categories` (normalized; `category` is the first). Returns model.
function tm.arch(model)
  for _, k in ipairs({ "flows", "trust_zones", "boundaries" }) do
    local l = model[k]
    if type(l) ~= "table" then l = {} end
    for _, e in ipairs(l) do   -- a team adapter's stray entry must not break every rule
      if type(e) ~= "table" then
        local kept = {}
        for _, x in ipairs(l) do if type(x) == "table" then kept[#kept + 1] = x end end
        l = kept
        break
      end
    end
    model[k] = l
  end
  model.flow_by_id, model.zone_by_id = {}, {}
  for _, f in ipairs(model.flows) do
    if f.id and not model.flow_by_id[f.id] then model.flow_by_id[f.id] = f end
    f.data = f.data or {}
  end
  local by_name = {}
  for _, z in ipairs(model.trust_zones) do
    z.members = z.members or {}
    if z.id and not model.zone_by_id[z.id] then model.zone_by_id[z.id] = z end
    if z.name and not by_name[z.name] then by_name[z.name] = z end
  end
  local member_sets = {}
  for _, c in ipairs(model.components) do
    local name = c.trust_zone
    if c.zone and model.zone_by_id[c.zone] then name = c.zone end   -- the adapter resolved it
    if name then
      local z = model.zone_by_id[name] or by_name[name]
      if not z then   -- a zone the format only names on its members
        z = { id = name, name = name, members = {}, node = c.node, implicit = true }
        model.trust_zones[#model.trust_zones + 1] = z
        model.zone_by_id[name] = z
        by_name[name] = z
      end
      c.zone = z.id
      c.trust_zone = z.name or z.id   -- rules read the zone's name
      -- a set per zone: a scan of the members for each component was
      -- quadratic in a zone's size
      local set = member_sets[z]
      if not set then
        set = {}
        for _, m in ipairs(z.members) do if m == m then set[m] = true end end   -- (not NaN)
        member_sets[z] = set
      end
      if c.id and not set[c.id] then
        set[c.id] = true
        z.members[#z.members + 1] = c.id
      end
    end
  end
  for _, f in ipairs(model.flows) do
    f.from_component = f.from and model.component_by_id[f.from] or nil
    f.to_component = f.to and model.component_by_id[f.to] or nil
  end
  local memo = {}   -- category text -> its categories (a model repeats a few)
  for _, t in ipairs(model.threats) do
    if type(t.components) ~= "table" then t.components = tm.texts(t.components) end
    if type(t.flows) ~= "table" then t.flows = tm.texts(t.flows) end
    local comps, flows = t.components, t.flows
    local targets
    if #flows == 0 and #comps <= 1 then   -- the common case: no duplicates possible
      targets = (#comps == 1 and type(comps[1]) == "string") and { comps[1] } or {}
    else
      local seen = {}
      targets = {}
      for i = 1, #comps + #flows do
        local id = i <= #comps and comps[i] or flows[i - #comps]
        if type(id) == "string" and not seen[id] then seen[id] = true; targets[#targets + 1] = id end
      end
    end
    t.targets = targets
    if t.categories == nil then
      t.category_text = t.category_text or t.category
      local text = t.category_text
      if type(text) == "string" then
        local cats = memo[text]
        if not cats then cats = tm.categories(text); memo[text] = cats end
        t.categories = table.move(cats, 1, #cats, 1, {})
      else
        t.categories = tm.categories(text)
      end
    end
    t.category = t.categories[1]
  end
  return model
end

-- How messages name an element: 'name' (id) when it has a name of its
-- own, else 'id'.
function tm.label(el)
  local id = el.id
  local name = not tm.blank(el.name) and el.name or nil
  if not name and el.from ~= nil and el.to ~= nil and (id == nil or tm.machine_id(id)) then
    -- a flow with no label: by its two ends, as the diagram shows them
    local a, b = el.from_component, el.to_component
    return "'" .. ((a and tm.name(a)) or tostring(el.from)) .. " -> " .. ((b and tm.name(b)) or tostring(el.to)) .. "'"
  end
  if name and (id == nil or tm.machine_id(id)) then return "'" .. name .. "'" end
  id = id or "?"
  if name and name ~= id then return "'" .. name .. "' (" .. id .. ")" end
  return "'" .. id .. "'"
end

-- Whether an id is one no person wrote or reads: a UUID, or one tmlint
-- made up for an element that had none (it holds '#').
local UUID = re.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
function tm.machine_id(id)
  return type(id) == "string" and (string.find(id, "#", 1, true) ~= nil or (#id == 36 and re.test(id, UUID)))
end

-- An element as its author sees it, for a message (without quotes): its
-- id, unless that is missing or machine-made (tm.machine_id) and it has a
-- title or name.
function tm.name(el)
  local id = el.id
  if type(id) == "string" and not tm.machine_id(id) then return id end
  local t = not tm.blank(el.title) and el.title or (not tm.blank(el.name) and el.name) or nil
  if t then return #t > 60 and (string.sub(t, 1, 57) .. "...") or t end
  return id ~= nil and tostring(id) or "?"
end

-- Does flow f cross a trust boundary? When the format drew the boundary
-- as a line, the adapter says (f.crosses); otherwise its ends sit in
-- different zones (no zone counts as outside all zones), in a model that
-- has zones. nil when an end is not a component.
function tm.crosses(model, f)
  if f.crosses ~= nil then return f.crosses end
  local a, b = f.from_component, f.to_component
  if not a or not b then return nil end
  if #model.trust_zones == 0 then return false end
  return (a.zone or "") ~= (b.zone or "")
end

return tm
