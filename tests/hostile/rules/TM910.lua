-- reports far more findings than anyone can read
return { id = "TM910", name = "hostile-flood", level = "note", summary = "s", help = "h", message = "flood {i}",
  run = function(model, report) for i = 1, 5000 do report(model, { i = i }) end end }
