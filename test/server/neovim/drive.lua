-- Drives the committed Neovim config (editors/nvim) through a review: open a candidate file found by
-- workspace/symbol → diagnostics → hover → code lens verdict (workspace/executeCommand) → restart the
-- server → the verdict shown in the lenses. Every step waits on an LSP answer or an editor event.
-- Writes what it saw as JSON lines to $LOOPHOLE_OUT and quits; an error is written as {"error": …}.
local out = assert(io.open(os.getenv('LOOPHOLE_OUT'), 'w'))
local function record(t)
  out:write(vim.fn.json_encode(t) .. '\n')
  out:flush()
end
local function finish()
  out:close()
  vim.cmd('qa!')
end
local function guard(fn)
  return function(...)
    local ok, err = pcall(fn, ...)
    if not ok then
      record({ error = tostring(err) })
      finish()
    end
  end
end

vim.opt.runtimepath:append(os.getenv('LOOPHOLE_NVIM'))
local loophole = require('loophole')
loophole.setup({
  cmd = { os.getenv('LOOPHOLE_NODE'), os.getenv('LOOPHOLE_SERVER'), '--stdio' },
  root = os.getenv('LOOPHOLE_SET'),
  reviewer = 'nvim',
})
record({ version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) })

local function request(method, params, cb)
  local client = loophole.client()
  client.request(method, params, guard(function(err, result)
    if err then
      error(method .. ': ' .. vim.inspect(err))
    end
    cb(result)
  end), 0)
end

-- Calls `cb(diagnostics)` once the buffer has diagnostics from the running client (now or at the next
-- change).
local function on_diagnostics(bufnr, cb)
  local done = false
  local function check()
    if done or not loophole.client() then
      return
    end
    local d = vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(loophole.client().id) })
    if #d > 0 then
      done = true
      cb(d)
    end
  end
  vim.api.nvim_create_autocmd('DiagnosticChanged', { buffer = bufnr, callback = guard(check) })
  check()
end

local function lens_titles(lenses)
  local t = {}
  for _, l in ipairs(lenses or {}) do
    table.insert(t, l.command and l.command.title or '')
  end
  return t
end

local function after_restart(file)
  loophole.start()
  vim.cmd('edit! ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  on_diagnostics(bufnr, function()
    request('textDocument/codeLens', { textDocument = { uri = vim.uri_from_bufnr(0) } }, function(lenses)
      record({ restarted = true, lenses = lens_titles(lenses) })
      -- The config's next-unreviewed step: the server walks its review order, the config opens the file.
      loophole.step('next', guard(function(step)
        record({ next = step.candidateId, opened = vim.api.nvim_buf_get_name(0) })
        loophole.stop(guard(finish))
      end))
    end)
  end)
end

local function review(file)
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  on_diagnostics(bufnr, function(diags)
    local lines, codes = {}, {}
    for _, d in ipairs(diags) do
      table.insert(codes, d.code or '')
      table.insert(lines, d.lnum)
    end
    record({ file = file, diagnostics = codes })
    request('textDocument/hover', { textDocument = { uri = uri }, position = { line = lines[1], character = 4 } }, function(hover)
      record({ hover = hover and hover.contents and hover.contents.value or '' })
      request('textDocument/codeLens', { textDocument = { uri = uri } }, function(lenses)
        local mark
        for _, l in ipairs(lenses) do
          if l.command and l.command.title == 'Mark hack' then
            mark = l.command
          end
        end
        record({ lenses = lens_titles(lenses) })
        request('workspace/executeCommand', mark, function(verdict)
          record({ verdict = verdict.verdict.label, reviewer = verdict.verdict.reviewer })
          loophole.stop(guard(function()
            after_restart(file)
          end))
        end)
      end)
    end)
  end)
end

-- The set is analysed on open (no candidate has an analysis yet): start when that progress ends.
local default_progress = vim.lsp.handlers['$/progress']
local started = false
vim.lsp.handlers['$/progress'] = function(err, result, ctx, config)
  local r = default_progress and default_progress(err, result, ctx, config)
  if not started and result and result.value and result.value.kind == 'end' then
    started = true
    guard(function()
      request('workspace/symbol', { query = 'count vowels' }, function(symbols)
        local names = {}
        for _, s in ipairs(symbols) do
          table.insert(names, s.name)
        end
        record({ symbols = names })
        review(vim.uri_to_fname(symbols[1].location.uri))
      end)
    end)()
  end
  return r
end
guard(loophole.start)()
