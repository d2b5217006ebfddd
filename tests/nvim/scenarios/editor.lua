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
    vim.cmd("PyloomImplement")
    H.eq("pyloom: this server does not provide `pyloom.implement`", H.notifications[#H.notifications].msg)
  end },
  { ":PyloomStatus shows the client and server in a floating window", function()
    vim.cmd("PyloomStatus")
    local float = H.wait("a floating window", function()
      for _, win in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(win).relative ~= "" then
          return win
        end
      end
    end)
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
  { ":help pyloom opens the plugin's help", function()
    vim.cmd("help pyloom")
    H.eq("help", vim.bo.buftype, "buffer type")
    H.truthy(vim.api.nvim_buf_get_name(0):find("doc/pyloom.txt$"), "help file")
    vim.cmd("close")
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
