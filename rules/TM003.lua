-- Patterns for things that look like credentials. Each is specific enough
-- to stay quiet on prose about passwords and tokens.
local SOURCES = {
  { "a private key", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----" },
  { "an AWS access key id", "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b" },
  { "a GitHub token", "\\bgh[pousr]_[A-Za-z0-9]{36,}\\b" },
  { "a Slack token", "\\bxox[abprs]-[A-Za-z0-9-]{10,}" },
  { "a Google API key", "\\bAIza[0-9A-Za-z_-]{35}\\b" },
  { "a JSON web token", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}" },
  { "a password or secret assignment",
    "\\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret)\\s*[:=]\\s*['\"]?[^\\s'\"]{6,}", "i" },
}
local PATTERNS, ANY = {}, {}
for i, p in ipairs(SOURCES) do
  PATTERNS[i] = { p[1], re.compile(p[2], p[3]) }
  ANY[i] = (p[3] and "(?i:" or "(?:") .. p[2] .. ")"
end
-- one pass over each text says whether any pattern can match; only then
-- are they tried one by one, in order, to name the first
ANY = re.compile(table.concat(ANY, "|"))
local SECRET_KEY = re.compile("^(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret|private[_-]?key)$", "i")

local function scan(s)
  if not re.test(s, ANY) then return nil end
  for _, p in ipairs(PATTERNS) do
    if re.test(s, p[2]) then return p[1] end
  end
  return nil
end

return {
  id = "TM003",
  name = "secret-in-model",
  level = "error",
  meta = { "0.4" },
  summary = "Text in the model looks like a credential",
  help = [[
Fires on any text in the file, keys and values alike, that looks like a
credential: a private key block, a cloud access key, a GitHub, Slack or
Google token, a JSON web token, or an assignment such as `password=...`;
and on a key named like a secret (`password:`, `api_key:`) that holds a
value.

Why it matters: threat models are shared widely, copied into tickets and
slides, and kept in repositories with long histories. A real credential in
one is a leak, and a threat model is a map of where the weak spots are, so
it is the last place a working secret should be.

How to fix it: remove the value and describe the secret instead ("the
deploy key in the CI vault"). If it was real, rotate it: it stays in the
repository's history. The message never repeats the secret.

Meta threat: 0.4 (the threat model itself leaks).]],
  message = "this text looks like {what}; keep credentials out of threat models (rotate it if it is real)",
  settings = {},
  run = function(model, report)
    -- walk the whole document tree without recursion
    local stack = { model.node }
    local seen = {}
    local secret_key = {}   -- key -> whether it names a secret; keys repeat
    while #stack > 0 do
      local t = table.remove(stack)
      if not seen[t] then
        seen[t] = true
        for k, v in pairs(t) do
          if type(v) == "table" then
            -- only tables read from the file; adapters add derived ones
            if tm.pos(v) then stack[#stack + 1] = v end
          elseif type(v) == "string" and (type(k) == "string" or type(k) == "number") then
            local what = scan(v)
            if not what and type(k) == "string" and #v >= 6 then
              local named = secret_key[k]
              if named == nil then
                named = re.test(k, SECRET_KEY)
                secret_key[k] = named
              end
              if named then what = "a secret (under the key '" .. k .. "')" end
            end
            if what then report(t, { field = tostring(k), what = what }) end
          end
        end
      end
    end
  end,
}
