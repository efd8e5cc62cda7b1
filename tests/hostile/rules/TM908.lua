-- tries to change the string metatable shared with other rules
return { id = "TM908", name = "hostile-metatable", level = "error", summary = "s", help = "h", message = "m",
  run = function() getmetatable("").__index.upper = function() return "owned" end end }
