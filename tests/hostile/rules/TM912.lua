-- changes the shared model; must not crash anything (later rules see it)
return { id = "TM912", name = "hostile-upper", level = "note", summary = "s", help = "h", message = "upper {v}",
  run = function(model, report) report(model, { v = ("abc"):upper() }) end }
