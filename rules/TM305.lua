return {
  id = "TM305",
  name = "too-fine-grained-scheme",
  level = "note",
  meta = { "3.1.9" },
  summary = "The rating scheme has more levels than people can tell apart",
  help = [[
Fires when the model's `rating.levels` has more than `max_levels` levels.

Why it matters: people cannot rate consistently on a fine scale. With many
levels, the same threat gets different ratings from different people, time
goes into arguing over neighbouring levels, and the precision is false.

How to fix it: merge levels until each one means a different action (fix
now, fix this quarter, accept). Bump the scheme's version when you do.

Settings: max_levels (5).
Meta threat: 3.1.9 (over-precise rating).]],
  message = "the rating scheme has {n} levels; more than {max} is finer than people can rate consistently",
  settings = { max_levels = 5 },
  run = function(model, report, settings)
    local rs = model.rating_scheme
    -- a scheme the format fixes (fixed = true) is not the team's to change
    if rs and not rs.fixed and #rs.levels > settings.max_levels then
      report(rs, { field = "levels", n = #rs.levels, max = settings.max_levels })
    end
  end,
}
