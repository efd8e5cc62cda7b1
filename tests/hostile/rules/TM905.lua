-- builds a huge table
return { id = "TM905", name = "hostile-table", level = "error", summary = "s", help = "h", message = "m",
  run = function() local t = {} local i = 0 while true do i = i + 1 t[i] = { i } end end }
