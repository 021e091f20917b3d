-- Loophole for Neovim: review candidates with the Loophole language server.
--
-- Works unchanged on Neovim 0.7.2 (Debian's) and newer: it uses only vim.lsp.start_client,
-- vim.lsp.buf_attach_client and plain requests, and refreshes code lenses itself (0.7 has no
-- workspace/codeLens/refresh).
--
--   vim.opt.runtimepath:append('/path/to/loophole/editors/nvim')
--   require('loophole').setup({
--     cmd = { 'node', '/path/to/loophole/dist/server.js', '--stdio' },
--     root = '/path/to/review-set-folder',   -- default: the current directory
--     reviewer = 'your name',                -- default: your OS user name
--     -- init_options = { workspaceTrusted = true },  -- opt in to running candidate code (sandboxed)
--   })
--
-- Commands: :LoopholeCandidates (workspace symbols, best first), :LoopholeHack, :LoopholeClean,
-- :LoopholeUnsure, :LoopholeUndo, :LoopholeNote {text}, :LoopholeNext, :LoopholePrevious,
-- :LoopholeShow, :LoopholeAnalyse. Code lenses run with vim.lsp.codelens.run().
local M = {}

local pattern = '*/.loophole/candidates/*.loophole.py'
local state = { client_id = nil, opts = {}, on_exit = {} }

local function notify(msg, level)
  vim.notify('Loophole: ' .. msg, level or vim.log.levels.INFO)
end

--- The client id, starting the server on first use.
function M.start()
  local c = state.client_id and vim.lsp.get_client_by_id(state.client_id)
  if c and not c.is_stopped() then
    return state.client_id
  end
  local o = state.opts
  local root = o.root or vim.loop.cwd()
  local init = vim.tbl_extend('force', {}, o.init_options or {})
  if o.reviewer then
    init.reviewer = o.reviewer
  end
  state.client_id = vim.lsp.start_client({
    name = 'loophole',
    cmd = o.cmd or { 'loophole-server', '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = init,
    -- Lenses that move to another candidate: run on the server, then open what it answers (Neovim 0.7
    -- does not show documents the server asks for).
    commands = {
      ['loophole.server.next'] = function(command)
        M.exec(command.command, command.arguments, M.open)
      end,
      ['loophole.server.previous'] = function(command)
        M.exec(command.command, command.arguments, M.open)
      end,
    },
    on_attach = function()
      M.refresh_lenses()
    end,
    on_exit = function(_, _, id)
      local waiting = state.on_exit[id]
      state.on_exit[id] = nil
      for _, fn in ipairs(waiting or {}) do
        vim.schedule(fn)
      end
    end,
  })
  return state.client_id
end

--- Asks for the current buffer's code lenses again (Neovim 0.7 has no server-driven refresh); quiet
--- while the server is still starting.
function M.refresh_lenses()
  if M.client() then
    pcall(vim.lsp.codelens.refresh)
  end
end

--- The running client, or nil.
function M.client()
  return state.client_id and vim.lsp.get_client_by_id(state.client_id) or nil
end

--- Stops the server (a later command or candidate file starts it again); `on_stopped()` runs once it
--- has exited.
function M.stop(on_stopped)
  local c = M.client()
  if c then
    if on_stopped then
      state.on_exit[c.id] = state.on_exit[c.id] or {}
      table.insert(state.on_exit[c.id], on_stopped)
    end
    c.stop()
  elseif on_stopped then
    vim.schedule(on_stopped)
  end
  state.client_id = nil
end

--- Runs a server command (workspace/executeCommand); `on_result(result)` gets its answer.
function M.exec(command, arguments, on_result)
  local client = vim.lsp.get_client_by_id(M.start())
  client.request('workspace/executeCommand', { command = command, arguments = arguments or {} }, function(err, result)
    if err then
      notify(err.message or vim.inspect(err), vim.log.levels.ERROR)
      return
    end
    M.refresh_lenses()
    if on_result then
      on_result(result)
    end
  end, 0)
end

local function here()
  return vim.uri_from_bufnr(0)
end

--- Opens the candidate a server answer names (a `{ uri = … }` table).
function M.open(step)
  if step and step ~= vim.NIL and step.uri then
    vim.cmd('edit ' .. vim.fn.fnameescape(vim.uri_to_fname(step.uri)))
  end
end

function M.verdict(label, note, cb)
  M.exec('loophole.server.verdict', { here(), label, note }, function(r)
    notify(label .. (note and (' — ' .. note) or ''))
    if cb then
      cb(r)
    end
  end)
end

function M.undo(cb)
  M.exec('loophole.server.undo', { here() }, cb)
end

function M.note(text, cb)
  M.exec('loophole.server.note', { here(), text }, cb)
end

function M.step(direction, cb)
  local from = vim.api.nvim_buf_get_name(0):match('%.loophole%.py$') and here() or nil
  M.exec('loophole.server.' .. direction, from and { from } or {}, function(step)
    M.open(step)
    if cb then
      cb(step)
    end
  end)
end

function M.setup(opts)
  state.opts = opts or {}
  local group = vim.api.nvim_create_augroup('loophole', { clear = true })
  vim.api.nvim_create_autocmd('BufReadPost', {
    group = group,
    pattern = pattern,
    callback = function(args)
      vim.lsp.buf_attach_client(args.buf, M.start())
    end,
  })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave' }, {
    group = group,
    pattern = pattern,
    callback = function()
      M.refresh_lenses()
    end,
  })
  local cmd = vim.api.nvim_create_user_command
  cmd('LoopholeStart', function() M.start() end, {})
  cmd('LoopholeCandidates', function() M.start() vim.lsp.buf.workspace_symbol('') end, {})
  cmd('LoopholeHack', function() M.verdict('hack') end, {})
  cmd('LoopholeClean', function() M.verdict('clean') end, {})
  cmd('LoopholeUnsure', function() M.verdict('unsure') end, {})
  cmd('LoopholeUndo', function() M.undo() end, {})
  cmd('LoopholeNote', function(a) M.note(a.args) end, { nargs = '+' })
  cmd('LoopholeNext', function() M.step('next') end, {})
  cmd('LoopholePrevious', function() M.step('previous') end, {})
  cmd('LoopholeShow', function() M.exec('loophole.server.show', { here() }) end, {})
  cmd('LoopholeAnalyse', function() M.exec('loophole.server.analyse', {}) end, {})
end

return M
