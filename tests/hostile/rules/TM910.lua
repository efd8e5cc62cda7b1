-- reports ten million findings
return { id = "TM910", name = "hostile-flood", level = "note", summary = "s", help = "h", message = "flood {i}",
  run = function(model, report) for i = 1, 10000000 do report(model, { i = i }) end end }
