return {
  id = "TM309",
  name = "weak-accept-reason",
  level = "warning",
  meta = { "0.2.3", "X.2.?c", "X.2.?e" },
  summary = "An accept reason argues from no attacker, no incident so far, or a later fix with no expiry",
  help = [[
Fires on an accepted or dismissed threat whose reason rests on one of
three arguments that do not hold:

- no attacker: nobody would bother, target or attack us, we are not an
  interesting target (phrases in `no_attacker`);
- no incident yet: it has never happened, no known incident, never been
  exploited (phrases in `no_incident`);
- later: the risk waits for a rewrite, a migration, v2, or is accepted
  "for now" or as "interim" (phrases in `deferred`), and the accept has
  no `expires` date.

The phrases are matched as words, ignoring case; each list is a setting
(PCRE2 patterns).

Why it matters: attackers pick targets by opportunity, not by how
important a team thinks it is; the absence of a known incident is often
the absence of detection; and a fix promised for later, with no date on
the accept, is how a temporary risk becomes permanent.

How to fix it: argue from what limits the risk (exposure, controls,
impact), or, for a risk that waits for a change, put the date the accept
runs out in `expires` so that it comes back.

Settings: no_attacker, no_incident, deferred (lists of patterns).
Meta threats: 0.2.3 (nobody would attack us), X.2.?c (waiting for the
rewrite), X.2.?e (no incident yet, so secure).]],
  message = "threat '{id}' is {decision} because {argument}: '{text}'",
  settings = {
    no_attacker = { "no ?one (?:would|will|is going to) (?:bother|care|target|attack|try)",
                    "nobody (?:would|will|is going to) (?:bother|care|target|attack|try)",
                    "not an? (?:interesting|attractive|likely|valuable) target", "too small to (?:be )?target",
                    "(?:attackers?|hackers?) (?:would|will) not (?:bother|care|target)",
                    "why would anyone (?:attack|target)" },
    no_incident = { "no (?:known |reported |recorded |previous |past )?(?:incidents?|breach(?:es)?|attacks?)(?: so far| yet| to date| in)",
                    "never (?:been )?(?:exploited|attacked|breached|happened)", "not (?:been )?seen in the wild",
                    "has(?:n't| not) happened (?:yet|so far|before)" },
    deferred = { "for now", "interim", "temporar(?:y|ily)", "until (?:the )?(?:v\\d|version \\d|rewrite|migration|replacement|redesign|re-?platform)",
                 "(?:rewrite|migration|replacement|redesign) (?:will|should) (?:fix|address|remove|solve)",
                 "(?:fixed|addressed|handled|solved) (?:in|by) (?:the )?(?:v\\d|next version|new system|rewrite)" },
  },
  run = function(model, report, settings)
    local families = {
      { "it assumes nobody would attack", settings.no_attacker, false },
      { "no incident so far is taken for safety", settings.no_incident, false },
      { "it waits for a later fix and has no `expires` date", settings.deferred, true },
    }
    local compiled = {}
    for i, f in ipairs(families) do
      local alts = {}
      for _, p in ipairs(tm.list(f[2])) do
        if type(p) == "string" then alts[#alts + 1] = "(?:" .. p .. ")" end
      end
      compiled[i] = #alts > 0 and re.compile("\\b(?:" .. table.concat(alts, "|") .. ")\\b", "i") or false
    end
    for _, t in ipairs(model.threats) do
      local a = t.accept
      local reason = a and tm.str(a.reason)
      if (t.status == "accepted" or t.status == "false-positive") and reason then
        for i, f in ipairs(families) do
          if compiled[i] and re.test(reason, compiled[i]) and not (f[3] and not tm.blank(a.expires)) then
            local text = #reason > 60 and (string.sub(reason, 1, 57) .. "...") or reason
            local el, field = tm.reason_at(t)
            report(el, { field = field, argument = f[1], text = text,
              decision = t.status == "accepted" and "accepted" or "dismissed" })
            break
          end
        end
      end
    end
  end,
}
