-- The Neovim 0.10 path (vim.lsp.start from a FileType autocommand), taken
-- here by hiding vim.lsp.enable; with an explicit `cmd` and settings.
local H = require("harness")

vim.lsp.enable = nil

local root = H.project({
  [".git/HEAD"] = "ref: refs/heads/main\n",
  ["small.py"] = "x = (\n",
  ["big.py"] = "# padding to exceed the configured limit of 64 bytes .........\ny = (\n",
})

-- The diagnostics count each time a buffer's diagnostics are set, by file
-- name, so an empty answer is seen too (pushed or pulled alike).
local counts = {}
vim.api.nvim_create_autocmd("DiagnosticChanged", {
  callback = function(args)
    counts[vim.fs.basename(vim.api.nvim_buf_get_name(args.buf))] = #args.data.diagnostics
  end,
})

-- Opened before setup(): setup attaches to buffers already open.
vim.cmd.edit(root .. "/small.py")

require("pyloom").setup({
  cmd = H.repo .. "/tests/nvim/bin/pyloom",
  settings = { files = { max_file_bytes = 64 } },
})

local client
H.run({
  { "setup attaches to a buffer opened before it, rooted at .git", function()
    client = H.client()
    H.eq(root, client.root_dir, "root")
    H.eq(H.repo .. "/tests/nvim/bin/pyloom", client.config.cmd[1], "configured binary")
  end },
  { "settings reach the server: files over max_file_bytes are not analysed", function()
    H.wait("diagnostics for small.py", function()
      return counts["small.py"]
    end)
    H.eq(1, counts["small.py"], "small.py diagnostics")
    vim.cmd.edit(root .. "/big.py")
    H.wait("a publish for big.py", function()
      return counts["big.py"]
    end)
    H.eq(0, counts["big.py"], "big.py diagnostics")
  end },
  { "a second file in the same root shares the server", function()
    H.eq(client.id, H.client().id, "client")
    H.eq(1, #require("pyloom").clients(), "clients")
  end },
  { ":PyloomRestart restarts on this path too", function()
    vim.cmd("PyloomRestart")
    local new = H.client()
    H.truthy(new.id ~= client.id, "a new client")
    H.truthy(new.attached_buffers[vim.fn.bufnr(root .. "/small.py")], "small.py attached again")
  end },
})
