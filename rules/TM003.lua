-- Two kinds of evidence that a text holds a credential:
--  * a token whose format is a credential's own (key blocks, provider
--    tokens): it fires on sight;
--  * a value given to a secret-like name (`password=...`, `api_key: ...`):
--    it fires only when the value itself looks like a credential (one
--    token, mixed characters or high entropy, not a placeholder, a word, a
--    reference or a date). Prose about secrets names them; it does not
--    contain them.
local FORMATS = {
  { "a private key", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----" },
  { "an AWS access key id", "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b" },
  { "a GitHub token", "\\bgh[pousr]_[A-Za-z0-9]{36,}\\b" },
  { "a GitLab token", "\\bglpat-[0-9A-Za-z_-]{20,}" },
  { "a Slack token", "\\bxox[abprs]-[A-Za-z0-9-]{10,}" },
  { "a Slack webhook", "hooks\\.slack\\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{12,}" },
  { "a Google API key", "\\bAIza[0-9A-Za-z_-]{35}\\b" },
  { "a Google service-account key", "\"type\"\\s*:\\s*\"service_account\"" },
  { "a Stripe key", "\\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}" },
  { "an Azure storage key", "AccountKey=[A-Za-z0-9+/]{60,}={0,2}" },
  { "an npm token", "\\bnpm_[A-Za-z0-9]{36}\\b" },
  { "a SendGrid key", "\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\\b" },
  { "an OpenAI key", "\\bsk-(?:proj-)?[A-Za-z0-9_-]{40,}" },
  { "a JSON web token", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}" },
}
local NAMES = "password|passwd|pwd|pass(?:phrase)?|secret|client[_ -]?secret|api[_-]?key|access[_-]?key|"
  .. "secret[_-]?key|private[_-]?key|(?:auth|access|refresh|bearer|api)?[_-]?token"
-- `name = value` / `name: value` inside a text; group 1 is the value
local ASSIGN = "(?:\\b|(?<=_))(?:" .. NAMES .. ")\\s*(?::=|[:=])\\s*['\"]?([^\\s'\",;]+)"
-- user:password@host in a URL; group 1 is the password
local URL_AUTH = "\\b[A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@]+:([^\\s/@]+)@[^\\s/@]"

local COMPILED = {}
for i, p in ipairs(FORMATS) do
  COMPILED[i] = { p[1], re.compile(p[2]) }
end
-- The candidates: a text one of these matches. Each alternative is one of
-- FORMATS, matching the same texts, but with its common first letters
-- moved into a lookbehind, so that every alternative starts with a rare
-- character (- _ . " J A S). PCRE2 tries a match only where such a
-- character stands; joined as written, any s, e, r, n, h, g or x in prose
-- started one (measured: a fifth of the whole run at 10,000 threats).
-- tests/rules/TM003/table.txt has tokens with and without a word boundary.
local FORMATS_FAST = {
  "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
  "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b",
  "(?<=\\bgh[pousr])_[A-Za-z0-9]{36,}\\b",
  "(?<=\\bglpat)-[0-9A-Za-z_-]{20,}",
  "(?<=\\bxox[abprs])-[A-Za-z0-9-]{10,}",
  "(?<=hooks)\\.slack\\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{12,}",
  "\\bAIza[0-9A-Za-z_-]{35}\\b",
  "\"type\"\\s*:\\s*\"service_account\"",
  "(?<=\\b[rs]k)_(?:live|test)_[0-9A-Za-z]{16,}",
  "AccountKey=[A-Za-z0-9+/]{60,}={0,2}",
  "(?<=\\bnpm)_[A-Za-z0-9]{36}\\b",
  "\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\\b",
  "(?<=\\bsk)-(?:proj-)?[A-Za-z0-9_-]{40,}",
  "(?<=\\bey)J[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}",
}
-- The assignments likewise, once with each operator: a pattern with a
-- character every match must hold lets PCRE2 pass over a text without it
-- at once, and most texts hold neither ':' nor '='.
local NAMED = "(?:\\b|(?<=_))(?:" .. NAMES .. ")\\s*"
local ANY = {
  re.compile("(?:" .. table.concat(FORMATS_FAST, ")|(?:") .. ")"),
  re.compile(NAMED .. ":", "i"), re.compile(NAMED .. "=", "i"),
  re.compile(URL_AUTH),
}
local ASSIGN_RE = re.compile(ASSIGN, "i")
local URL_AUTH_RE = re.compile(URL_AUTH)
local SECRET_KEY = re.compile("^(?:" .. NAMES .. ")$", "i")

local PLACEHOLDER = re.compile(
  "change_?-?me|example|redacted|placeholder|dummy|sample|your[_-]|^your|xxxx|\\*\\*\\*|^<.*>$|"
  .. "^\\$|\\$\\{|\\{\\{|^%.*%$|^\\[.*\\]$|todo|tbd|fixme|not[_-]?set|^none$|^null$|^n/?a$|^-+$", "i")
-- words, CamelCase or words joined by - _ . / (`sandbox-only-value`,
-- `SecretsManager`, `vault/kv`): names of things, not credentials
local WORDS = re.compile("^(?:[A-Z]?[a-z]+|[A-Z]+)(?:[-_./]?(?:[A-Z]?[a-z]+|[A-Z]+))*$")
-- where a secret is kept rather than the secret: URLs, paths, vault:..,
-- arn:aws:.., env:NAME, ISO dates and times, plain numbers
local REFERENCE = re.compile(
  "^(?:[a-z][a-z0-9+.-]{1,20}:(?!//[^\\s:/@]+:[^\\s/@]+@)|\\.{0,2}/|~/)|^[0-9]{4}-[0-9]{2}-[0-9]{2}|^[0-9.,:+-]+$")

-- Shannon entropy of s in bits per character
local function entropy(s)
  local counts, n = {}, #s
  for i = 1, n do
    local c = string.byte(s, i)
    counts[c] = (counts[c] or 0) + 1
  end
  local h = 0
  for _, k in pairs(counts) do
    local p = k / n
    h = h - p * math.log(p, 2)
  end
  return h
end

-- Whether a value given to a secret-like name is itself a credential.
local function credential(v, min_length, min_entropy)
  if #v < min_length or #v > 512 or re.test(v, "\\s") then return false end
  if re.test(v, PLACEHOLDER) or re.test(v, WORDS) or re.test(v, REFERENCE) then return false end
  local classes = 0
  if re.test(v, "[a-z]") then classes = classes + 1 end
  if re.test(v, "[A-Z]") then classes = classes + 1 end
  if re.test(v, "[0-9]") then classes = classes + 1 end
  if re.test(v, "[^A-Za-z0-9]") then classes = classes + 1 end
  local h = entropy(v)
  local letters = re.test(v, "[A-Za-z]")
  -- a password mixes letters with digits or symbols; a generated key may
  -- be all one class but then its entropy shows it
  return (letters and classes >= 2 and h >= 2.5) or h >= min_entropy
end

return {
  id = "TM003",
  name = "secret-in-model",
  level = "error",
  meta = { "0.4.?" },
  summary = "Text in the model looks like a credential",
  help = [[
Fires on text in the file, keys and values alike, that holds a credential.
Two kinds of evidence count:

- a token in a credential's own format: a private key block, an AWS access
  key id, GitHub, GitLab, Slack, Stripe, npm, SendGrid or OpenAI tokens, a
  Google API key or service-account key, an Azure storage key, a JSON web
  token, or a URL with a password in it (`https://user:pass@host`);
- a value given to a secret-like name (`password=...` in a text, or a key
  such as `api_key:`) that looks like a credential itself: one token of at
  least `min_length` characters that mixes letters with digits or symbols,
  or whose entropy is at least `min_entropy` bits per character, and is
  not a placeholder (`changeme`, `<redacted>`, `${VAR}`, `***`, `xxxx`), a
  plain word or name (`SecretsManager`, `sandbox-only-value`), a reference
  (a URL, a path, `vault:...`, `arn:...`), a date or a number.

So `Client secret: created by the identity provider` stays quiet: it
describes a secret. The message never repeats the value.

Why it matters: threat models are shared widely, copied into tickets and
slides, and kept in repositories with long histories. A real credential in
one is a leak, and a threat model is a map of where the weak spots are, so
it is the last place a working secret should be.

How to fix it: remove the value and describe the secret instead ("the
deploy key in the CI vault"). If it was real, rotate it: it stays in the
repository's history.

Meta threat: 0.4 (the threat model itself leaks).]],
  message = "this text looks like {what}; keep credentials out of threat models (rotate it if it is real)",
  settings = { min_length = 8, min_entropy = 3.5 },
  run = function(model, report, settings)
    local min_length = tonumber(settings.min_length) or 8
    local min_entropy = tonumber(settings.min_entropy) or 3.5
    local function scan(s)
      for _, p in ipairs(COMPILED) do
        if re.test(s, p[2]) then return p[1] end
      end
      local init = 1
      while true do
        local from, to = re.find(s, ASSIGN_RE, init)
        if not from then break end
        local v = re.match(s, ASSIGN_RE, from)
        if v and credential(v, min_length, min_entropy) then return "a password or secret assignment" end
        init = to + 1
      end
      local pw = re.match(s, URL_AUTH_RE)
      if pw and not re.test(pw, PLACEHOLDER) and not re.test(pw, "^(?:pass(?:word)?|pwd|secret)$", "i") then
        return "a URL with a password in it"
      end
      return nil
    end
    -- one pass in C over the file's texts picks the candidates: a text the
    -- combined pattern matches, or a value under a secret-like key
    for _, hit in ipairs(tm.scan(ANY, SECRET_KEY)) do
      local t, k, v, by_key = hit[1], hit[2], hit[3], hit[4]
      local what
      if by_key then
        if credential(v, min_length, min_entropy) then what = "a secret (under the key '" .. k .. "')" end
      else
        what = scan(v)
        if not what and type(k) == "string" and re.test(k, SECRET_KEY) and credential(v, min_length, min_entropy) then
          what = "a secret (under the key '" .. k .. "')"
        end
      end
      if what then report(t, { field = tostring(k), what = what }) end
    end
  end,
}
