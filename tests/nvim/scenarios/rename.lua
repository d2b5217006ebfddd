-- Rename in the editor: vim.lsp.buf.rename() asks prepareRename, then
-- applies the server's workspace edit to every buffer it touches (files
-- not open yet are loaded); a refused rename shows the server's reason.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'shop'\n",
  ["shop/__init__.py"] = "",
  ["shop/cart.py"] = '__all__ = ["total"]\n\n\ndef total(items):\n    return sum(items)\n',
  ["main.py"] = "from shop.cart import total\n\nprint(total([1, 2]))\n",
})

local indexed = false
vim.api.nvim_create_autocmd("LspProgress", {
  callback = function(args)
    if args.data.params.value.kind == "end" then
      indexed = true
    end
  end,
})

require("pyloom").setup({})

local function lines(path)
  return table.concat(vim.api.nvim_buf_get_lines(vim.fn.bufnr(path), 0, -1, false), "\n")
end

H.run({
  { "rename applies the edit to the open buffer and the file it loads", function()
    vim.cmd.edit(root .. "/main.py")
    H.client()
    H.wait("indexing", function()
      return indexed
    end)
    vim.api.nvim_win_set_cursor(0, { 3, 7 })
    vim.lsp.buf.rename("grand_total")
    H.wait("the rename in main.py", function()
      return lines(root .. "/main.py") == "from shop.cart import grand_total\n\nprint(grand_total([1, 2]))"
    end)
    H.eq('__all__ = ["grand_total"]\n\n\ndef grand_total(items):\n    return sum(items)', lines(root .. "/shop/cart.py"), "shop/cart.py")
  end },
  { "a refused rename shows the reason and changes nothing", function()
    vim.api.nvim_win_set_cursor(0, { 3, 1 })
    local before = H.buffer_text()
    vim.lsp.buf.rename("show")
    local shown = H.wait("the refusal", function()
      return vim.iter(H.notifications):find(function(n)
        return tostring(n.msg):find("builtin", 1, true)
      end)
    end)
    H.truthy(tostring(shown.msg):find("`print` is a Python builtin", 1, true), "reason in: " .. tostring(shown.msg))
    H.eq(before, H.buffer_text(), "main.py unchanged")
  end },
})
