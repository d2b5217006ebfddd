-- The plugin in a real editor on Neovim 0.11+ (vim.lsp.config/enable):
-- attach, incremental sync, diagnostics, commands, health, help, restart.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'demo'\n",
  ["app.py"] = 'def greet(name):\n    """Say hello."""\n    return "hello " + name\n',
})

-- No `cmd`: the plugin finds `pyloom` on PATH (the driver puts tests/nvim/bin first).
require("pyloom").setup({ keys = { explain = false } })

local client
H.run({
  { "the server attaches to a Python buffer", function()
    vim.cmd.edit(root .. "/app.py")
    client = H.client()
    H.eq("pyloom", client.server_info.name, "server name")
    H.eq(root, client.root_dir, "root found by marker")
  end },
  { "edits reach the server in order (incremental sync)", function()
    vim.api.nvim_buf_set_lines(0, 1, 1, false, { "    # first", "    # second" })
    vim.api.nvim_buf_set_text(0, 0, 4, 0, 9, { "welcome" })
    vim.api.nvim_buf_set_lines(0, 2, 3, false, {})
    H.wait("the server's copy to match the buffer", function()
      return H.server_text(client) == H.buffer_text()
    end)
    H.eq('def welcome(name):\n    # first\n    """Say hello."""\n    return "hello " + name\n', H.buffer_text())
  end },
  { "a syntax error is shown as a diagnostic and cleared when fixed", function()
    vim.api.nvim_buf_set_lines(0, -1, -1, false, { "print(" })
    local diagnostic = H.wait("a syntax diagnostic", function()
      return vim.diagnostic.get(0)[1]
    end)
    H.eq({ "E999", vim.diagnostic.severity.ERROR }, { diagnostic.code, diagnostic.severity })
    vim.api.nvim_buf_set_lines(0, -2, -1, false, { "print()" })
    H.wait("the diagnostic to clear", function()
      return #vim.diagnostic.get(0) == 0
    end)
  end },
  { "opt-in mappings are buffer-local and can be dropped one by one", function()
    local maps = {}
    for _, map in ipairs(vim.api.nvim_buf_get_keymap(0, "n")) do
      maps[map.lhs] = map.rhs
    end
    H.eq(":PyloomTest<CR>", maps[" pt"], "test mapping")
    H.eq(":PyloomTestFile<CR>", maps[" pT"], "test-file mapping")
    H.eq(nil, maps[" pe"], "dropped explain mapping")
  end },
  { "commands the server does not provide are refused with a clear message", function()
    require("pyloom").execute("pyloom.noSuchCommand", { uri = vim.uri_from_bufnr(0) })
    H.eq("pyloom: this server does not provide `pyloom.noSuchCommand`", H.notifications[#H.notifications].msg)
  end },
  { "commands send the documented arguments and show results", function()
    local pyloom = require("pyloom")
    local sent, answers = {}, {}
    local execute = pyloom.execute
    pyloom.execute = function(command, argument, on_result)
      table.insert(sent, { command, argument })
      if on_result then
        on_result(answers[command])
      end
    end
    local input = vim.ui.input
    vim.ui.input = function(_, on_confirm)
      on_confirm("use a dict")
    end
    local uri = vim.uri_from_bufnr(0)
    answers["pyloom.runSnippetTests"] = { { name = "greet", line = 1, status = "passed" }, { name = "x", line = 3, status = "failed" } }
    answers["pyloom.explain"] = { markdown = "# Greets\n\nReturns a greeting." }

    vim.api.nvim_win_set_cursor(0, { 3, 4 })
    vim.cmd("PyloomTest")
    vim.cmd("PyloomTestFile")
    vim.cmd("normal! ggVj\27")
    vim.cmd("'<,'>PyloomRefactor")
    vim.cmd("normal! gg0wvjll\27")
    vim.cmd("'<,'>PyloomExplain")
    -- The explanation opens in a float (which a second call would focus).
    local float = H.truthy(H.float(), "explanation window")
    H.eq({ "# Greets", "", "Returns a greeting." }, vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false))
    vim.api.nvim_win_close(float, true)
    vim.cmd("2,3PyloomExplain")
    vim.api.nvim_win_close(H.truthy(H.float(), "second explanation"), true)
    vim.cmd("PyloomAdjust")
    vim.api.nvim_win_set_cursor(0, { 1, 4 })
    vim.cmd("PyloomImplement")
    pyloom.execute, vim.ui.input = execute, input

    local function point(line, character)
      return { line = line, character = character }
    end
    H.eq({
      { "pyloom.runSnippetTests", { uri = uri, line = 2 } },
      { "pyloom.runSnippetTests", { uri = uri } },
      { "pyloom.refactor", { uri = uri, range = { start = point(0, 0), ["end"] = point(1, 11) }, instruction = "use a dict" } },
      { "pyloom.explain", { uri = uri, range = { start = point(0, 4), ["end"] = point(1, 7) } } },
      { "pyloom.explain", { uri = uri, range = { start = point(1, 0), ["end"] = point(2, 20) } } },
      { "pyloom.adjust", { uri = uri, instruction = "use a dict" } },
      { "pyloom.implement", { uri = uri, position = point(0, 4) } },
    }, sent, "commands sent")

    local signs = {}
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(0, -1, 0, -1, { details = true, type = "sign" })) do
      if mark[4].sign_text then
        table.insert(signs, { mark[2], vim.trim(mark[4].sign_text) })
      end
    end
    H.eq({ { 0, "✓" }, { 2, "✗" } }, signs, "test result signs")
    H.eq("pyloom: 1 passed, 1 failed", H.notifications[#H.notifications].msg)
  end },
  { ":PyloomStatus shows the client and server in a floating window", function()
    vim.cmd("PyloomStatus")
    local float = H.wait("a floating window", H.float)
    local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), "\n")
    H.truthy(text:find("client " .. client.id .. ": `pyloom`", 1, true), "status names the client: " .. text)
    vim.api.nvim_win_close(float, true)
  end },
  { ":checkhealth pyloom finds the binary and its version", function()
    vim.cmd("checkhealth pyloom")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    H.truthy(text:find("OK found " .. H.repo .. "/tests/nvim/bin/pyloom", 1, true), "binary found: " .. text)
    H.truthy(text:find("OK pyloom %d+%.%d+%.%d+"), "version: " .. text)
    H.truthy(text:find("client " .. client.id .. " attached", 1, true), "client listed: " .. text)
    vim.cmd("bwipeout")
  end },
  { ":checkhealth pyloom reports pyloom.status and probes the provider", function()
    -- A provider that accepts connections, and one that refuses them.
    local listener = assert(vim.uv.new_tcp())
    listener:bind("127.0.0.1", 0)
    listener:listen(8, function() end)
    local port = listener:getsockname().port
    local pyloom = require("pyloom")
    local provides, call = pyloom.provides, pyloom.call
    local function health_with(primary)
      -- The answer pyloom.status gives (llm branch): a summary, breakers, and
      -- the primary endpoint's label.
      pyloom.provides = function()
        return true
      end
      pyloom.call = function()
        return { result = { summary = "pyloom LLM: 3 requests", primary = primary, breakers = { { endpoint = "b", state = "open" } } } }
      end
      vim.cmd("checkhealth pyloom")
      pyloom.provides, pyloom.call = provides, call
      local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
      vim.cmd("bwipeout")
      return text
    end
    local up = health_with("openai m @ http://127.0.0.1:" .. port .. "/v1")
    listener:close()
    local down = health_with("openai m @ http://127.0.0.1:" .. port .. "/v1")
    for _, expected in ipairs({ "OK pyloom LLM: 3 requests", "WARNING b: circuit open after repeated failures" }) do
      H.truthy(up:find(expected, 1, true), expected .. " in:\n" .. up)
    end
    H.truthy(up:find("OK LLM provider reachable at 127.0.0.1:" .. port, 1, true), "reachable in:\n" .. up)
    H.truthy(down:find("WARNING LLM provider not reachable at 127.0.0.1:" .. port, 1, true), "unreachable in:\n" .. down)
  end },
  { "the committed help tags are up to date", function()
    local doc = H.repo .. "/editors/neovim/doc/"
    local copy = H.dir .. "/doc/"
    vim.fn.mkdir(copy, "p")
    vim.fn.writefile(vim.fn.readfile(doc .. "pyloom.txt"), copy .. "pyloom.txt")
    vim.cmd.helptags(copy)
    H.eq(vim.fn.readfile(copy .. "tags"), vim.fn.readfile(doc .. "tags"), "doc/tags (regenerate with :helptags)")
  end },
  { ":help pyloom opens the plugin's help", function()
    vim.cmd("help pyloom")
    H.eq("help", vim.bo.buftype, "buffer type")
    H.truthy(vim.api.nvim_buf_get_name(0):find("doc/pyloom.txt$"), "help file")
    vim.cmd("close")
  end },
  { "setup() again replaces the configuration, lists included", function()
    require("pyloom").setup({ root_markers = { "pyproject.toml" }, settings = { files = { max_file_bytes = 1000 } } })
    local cfg = vim.lsp.config.pyloom
    H.eq({ "pyproject.toml" }, cfg.root_markers, "root markers")
    H.eq({ files = { max_file_bytes = 1000 } }, cfg.init_options, "settings")
    H.eq(false, require("pyloom").config().keys, "keys back to the default")
  end },
  { ":PyloomRestart starts a new server for the same buffer", function()
    local old = client
    vim.cmd("PyloomRestart")
    H.truthy(old:is_stopped(), "old client stopped")
    client = H.client()
    H.truthy(client.id ~= old.id, "a new client")
    H.eq(H.buffer_text(), H.server_text(client), "the new server has the buffer")
  end },
})
