-- "p0".."p9" rank by their digit; words by their place in the list
local PN = re.compile("^p(\\d)$", "i")

return {
  id = "TM324",
  name = "priority-inversion",
  level = "warning",
  meta = { "3.2.1b" },
  summary = "A mitigation of a top-rated threat has a lower priority than one for lesser threats",
  help = [[
Fires on an open essential mitigation of a threat rated at the top of the
scheme when another open mitigation, all of whose threats are rated
lower, carries a higher priority. Priorities rank as `p0` (most urgent)
to `p9`, or by their place in `priority_words` (first is most urgent);
one finding per mitigation, naming the most urgent of those it ranks
below.

Why it matters: a rating that never changes the order of work is a
rating nobody uses. When the fix for the worst threat waits behind fixes
for lesser ones, the threat model was done, and then the backlog was
ordered by something else.

How to fix it: raise the priority of the mitigation of the top-rated
threat, or lower the other; if the order is deliberate (a cheap fix
first), say why next to it with a `tmlint-ignore` reason.

Settings: priority_words (critical, urgent, highest, high, medium,
normal, low, lowest).
Meta threat: 3.2.1b (risk never turned into priority).]],
  message = "mitigation '{id}' ({priority}) of {level} threat '{threat}' ranks below '{other}' ({other_priority}), whose threats are rated lower",
  settings = { priority_words = { "critical", "urgent", "highest", "high", "medium", "normal", "low", "lowest" } },
  needs = { "priority" },
  run = function(model, report, settings)
    local levels = tm.levels(model)
    local words = {}
    for i, w in ipairs(tm.list(settings.priority_words)) do
      local s = tm.lower(w)
      if s then words[s] = i end
    end
    -- a model writes a handful of priorities thousands of times: each is
    -- ranked once (false for none)
    local ranks = {}
    local function rank(p)
      if p == nil then return nil end
      local r = ranks[p]
      if r == nil then
        local s = tm.lower(p)
        r = false
        if s then
          local d = re.match(s, PN)
          if d then r = tonumber(d)
          elseif words[s] then r = 100 + words[s] end   -- words after p-levels: a model uses one scale
        end
        ranks[p] = r
      end
      return r or nil
    end
    local function open(m) return m.status ~= "done" and m.status ~= "dropped" end
    -- per mitigation: the highest threat rating it serves
    local best_r, best_t = {}, {}   -- two tables, not one small table per mitigation
    for _, t in ipairs(model.threats) do
      local r = tm.rank(model, t.severity) or 0
      if not tm.settled[t.status] then
        for _, m in ipairs(tm.linked(t)) do
          local b = best_r[m]
          if not b or r > b then best_r[m], best_t[m] = r, t end
        end
      end
    end
    -- the most urgent open mitigation that serves only lower-rated threats
    local lesser, lesser_rank
    for _, m in ipairs(model.mitigations) do
      local b, pr = best_r[m], rank(m.priority)
      if b and open(m) and pr and b < #levels and (not lesser_rank or pr < lesser_rank) then
        lesser, lesser_rank = m, pr
      end
    end
    if not lesser then return end
    for _, m in ipairs(model.mitigations) do
      local b, pr = best_r[m], rank(m.priority)
      if b and b == #levels and open(m) and m.kind == "essential" and pr and pr > lesser_rank then
        report(m, { field = "priority", priority = m.priority, level = levels[#levels], threat = tm.name(best_t[m]),
                    other = tm.name(lesser), other_priority = lesser.priority })
      end
    end
  end,
}
