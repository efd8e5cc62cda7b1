-- The keys the format adapters passed over as unknown although they are
-- one slip away from a key the format has (tm.keys records them).
-- values that close a threat or a mitigation, in the formats' words
local CLOSING = { mitigated = true, accepted = true, done = true, dropped = true, transferred = true,
                  ["false-positive"] = true, falsepositive = true, resolved = true, closed = true, fixed = true,
                  implemented = true, ["not applicable"] = true, notapplicable = true }

return {
  id = "TM008",
  name = "misspelt-key",
  level = "warning",
  meta = { "1.3.4" },
  summary = "A key is close to one the file's format has, and was not read",
  help = [[
Fires, in a model of another format than tmlint's own, on a key that the
format does not have but that is a slip away from one it has and the
object lacks: a Threat Dragon threat with `"mitigaton"` and no
`"mitigation"`, an OTM component with `"trustzone"`, a Threagile link with
`protocoll`, a Threat Composer `Status`, an OWASP Threat Model Library flow
with `destinaton`. A slip is a different case, `_` for camelCase, or one
or two letters (one for keys of five to eight letters; none for shorter
ones, where a close key is as likely another word). The message names the
key the format has.

Why it matters: tmlint reads the keys a format defines and no others, so
the misspelt key is read as absent. A mitigation written under the wrong
key counts as none, a status as open, a target as missing; the rules then
report the wrong thing, or stay quiet about what the file says. The file's
own tool may drop the key just as silently. (In the native format the same
mistake is a schema violation, TM006.)

Keys far from every key of the format are left alone: Threat Dragon, OTM,
Threagile and FlowState files may carry keys of a team's own.

How to fix it: rename the key as the message says. If the key is meant as
a key of your own, give it a name that is not one slip from the format's.

Meta threat: 1.3.4 (garbage in, garbage out: the model says other than
what was meant).]],
  message = "key '{key}' is not one this format has; did you mean '{suggestion}'? (it was not read)",
  settings = {},
  run = function(model, report)
    for _, u in ipairs(model.misspelt or {}) do
      -- a safe fix when no other key is as close (check --fix renames it),
      -- unless the rename would make a value that closes the item count
      -- ('Status: Mitigated' becoming the status): that is a person's call
      local v = type(u.node) == "table" and tm.lower(u.node[u.key]) or nil
      local safe = u.unique and not (v and CLOSING[v])
      report(u.node, { field = u.key, on_key = true, key = u.key, suggestion = u.suggestion,
                       fix = safe and u.suggestion or nil })
    end
  end,
}
