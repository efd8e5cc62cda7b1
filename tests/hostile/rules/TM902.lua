-- loops forever and tries to swallow the stop with pcall
return { id = "TM902", name = "hostile-pcall-loop", level = "error", summary = "s", help = "h", message = "m",
  run = function() while true do pcall(function() while true do end end) end end }
