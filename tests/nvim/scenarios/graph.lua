-- The workspace graph in the editor: indexing progress through Neovim's
-- standard LSP progress, hover with graph information (`K`), and go to
-- definition across files, on the repository's fixtures/graph project.
local H = require("harness")

local root = H.repo .. "/fixtures/graph"

local progress = H.track_progress()

require("pyloom").setup({})

H.run({
  { "indexing is reported through LSP progress until it completes", function()
    vim.cmd.edit(root .. "/app.py")
    H.client()
    local done = H.indexed(progress)
    H.eq({ "begin", "Indexing" }, { progress[1].kind, progress[1].title }, "first progress")
    H.eq("5 files indexed", done.message, "end message")
  end },
  { "K shows the graph's explanation of the symbol under the cursor", function()
    -- `s.order_total(...)`, re-exported by shop/__init__.py from shop.pricing.
    vim.api.nvim_win_set_cursor(0, { 7, 15 })
    vim.lsp.buf.hover()
    local float = H.wait("the hover window", H.float)
    local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), "\n")
    for _, expected in ipairs({
      "def total(items: list[m.Item], shipping: int = 0) -> int",
      "Sum of the prices plus shipping.",
      "Defined at shop/pricing.py:8 in module `shop.pricing`",
      "Changing this affects 2 functions in 1 file.",
    }) do
      H.truthy(text:find(expected, 1, true), "hover shows " .. expected .. " in:\n" .. text)
    end
    vim.api.nvim_win_close(float, true)
  end },
  { "go to definition jumps across files", function()
    vim.lsp.buf.definition()
    H.wait("the jump to shop/pricing.py", function()
      return vim.api.nvim_buf_get_name(0) == root .. "/shop/pricing.py"
    end)
    H.eq({ 8, 4 }, vim.api.nvim_win_get_cursor(0), "cursor on `def total`")
  end },
})
