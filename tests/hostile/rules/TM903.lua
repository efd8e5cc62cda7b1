-- recurses without end
return { id = "TM903", name = "hostile-recursion", level = "error", summary = "s", help = "h", message = "m",
  run = function() local function f(n) return f(n + 1) + 1 end return f(1) end }
