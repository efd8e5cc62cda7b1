-- asks string.rep for a giant string in one call
return { id = "TM906", name = "hostile-rep", level = "error", summary = "s", help = "h", message = "m",
  run = function() return string.rep("x", 1 << 40) end }
