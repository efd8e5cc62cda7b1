return {
  id = "TM311",
  name = "accept-without-reason",
  level = "error",
  meta = { "3.1.4", "2.1.10", "2.2.6" },
  summary = "An accepted, transferred or dismissed threat gives no reason, or one too short to say anything",
  help = [[
Fires on a threat with `status: accepted`, `status: transferred` or
`status: false-positive` whose `accept.reason` is missing, or has fewer
than `min_words` words, and on a transferred threat that does not say to
whom (`accept.by`). Handing a risk to someone else (an insurer, a vendor,
another team) and dismissing a threat as a false positive are decisions
too, and need their why.

Why it matters: accepting a risk is a decision, and decisions get
revisited. Without the reasoning, a reviewer cannot tell a considered
accept from an underestimated risk, and the same threat comes back in every
meeting because nobody remembers why it was closed.

How to fix it: write down why the risk is acceptable: what limits the
damage or the likelihood, what was weighed. Add who accepted it (`by`),
when (`date`) and, ideally, when to look again (`expires`). "Low risk" or
"not an issue" is not a reason; say what makes it low.

Settings: min_words (4).
Meta threats: 3.1.4 bad accept, 2.1.10 rewind, 2.2.6 false false positives.]],
  message = "threat '{id}' is {decision} without a reason",
  settings = { min_words = 4 },
  run = function(model, report, settings)
    for _, t in ipairs(model.threats) do
      local decision = t.status == "accepted" and "accepted"
        or t.status == "transferred" and "transferred"
        or t.status == "false-positive" and "marked a false positive" or nil
      -- a transfer names who takes the risk on
      -- (where the format has a place for it: tmlint's own, or a decision it read)
      if decision == "transferred" and (model.format == "native" or t.accept) and (not t.accept or tm.blank(t.accept.by))
         and not (not t.accept and tm.missing(model, "transfer_reason")) then
        report(t, { field = t.accept and "accept" or "status",
                    message = "threat '{id}' is transferred without saying to whom (accept.by)" })
      end
      -- a format with no place for a dismissal's reason cannot be asked for one
      if decision == "marked a false positive" and not t.accept and tm.missing(model, "fp_reason") then
        decision = nil
      end
      if decision == "transferred" and not t.accept and tm.missing(model, "transfer_reason") then
        decision = nil
      end
      if decision then
        local reason = t.accept and t.accept.reason
        local a = t.accept
        local short = decision == "accepted"
          and "threat '{id}' is accepted with a reason of {n} word(s); say why the risk is acceptable (at least {min})"
          or decision == "transferred"
          and "threat '{id}' is transferred with a reason of {n} word(s); say why handing it on answers it (at least {min})"
          or "threat '{id}' is marked a false positive with a reason of {n} word(s); say why it does not apply (at least {min})"
        if a and a.reason_field then
          -- the format keeps the reason elsewhere (e.g. an out-of-scope element)
          if tm.blank(reason) then
            report(a, { field = a.reason_field, id = tm.name(t), decision = decision })
          elseif tm.words(reason) < settings.min_words then
            report(a, { field = a.reason_field, id = tm.name(t), n = tm.words(reason), min = settings.min_words,
                        decision = decision, message = short })
          end
        elseif tm.blank(reason) then
          report(t, { field = t.accept and "accept" or "status", decision = decision })
        elseif tm.words(reason) < settings.min_words then
          report(t, { field = t.accept.node == t.node and "accept" or "accept.reason", decision = decision,
                      message = short, n = tm.words(reason), min = settings.min_words })
        end
      end
    end
  end,
}
