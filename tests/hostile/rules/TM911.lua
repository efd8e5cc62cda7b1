-- a Lua pattern that backtracks exponentially (refused: use re)
return { id = "TM911", name = "hostile-lua-pattern", level = "error", summary = "s", help = "h", message = "m",
  run = function() return string.find(string.rep("a", 40), string.rep("a*", 7) .. "b") end }
