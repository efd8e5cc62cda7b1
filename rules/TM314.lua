return {
  id = "TM314",
  name = "mitigation-kind-unspecified",
  level = "warning",
  meta = { "3.2.12" },
  summary = "A mitigation is not marked essential or idea",
  help = [[
Fires on a mitigation with no `kind`, or a `kind` other than `essential`
or `idea`.

Why it matters: a list of mitigations mixes controls the team must build
with suggestions it may never build. Unless each one says which it is,
readers cannot tell what protects the system today, and rules that check
essential controls (acceptance criteria, tracking, verification) cannot
help.

How to fix it: add `kind: essential` to each control the threat needs and
`kind: idea` to the rest. Consider moving ideas you will never build out of
the model, or dropping them with a note.

Meta threat: 3.2.12 mixing essentials with ideas.]],
  message = "mitigation '{id}' does not say whether it is essential or an idea",
  settings = {},
  needs = { "kind" },   -- a format with no such field: not applicable
  run = function(model, report)
    for _, m in ipairs(model.mitigations) do
      if m.kind == nil then
        -- an adapter that marks kind missing (OTM on an unused mitigation) keeps it quiet
        if not tm.missing(m, "kind") then report(m) end
      elseif m.kind ~= "essential" and m.kind ~= "idea" then
        report(m, {
          field = "kind",
          message = "mitigation '{id}' has kind '{kind}'; use essential or idea",
        })
      end
    end
  end,
}
