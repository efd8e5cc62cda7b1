-- reaches for io, os, require, load, debug; each is absent, so this errors
return { id = "TM907", name = "hostile-escape", level = "error", summary = "s", help = "h", message = "m",
  run = function()
    for _, name in ipairs({ "io", "os", "require", "load", "debug", "dofile", "loadfile", "package", "collectgarbage" }) do
      assert(_G[name] == nil, name .. " is reachable")
    end
    return io.open("/etc/passwd")
  end }
