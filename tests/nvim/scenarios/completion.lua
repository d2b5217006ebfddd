-- Completion with Neovim's built-in LSP completion (vim.lsp.completion):
-- the server's items in the popup menu after <C-x><C-o>, an accepted
-- auto-import item that adds its import line, keyword arguments in a call,
-- and signature help in a float.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'completion'\n",
  ["shop/__init__.py"] = "",
  ["shop/pricing.py"] = 'def total(items, shipping=0):\n    """Sum plus shipping."""\n    return 0\n',
  ["app.py"] = "import os\n\n\ndef main():\n    return os.sep\n",
})

local progress = {}
vim.api.nvim_create_autocmd("LspProgress", {
  callback = function(args)
    table.insert(progress, args.data.params.value)
  end,
})

require("pyloom").setup({})

--- Sets line `line` to `text` (`|` marks the cursor), opens the
--- omni-completion menu there in insert mode and accepts the item
--- labelled `label`.
local function complete(line, text, label)
  local col = text:find("|", 1, true) - 1
  vim.api.nvim_buf_set_lines(0, line - 1, line, false, { (text:gsub("|", "", 1)) })
  local keys = "A<C-x><C-o>"
  if col < #text - 1 then
    vim.api.nvim_win_set_cursor(0, { line, col })
    keys = "i<C-x><C-o>"
  end
  vim.api.nvim_feedkeys(vim.keycode(keys), "nt", false)
  local items = H.wait("the completion menu", function()
    local info = vim.fn.complete_info({ "pum_visible", "items" })
    return info.pum_visible == 1 and #info.items > 0 and info.items
  end)
  local index
  for i, item in ipairs(items) do
    if item.word == label then
      index = i
    end
  end
  H.truthy(index, label .. " in the menu: " .. vim.inspect(vim.tbl_map(function(i)
    return i.word
  end, items)))
  vim.api.nvim_feedkeys(vim.keycode(string.rep("<C-n>", index) .. "<C-y><Esc>"), "nt", false)
end

H.run({
  { "the buffer attaches and the workspace is indexed", function()
    vim.cmd.edit(root .. "/app.py")
    local client = H.client()
    H.wait("indexing to end", function()
      return vim.iter(progress):find(function(value)
        return value.kind == "end"
      end)
    end)
    vim.lsp.completion.enable(true, client.id, 0)
  end },
  { "an accepted auto-import item completes the name and adds its import where isort wants it", function()
    complete(5, "    return to|", "total")
    H.wait("the import line", function()
      return H.buffer_text() == "import os\n\nfrom shop.pricing import total\n\n\ndef main():\n    return total\n"
    end)
  end },
  { "keyword arguments of the called function are offered in a call", function()
    complete(7, "    return total([], sh|)", "shipping=")
    H.wait("the keyword argument", function()
      return vim.api.nvim_buf_get_lines(0, 6, 7, false)[1] == "    return total([], shipping=)"
    end)
  end },
  { "signature help shows the signature with its docstring", function()
    vim.api.nvim_buf_set_lines(0, 6, 7, false, { "    return total([], )" })
    vim.api.nvim_win_set_cursor(0, { 7, 21 })
    vim.lsp.buf.signature_help()
    local float = H.wait("the signature float", H.float)
    local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), "\n")
    H.truthy(text:find("total(items, shipping=0)", 1, true), "the signature in:\n" .. text)
    H.truthy(text:find("Sum plus shipping.", 1, true), "the docstring in:\n" .. text)
    vim.api.nvim_win_close(float, true)
    vim.api.nvim_buf_set_lines(0, 6, 7, false, { "    return total([])" })
  end },
})
