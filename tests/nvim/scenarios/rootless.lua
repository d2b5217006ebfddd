-- A folder of scripts with none of the plugin's root markers (no .git, no
-- pyproject.toml), outside the repository, its name with a space: on the
-- 0.11+ path (vim.lsp.config/enable) the client is rooted at the file's
-- folder, as on the 0.10 path, so the server indexes it and hover and go
-- to definition work across its files.
local H = require("harness")

-- Neovim's own temporary folder: no repository above it, removed on exit.
local root = vim.fs.dirname(vim.fn.tempname()) .. "/my scripts"
vim.fn.mkdir(root, "p")
local function write(name, text)
  local f = assert(io.open(root .. "/" .. name, "w"))
  f:write(text)
  f:close()
end
write("shop.py", 'def price(n: int) -> int:\n    """What n items cost."""\n    return 3 * n\n')
write("app.py", "from shop import price\n\nprint(price(2))\n")

local progress = H.track_progress()

require("pyloom").setup({})

H.run({
  { "the 0.11 path roots a folder without markers at the file's folder", function()
    H.truthy(vim.lsp.enable ~= nil, "vim.lsp.enable (Neovim 0.11+)")
    vim.cmd.edit(vim.fn.fnameescape(root .. "/app.py"))
    local client = H.client()
    H.eq(root, client.root_dir, "root")
    H.eq(vim.uri_from_fname(root), client.workspace_folders[1].uri, "workspace folder")
  end },
  { "the server indexes the folder", function()
    local done = H.indexed(progress)
    H.eq("2 files indexed", done.message, "end message")
  end },
  { "hover on an imported function shows the graph's explanation", function()
    -- `price(2)` on line 3.
    vim.api.nvim_win_set_cursor(0, { 3, 7 })
    vim.lsp.buf.hover()
    local float = H.wait("the hover window", H.float)
    local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), "\n")
    for _, expected in ipairs({ "def price(n: int) -> int", "What n items cost." }) do
      H.truthy(text:find(expected, 1, true), "hover shows " .. expected .. " in:\n" .. text)
    end
    vim.api.nvim_win_close(float, true)
  end },
  { "go to definition jumps to the other file of the folder", function()
    vim.lsp.buf.definition()
    H.wait("the jump to shop.py", function()
      return vim.api.nvim_buf_get_name(0) == root .. "/shop.py"
    end)
    H.eq({ 1, 4 }, vim.api.nvim_win_get_cursor(0), "cursor on `def price`")
  end },
})
