-- a regex with catastrophic backtracking
return { id = "TM909", name = "hostile-regex", level = "error", summary = "s", help = "h", message = "m",
  run = function() return re.find(string.rep("a", 5000) .. "!", "^(a|a?)+$") end }
