-- pyloom for Neovim: starts `pyloom serve` for Python buffers and wires the
-- server's commands to user commands. Thin on purpose: every answer comes
-- from the server; this file only finds the binary, passes settings, and
-- shows results with Neovim's own LSP UI (diagnostics, signs, progress,
-- floating windows).

local M = {}

--- The defaults `setup()` merges user options into.
M.defaults = {
  -- Command that starts the server; the first word is looked up on PATH
  -- unless it is a path. nil means { "pyloom", "serve" }.
  cmd = nil,
  -- Server settings, snake_case as in the README's table, e.g.
  -- { files = { max_file_bytes = 2000000 } }. Sent as initializationOptions
  -- and as workspace/didChangeConfiguration settings.
  settings = {},
  filetypes = { "python" },
  root_markers = { "pyloom.toml", "pyproject.toml", "setup.py", "setup.cfg", ".git" },
  -- Buffer-local mappings, opt-in: `true` for the defaults below, or a table
  -- overriding some of them (a value of false drops that mapping).
  keys = false,
  -- Ghost-text completion (see lua/pyloom/inline.lua and :help pyloom-inline):
  -- { enabled, ui = "auto"|"plugin"|"builtin", debounce_ms, keys = {...} }.
  inline = {},
}

M.default_keys = {
  test = "<leader>pt",
  test_file = "<leader>pT",
  refactor = "<leader>pr",
  implement = "<leader>pi",
  explain = "<leader>pe",
  adjust = "<leader>pa",
}

M.name = "pyloom"

local config = vim.deepcopy(M.defaults)

--- Whether this Neovim has `vim.lsp.config` / `vim.lsp.enable` (0.11+).
local function has_config_api()
  return vim.fn.has("nvim-0.11") == 1 and type(vim.lsp.config) == "table" and vim.lsp.enable ~= nil
end

--- Calls a client method: 0.11 made them colon-calls and deprecated the
--- 0.10 dot-calls.
function M.call(client, method, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end
local call = M.call

--- The server command with its executable resolved, or nil and why not.
--- @return string[]|nil, string|nil
function M.resolve_cmd(cmd)
  cmd = vim.deepcopy(cmd or config.cmd or { "pyloom", "serve" })
  if type(cmd) == "string" then
    cmd = { cmd, "serve" }
  end
  local exe = vim.fn.exepath(vim.fn.expand(cmd[1]))
  if exe == "" then
    return nil, string.format("`%s` is not an executable file and is not on PATH", cmd[1])
  end
  cmd[1] = exe
  return cmd, nil
end

--- The pyloom clients, for one buffer or all.
--- @param bufnr integer|nil
function M.clients(bufnr)
  return vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
end

local function notify(msg, level)
  vim.notify("pyloom: " .. msg, level or vim.log.levels.INFO)
end

--- Whether the client's server advertises `command` (false while the
--- server is still initializing).
function M.provides(client, command)
  local provider = (client.server_capabilities or {}).executeCommandProvider
  return type(provider) == "table" and vim.list_contains(provider.commands or {}, command)
end

--- Runs `workspace/executeCommand` on the buffer's pyloom client. Commands
--- the server does not advertise are refused here with a clear message, so
--- an older server never sees a request it cannot answer.
--- @param command string
--- @param argument table
--- @param on_result fun(result: any, client: vim.lsp.Client)|nil
function M.execute(command, argument, on_result)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.clients(bufnr)[1]
  if not client then
    notify("no pyloom server is attached to this buffer", vim.log.levels.WARN)
    return
  end
  if not M.provides(client, command) then
    notify(string.format("this server does not provide `%s`", command), vim.log.levels.WARN)
    return
  end
  local params = { command = command, arguments = { argument } }
  call(client, "request", "workspace/executeCommand", params, function(err, result)
    if err then
      notify(string.format("%s failed: %s", command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif on_result then
      on_result(result, client)
    end
  end, bufnr)
end

--- Shows markdown (or any text) in a floating window next to the cursor.
function M.show_markdown(text, title)
  local lines = vim.split(text, "\n", { plain = true })
  return vim.lsp.util.open_floating_preview(lines, "markdown", {
    border = "rounded",
    title = title,
    focus_id = "pyloom",
    max_width = math.floor(vim.o.columns * 0.8),
  })
end

--- Text of a command's result for display: a string as is, a table by its
--- `markdown`, `message` or `summary` field, anything else inspected.
local function result_text(result)
  if type(result) == "string" then
    return result
  end
  for _, field in ipairs({ "markdown", "message", "summary" }) do
    if type(result) == "table" and type(result[field]) == "string" then
      return result[field]
    end
  end
  return vim.inspect(result)
end

local function position_params(client)
  return vim.lsp.util.make_position_params(0, client and client.offset_encoding or "utf-16")
end

local function buffer_uri()
  return vim.uri_from_bufnr(vim.api.nvim_get_current_buf())
end

--- The LSP range a command with a range acts on: the cursor when it had
--- none, the exact selection after a charwise visual selection, else whole
--- lines `line1`..`line2` (1-based, inclusive; linewise and blockwise
--- selections and typed ranges alike).
local function command_range(opts, client)
  local encoding = client and client.offset_encoding or "utf-16"
  if opts.range == 0 then
    local position = position_params(client).position
    return { start = position, ["end"] = position }
  end
  local mark_start = vim.api.nvim_buf_get_mark(0, "<")
  local mark_end = vim.api.nvim_buf_get_mark(0, ">")
  if vim.fn.visualmode() == "v" and mark_start[1] == opts.line1 and mark_end[1] == opts.line2 then
    return vim.lsp.util.make_given_range_params(mark_start, mark_end, 0, encoding).range
  end
  local last = vim.api.nvim_buf_get_lines(0, opts.line2 - 1, opts.line2, false)[1] or ""
  return {
    start = { line = opts.line1 - 1, character = 0 },
    ["end"] = { line = opts.line2 - 1, character = vim.lsp.util.character_offset(0, opts.line2 - 1, #last, encoding) },
  }
end

local function first_client()
  return M.clients(vim.api.nvim_get_current_buf())[1]
end

--- Asks for an instruction, then calls `then_do(instruction)` unless the
--- user cancelled or typed nothing.
local function with_instruction(prompt, then_do)
  vim.ui.input({ prompt = prompt }, function(instruction)
    if instruction and instruction ~= "" then
      then_do(instruction)
    end
  end)
end

-- The user commands. Each builds the documented arguments of one server
-- command; results that edit code arrive as `workspace/applyEdit`, which
-- Neovim applies itself.
M.commands = {
  PyloomTest = {
    desc = "Run the snippet tests at the cursor",
    run = function()
      local line = vim.api.nvim_win_get_cursor(0)[1] - 1
      M.execute("pyloom.runSnippetTests", { uri = buffer_uri(), line = line }, M.show_test_results)
    end,
  },
  PyloomTestFile = {
    desc = "Run every snippet test in the file",
    run = function()
      M.execute("pyloom.runSnippetTests", { uri = buffer_uri() }, M.show_test_results)
    end,
  },
  PyloomRefactor = {
    desc = "Refactor the selection following an instruction",
    range = true,
    run = function(opts)
      local range = command_range(opts, first_client())
      with_instruction("Refactor: ", function(instruction)
        M.execute("pyloom.refactor", { uri = buffer_uri(), range = range, instruction = instruction })
      end)
    end,
  },
  PyloomImplement = {
    desc = "Implement the function at the cursor",
    run = function()
      local params = position_params(first_client())
      M.execute("pyloom.implement", { uri = buffer_uri(), position = params.position })
    end,
  },
  PyloomExplain = {
    desc = "Explain the code at the cursor in a floating window",
    range = true,
    run = function(opts)
      local argument = { uri = buffer_uri(), range = command_range(opts, first_client()) }
      M.execute("pyloom.explain", argument, function(result)
        M.show_markdown(result_text(result), " pyloom: explanation ")
      end)
    end,
  },
  PyloomAdjust = {
    desc = "Adjust the file following an instruction",
    run = function()
      local uri = buffer_uri()
      with_instruction("Adjust: ", function(instruction)
        M.execute("pyloom.adjust", { uri = uri, instruction = instruction })
      end)
    end,
  },
  PyloomRegenerate = {
    desc = "Ask the model again for the last LLM action, bypassing the response cache",
    run = function()
      M.execute("pyloom.regenerate", { uri = buffer_uri() })
    end,
  },
  PyloomStatus = {
    desc = "Show the server's status",
    run = function()
      M.status(function(text)
        M.show_markdown(text, " pyloom: status ")
      end)
    end,
  },
  PyloomSuggest = {
    desc = "Ask for a ghost-text suggestion at the cursor now",
    run = function()
      require("pyloom.inline").request(true)
    end,
  },
  PyloomRenameFile = {
    desc = "Rename or move a module or package, updating its importers",
    nargs = "+",
    complete = "file",
    run = function(opts)
      M.rename_file(opts.fargs)
    end,
  },
  PyloomRestart = {
    desc = "Restart the pyloom server",
    run = function()
      M.restart()
    end,
  },
}

--- The status as markdown: the client's view, plus the server's own
--- `pyloom.status` answer when it provides one.
function M.status(callback)
  local clients = M.clients()
  if #clients == 0 then
    callback("No pyloom server is running.")
    return
  end
  local lines = {}
  for _, client in ipairs(clients) do
    local info = client.server_info or {}
    table.insert(lines, string.format("- client %d: `%s` %s", client.id, info.name or "?", info.version or ""))
    table.insert(lines, string.format("  root: `%s`", client.root_dir or client.config.root_dir or "(none)"))
  end
  local text = "# pyloom\n\n" .. table.concat(lines, "\n")
  local client = first_client() or clients[1]
  if not M.provides(client, "pyloom.status") then
    callback(text)
    return
  end
  call(client, "request", "workspace/executeCommand", { command = "pyloom.status", arguments = {} }, function(err, result)
    local server = err and ("status failed: " .. (err.message or "?")) or result_text(result)
    callback(text .. "\n\n## Server\n\n" .. server)
  end)
end

local test_namespace = vim.api.nvim_create_namespace("pyloom.tests")

--- Whether a snippet test's status counts as a success.
local function succeeded(status)
  return status == "passed" or status == "skipped"
end

--- Marks each snippet test of a run with a sign: ✓ passed (or skipped),
--- ✗ anything else. The failures' details are diagnostics the server
--- publishes; the signs cover the passing tests too. `results` is the
--- command's answer: a list of `{ name, line (1-based), status, ... }`.
function M.show_test_results(results)
  local bufnr = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_clear_namespace(bufnr, test_namespace, 0, -1)
  if type(results) ~= "table" then
    return
  end
  local passed, failed = 0, 0
  for _, test in ipairs(results) do
    if type(test) == "table" and type(test.line) == "number" then
      local ok = succeeded(test.status)
      if ok then
        passed = passed + 1
      else
        failed = failed + 1
      end
      pcall(vim.api.nvim_buf_set_extmark, bufnr, test_namespace, test.line - 1, 0, {
        sign_text = ok and "✓" or "✗",
        sign_hl_group = ok and "DiagnosticOk" or "DiagnosticError",
      })
    end
  end
  notify(string.format("%d passed, %d failed", passed, failed))
end

--- An absolute path without a trailing slash (`~` and `%` expanded).
local function full_path(path)
  return (vim.fn.fnamemodify(vim.fn.expand(path), ":p"):gsub("(.)/$", "%1"))
end

--- Renames or moves a module (a `.py` file) or a package (a folder):
--- `{ TO }` moves the current buffer's file, `{ FROM, TO }` any file or
--- folder. Neovim itself never sends `workspace/willRenameFiles`, so this
--- asks the server for the importers' edits first, applies them to the
--- buffers (left unsaved, as any workspace edit), then renames the file and
--- its buffers with |vim.lsp.util.rename()|. Where the server cannot update
--- the imports exactly it answers no edit and says why; the file is
--- renamed all the same, as an editor's explorer would.
function M.rename_file(args)
  local from, to
  if #args == 1 then
    from, to = vim.api.nvim_buf_get_name(0), args[1]
  elseif #args == 2 then
    from, to = args[1], args[2]
  else
    notify("usage: :PyloomRenameFile [FROM] TO", vim.log.levels.ERROR)
    return
  end
  if from == "" then
    notify("this buffer has no file to rename", vim.log.levels.ERROR)
    return
  end
  from, to = full_path(from), full_path(to)
  if not vim.uv.fs_stat(from) then
    notify(from .. " does not exist", vim.log.levels.ERROR)
    return
  end
  if vim.uv.fs_stat(to) then
    notify(to .. " already exists", vim.log.levels.ERROR)
    return
  end
  local client = first_client() or M.clients()[1]
  local operations = client and (client.server_capabilities.workspace or {}).fileOperations
  if not (operations and operations.willRename) then
    vim.lsp.util.rename(from, to)
    notify("no pyloom server to update the imports: only the file was renamed", vim.log.levels.WARN)
    return
  end
  local params = { files = { { oldUri = vim.uri_from_fname(from), newUri = vim.uri_from_fname(to) } } }
  call(client, "request", "workspace/willRenameFiles", params, function(err, edit)
    if err then
      notify("the rename was not done: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if edit then
      vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
    end
    vim.lsp.util.rename(from, to)
  end)
end

--- Stops every pyloom client and starts them again for the buffers they
--- were attached to.
function M.restart()
  local clients = M.clients()
  local buffers = {}
  for _, client in ipairs(clients) do
    for bufnr in pairs(client.attached_buffers) do
      buffers[bufnr] = true
    end
    call(client, "stop")
  end
  -- Stopping sends shutdown/exit; wait for the old processes so the new
  -- server does not race the old one over the same workspace.
  local stopped = vim.wait(5000, function()
    return vim.iter(clients):all(function(c)
      return call(c, "is_stopped")
    end)
  end, 20)
  if not stopped then
    for _, client in ipairs(clients) do
      call(client, "stop", true)
    end
  end
  for bufnr in pairs(buffers) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.start(bufnr)
    end
  end
  notify("restarted")
end

local REFRESH = "workspace/diagnostic/refresh"

--- Answers the server's `workspace/diagnostic/refresh` by pulling the
--- diagnostics of every buffer the client serves again. The server sends it
--- when something other than an edit changed them (a snippet-test run).
--- Neovim 0.10 and 0.11 pull diagnostics but do not handle this request;
--- where Neovim does, its own handler is used instead.
local function pull_diagnostics_again(_, _, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client then
    for bufnr in pairs(client.attached_buffers) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr) }
        call(client, "request", "textDocument/diagnostic", params, nil, bufnr)
      end
    end
  end
  return vim.NIL
end

--- The workspace root of a buffer: the nearest folder with any root marker
--- (all markers count alike: vim.fs.root would prefer a far pyproject.toml
--- to a near .git), else the file's own folder (a folder of scripts is a
--- workspace too), else the working directory for a buffer without a file.
local function root_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return vim.uv.cwd()
  end
  local folder = vim.fs.dirname(name)
  local marker = vim.fs.find(config.root_markers, { upward = true, path = folder, limit = 1 })[1]
  return marker and vim.fs.dirname(marker) or folder
end

--- Client configuration shared by both start paths.
local function client_config(cmd)
  local cfg = {
    name = M.name,
    cmd = cmd,
    filetypes = config.filetypes,
    -- For 0.11+, root_dir wins over root_markers (kept for reference): the
    -- markers alone leave a folder without them rootless, nothing to index.
    root_markers = config.root_markers,
    root_dir = function(bufnr, on_dir)
      on_dir(root_of(bufnr))
    end,
  }
  if not vim.lsp.handlers[REFRESH] then
    -- Say the client handles refreshes, and handle them.
    cfg.capabilities = vim.tbl_deep_extend(
      "force",
      vim.lsp.protocol.make_client_capabilities(),
      { workspace = { diagnostics = { refreshSupport = true } } }
    )
    cfg.handlers = { [REFRESH] = pull_diagnostics_again }
  end
  -- Only non-empty settings are sent: an empty Lua table would go out as a
  -- JSON array, which the server rightly rejects as a settings layer.
  if next(config.settings) then
    cfg.init_options = config.settings
    cfg.settings = { pyloom = config.settings }
  end
  return cfg
end

--- Starts (or attaches) the server for one buffer, for the 0.10 path and
--- for restarts.
function M.start(bufnr)
  if has_config_api() then
    -- Re-running enable re-triggers FileType for loaded buffers.
    vim.lsp.enable(M.name)
    return
  end
  local cmd, why = M.resolve_cmd()
  if not cmd then
    notify(why, vim.log.levels.ERROR)
    return
  end
  local cfg = client_config(cmd)
  cfg.root_dir = root_of(bufnr)
  vim.lsp.start(cfg, { bufnr = bufnr })
end

local function set_keys(bufnr)
  if not config.keys then
    return
  end
  local keys = vim.tbl_extend("force", M.default_keys, type(config.keys) == "table" and config.keys or {})
  local targets = {
    test = "PyloomTest",
    test_file = "PyloomTestFile",
    refactor = "PyloomRefactor",
    implement = "PyloomImplement",
    explain = "PyloomExplain",
    adjust = "PyloomAdjust",
  }
  for action, lhs in pairs(keys) do
    local command = targets[action]
    if command and lhs then
      local modes = M.commands[command].range and { "n", "x" } or "n"
      vim.keymap.set(modes, lhs, ":" .. command .. "<CR>", {
        buffer = bufnr,
        silent = true,
        desc = "pyloom: " .. M.commands[command].desc,
      })
    end
  end
end

local function define_commands()
  for name, spec in pairs(M.commands) do
    vim.api.nvim_create_user_command(name, spec.run, { desc = spec.desc, range = spec.range, nargs = spec.nargs, complete = spec.complete })
  end
end

--- Configures and enables pyloom. Safe to call again (later calls replace
--- the configuration); lazy.nvim calls it with `opts`.
function M.setup(opts)
  opts = opts or {}
  config = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts)
  -- Lists are replaced, not merged index by index.
  for _, key in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts[key] ~= nil then
      config[key] = opts[key]
    end
  end
  define_commands()
  require("pyloom.inline").setup(config.inline)

  local group = vim.api.nvim_create_augroup("pyloom", { clear = true })
  vim.api.nvim_create_autocmd("LspAttach", {
    group = group,
    callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      if client and client.name == M.name then
        set_keys(args.buf)
        require("pyloom.inline").attach(args.buf, client)
      end
    end,
  })

  local cmd, why = M.resolve_cmd()
  if not cmd then
    notify(why .. "; set `cmd` in setup() or install pyloom (see :help pyloom)", vim.log.levels.ERROR)
    return
  end
  if has_config_api() then
    -- Assignment replaces an earlier setup()'s config; calling
    -- vim.lsp.config() would merge into it.
    vim.lsp.config[M.name] = client_config(cmd)
    vim.lsp.enable(M.name)
  else
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = config.filetypes,
      callback = function(args)
        M.start(args.buf)
      end,
    })
    -- Buffers opened before setup() ran.
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.list_contains(config.filetypes, vim.bo[bufnr].filetype) then
        M.start(bufnr)
      end
    end
  end
end

--- The configuration in force (for :checkhealth).
function M.config()
  return config
end

return M
