-- Neovim's own LSP client (Debian's neovim, headless) against tmlint lsp:
-- open a model, read the diagnostics, hover, take the quick fix, and see
-- the diagnostic go. Writes what it saw, line by line, to $OUT.
local out = assert(io.open(os.getenv('OUT'), 'w'))
local function log(s)
  out:write(s .. '\n')
  out:flush()
end
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
end
local ok, err = pcall(function()
  local model = os.getenv('MODEL')
  vim.cmd('edit ' .. vim.fn.fnameescape(model))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'tmlint',
    cmd = { os.getenv('TMLINT'), 'lsp', '--now', '2026-11-23' },
    root_dir = vim.fn.fnamemodify(model, ':h'),
  })
  vim.lsp.buf_attach_client(buf, id)
  local got = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  log('diagnostics ' .. tostring(got))
  local ds = vim.diagnostic.get(buf)
  table.sort(ds, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and code_of(a) < code_of(b)) end)
  for _, d in ipairs(ds) do
    log(string.format('diag %d:%d-%d:%d severity=%d %s %s', d.lnum, d.col, d.end_lnum, d.end_col, d.severity,
      code_of(d), d.source or '?'))
  end
  local client = vim.lsp.get_client_by_id(id)
  log('encoding ' .. tostring(client.offset_encoding))
  local uri = vim.uri_from_bufnr(buf)
  local h = client.request_sync('textDocument/hover',
    { textDocument = { uri = uri }, position = { line = 6, character = 13 } }, 5000, buf)
  log('hover ' .. ((h and h.result and h.result.contents.value:match('^[^\n]*')) or 'none'))
  local r = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = 6, character = 0 }, ['end'] = { line = 6, character = 0 } },
    context = { diagnostics = {} },
  }, 5000, buf)
  for _, a in ipairs(r.result or {}) do
    log('action ' .. a.title)
  end
  vim.lsp.util.apply_workspace_edit(r.result[1].edit, client.offset_encoding)
  log('line7 ' .. vim.api.nvim_buf_get_lines(buf, 6, 7, false)[1])
  local gone = vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if code_of(d) == 'TM006' then return false end
    end
    return true
  end, 20)
  log('fixed ' .. tostring(gone))
  log('left ' .. #vim.diagnostic.get(buf))
  client.stop()
  vim.wait(2000, function() return client.is_stopped() end, 20)
end)
if not ok then log('error ' .. tostring(err)) end
out:close()
vim.cmd('qa!')
