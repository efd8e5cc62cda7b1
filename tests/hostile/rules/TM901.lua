-- loops forever
return { id = "TM901", name = "hostile-loop", level = "error", summary = "s", help = "h", message = "m",
  run = function() while true do end end }
