return {
  id = "TM006",
  name = "schema-violation",
  level = "error",
  meta = { "1.3.4" },
  summary = "A native model has a key, type or value its format does not know",
  help = [[
Fires, in a native model (`model: 1`), on a key the format does not have
(with the closest known key: `sevrity` is probably `severity`), on a value
of the wrong type (a list where text belongs), and on a value outside an
enumeration (`status: acepted`, with the known values).

Why it matters: a misspelt key is read as absent, so the rules that need it
stay quiet, and tmlint would call a model clean that it did not understand.
`status: acepted` with an `accept:` block is not an acceptance at all.

How to fix it: use the key or value the message suggests; the schema for
editors is docs/schema/model.schema.json (`tmlint init` points the YAML
language server at it). Keys a team adds for its own tools start with `x-`,
or are listed in this rule's `allow` setting.

Settings: allow ([]): extra keys accepted anywhere.
Meta threat: 1.3.4 garbage in, garbage out: the model says other than what was meant.]],
  message = "{problem}",
  settings = { allow = {} },
  -- checked by tmlint itself against the format's description (src/load/schema.c),
  -- which also writes the published JSON Schema
  host = true,
  run = function() end,
}
