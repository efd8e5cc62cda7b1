-- The values the format adapters could not place (tm.vocab records them):
-- each was read as the adapter's default, which may be the wrong reading.
-- The words of the other schemes Threat Dragon draws with (CIA, DIE,
-- PLOT4ai): known categories, though not STRIDE's or LINDDUN's.
local OTHER_SCHEMES = {}
for _, w in ipairs({ "confidentiality", "integrity", "availability", "distributed", "immutable", "ephemeral",
                     "technique & processes", "techniques & processes", "accessibility", "identifiability & linkability",
                     "security", "safety", "unawareness", "ethics & human rights", "non-compliance",
                     "transparency & accessibility", "privacy", "generic" }) do
  OTHER_SCHEMES[w] = true
end
-- Values that close a threat or a control: never offered as a guess.
local CLOSING = { mitigated = true, done = true, accepted = true, ["false-positive"] = true, dropped = true,
                  transferred = true }
-- Where each format keeps a threat's category (for the finding's place).
local CATEGORY_FIELD = { native = "category", ["threat-dragon"] = "type", otm = "categories" }
-- The category a text most likely meant: a word it holds, else the
-- nearest name.
local WORDS = { { "ddos", "denial-of-service" }, { "dos", "denial-of-service" }, { "denial", "denial-of-service" },
                { "availab", "denial-of-service" }, { "eop", "elevation-of-privilege" },
                { "privilege", "elevation-of-privilege" }, { "escalat", "elevation-of-privilege" },
                { "info", "information-disclosure" }, { "leak", "information-disclosure" },
                { "disclos", "information-disclosure" }, { "exfil", "information-disclosure" },
                { "confidential", "information-disclosure" }, { "inject", "tampering" }, { "tamper", "tampering" },
                { "integrity", "tampering" }, { "spoof", "spoofing" }, { "impersonat", "spoofing" },
                { "authentic", "spoofing" }, { "repudiat", "repudiation" }, { "audit", "repudiation" } }
local function guess(text)
  local slug = tm.lower(text) or ""
  for _, w in ipairs(tm.words_of and tm.words_of(slug) or {}) do
    for _, g in ipairs(WORDS) do
      if string.sub(w, 1, #g[1]) == g[1] then return "did you mean '" .. g[2] .. "'?" end
    end
  end
  local all = {}
  for _, c in ipairs(tm.STRIDE) do all[#all + 1] = c end
  for _, c in ipairs(tm.LINDDUN) do all[#all + 1] = c end
  local hint = tm.suggest(slug, all)
  if string.sub(hint, 1, 4) == "did " then return hint end
  return "it reads STRIDE's and LINDDUN's names, letters and words"
end

return {
  id = "TM007",
  name = "unknown-value",
  level = "warning",
  meta = { "1.3.4" },
  summary = "A status or category is none of the values tmlint can read, and was read as a default",
  help = [[
Fires, in a model of another format than tmlint's own, on a status that
is none of the format's fixed set: a Threat Dragon threat with `"status":
"Opne"` (the app offers Open, Mitigated and NotApplicable), a Threagile
risk tracked as `mitigaetd`, a Threat Composer, FlowState or OWASP Threat
Model Library status outside its schema's enumeration, or a list or
mapping where the one value belongs (a status, or an id such as an OTM
flow's `source`, a Threagile link's `target`, a Threat Composer link's
`mitigationId`). The message names
what the value was read as instead (a threat as open, a control as having
no status) and the closest value the format has. Formats whose status is
free text (an OTM threat's `state`, a pytm finding's `response`) are left
alone.

Why it matters: the adapter has to read the value as something, and it
picks the reading that hides least (an unknown threat status is open). But
the file meant something else: a threat marked mitigated or not
applicable with a typo is counted as open, and one marked resolved in a
way tmlint does not know gets findings its authors think they answered.
Either way tmlint and the file disagree, and nobody is told why. (In the
native format the same mistake is a schema violation, TM006.)

It fires too, in every format, on a threat category that is none of
STRIDE's or LINDDUN's (by letter, word or phrase) nor of the other
schemes Threat Dragon draws with (CIA, DIE, PLOT4ai), which tmlint would
otherwise count as `other` (`dos-attack`: did you mean
denial-of-service?), unless the setting `categories` lists it as one of the
team's own; and on an empty status (`""`), read as the default.

How to fix it: use one of the values the message lists, as the format's
own tool writes it. (`tmlint convert` warns about the same values: the
native file it writes holds the default they were read as.)

Settings: categories ({}: a team's own category names, accepted as they
are).
Meta threat: 1.3.4 (garbage in, garbage out: the model says other than
what was meant).]],
  message = "{key} '{value}' is not one of this format's values; read as {read_as} ({hint})",
  settings = { categories = {} },
  run = function(model, report, settings)
    -- each entry of model.unread: a value outside the format's set
    -- (tm.vocab), or a list or mapping where one value belongs (tm.vocab,
    -- tm.one)
    local function unknown(u)
      -- the format's own spellings when the adapter gives them, else the
      -- (lower-case) words it reads
      local known = {}
      if type(u.names) == "table" then
        for i, n in ipairs(u.names) do known[i] = n end
      else
        for k in pairs(u.map) do known[#known + 1] = k end
        table.sort(known)
      end
      local value = tm.lower(u.value) or ""
      local best, bd, ties = nil, math.huge, 0
      for _, k in ipairs(known) do
        -- a guess closes the item only for a slip of a letter or two
        -- ('Mitigatd'): 'mitigationProposed' is not 'mitigationResolved'
        local closes = u.map and CLOSING[u.map[tm.lower(k) or ""] or ""]
        local d = tm.distance(value, tm.lower(k) or "")
        if d < bd and not (closes and d > 2) then
          best, bd, ties = k, d, 0
        elseif d == bd and not (closes and d > 2) then
          ties = ties + 1
        end
      end
      local hint
      if best and bd <= math.max(1, #value // 3) then
        hint = "did you mean '" .. best .. "'?"
      else
        local shown = {}
        for i, k in ipairs(known) do shown[i] = "'" .. k .. "'" end
        hint = "it has " .. table.concat(shown, ", ")
      end
      if u.empty then
        local shown = {}
        for i, k in ipairs(known) do shown[i] = "'" .. k .. "'" end
        report(u.node, { field = u.field, key = u.field, read_as = u.read_as, hint = "it has " .. table.concat(shown, ", "),
                         message = "{key} is empty; read as {read_as} ({hint})" })
      elseif u.shape then
        report(u.node, { field = u.field, key = u.field, shape = u.shape, read_as = u.read_as, hint = hint,
                         message = "{key} is {shape}, not one of this format's values; read as {read_as} ({hint})" })
      else
        -- a safe fix (check --fix): one closest value, and never one that
        -- closes the item (done, accepted...): that decision is a person's
        local safe = best and bd >= 1 and bd <= math.max(1, #value // 3) and ties == 0 and type(u.value) == "string"
          and not (u.map and CLOSING[u.map[tm.lower(best) or ""] or ""])
        report(u.node, { field = u.field, key = u.field, value = u.value, read_as = u.read_as, hint = hint,
                         fix = safe and best or nil })
      end
    end
    -- categories no scheme has: counted as `other` unless said
    local own = {}
    for _, c in ipairs(settings.categories or {}) do if type(c) == "string" then own[tm.lower(c)] = true end end
    local field = CATEGORY_FIELD[model.format]
    for _, t in ipairs(model.threats) do
      -- only a threat some text of which tmlint read as `other` (most have none)
      local other = false
      for _, c in ipairs(t.categories or {}) do if c == "other" then other = true break end end
      for _, text in ipairs(other and tm.texts(t.category_text) or {}) do
        local low = tm.lower(text) or ""
        if not own[low] and not OTHER_SCHEMES[low] and low ~= "other" and not tm.blank(text) then
          for _, c in ipairs(tm.categories(text)) do
            if c == "other" then
              report(t, { field = field, key = "category", value = text, read_as = "other", hint = guess(text),
                          message = "category '{value}' is none of STRIDE's or LINDDUN's; read as {read_as} ({hint})" })
              break
            end
          end
        end
      end
    end
    for _, u in ipairs(model.unread or {}) do
      if u.shape and not u.map then
        report(u.node, { field = u.field, key = u.field, shape = u.shape, read_as = u.read_as,
                         message = "{key} is {shape} where the format has one value; read as {read_as}" })
      else
        unknown(u)
      end
    end
  end,
}
