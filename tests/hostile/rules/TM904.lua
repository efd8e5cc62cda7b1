-- builds a huge string by doubling
return { id = "TM904", name = "hostile-string", level = "error", summary = "s", help = "h", message = "m",
  run = function() local s = "x" while true do s = s .. s end end }
