-- Completion into a buffer through Neovim's LSP client: an auto-import
-- item that adds its import line, keyword arguments in a call, and
-- signature help in a float.
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

--- Sets line `line` to `text` (`|` marks the cursor), asks the server for
--- completions there as Neovim's LSP client does, and applies the item
--- labelled `label` the way an accepted item is applied (its text edit,
--- then its additional edits, resolved if the item has none, in the
--- client's position encoding).
--- Headless Neovim does not run the popup menu's insert-mode loop while a
--- scenario step waits, so the menu itself is not driven.
local function complete(client, line, text, label)
  local col = text:find("|", 1, true) - 1
  vim.api.nvim_buf_set_lines(0, line - 1, line, false, { (text:gsub("|", "", 1)) })
  H.wait("the server's copy of the edit", function()
    return H.server_text(client) == H.buffer_text()
  end)
  -- The text is ASCII: byte columns are positions in any encoding.
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = line - 1, character = col } }
  local response = H.truthy(client:request_sync("textDocument/completion", params, H.timeout, 0), "a completion answer")
  local items = response.result.items or response.result
  local chosen
  for _, item in ipairs(items) do
    if item.label == label then
      chosen = item
    end
  end
  H.truthy(chosen, label .. " among " .. vim.inspect(vim.tbl_map(function(i)
    return i.label
  end, items)))
  local edits = { chosen.textEdit }
  local additional = chosen.additionalTextEdits
  if not additional then
    -- As Neovim does on CompleteDone: the import edit comes with resolve.
    local resolved = client:request_sync("completionItem/resolve", chosen, H.timeout, 0)
    additional = H.truthy(resolved and resolved.result, "a resolved item").additionalTextEdits
  end
  vim.list_extend(edits, additional or {})
  vim.lsp.util.apply_text_edits(edits, vim.api.nvim_get_current_buf(), client.offset_encoding)
end

H.run({
  { "the buffer attaches and the workspace is indexed", function()
    vim.cmd.edit(root .. "/app.py")
    H.client()
    H.wait("indexing to end", function()
      return vim.iter(progress):find(function(value)
        return value.kind == "end"
      end)
    end)
  end },
  { "an accepted auto-import item completes the name and adds its import where isort wants it", function()
    complete(H.client(), 5, "    return to|", "total")
    H.wait("the import line", function()
      return H.buffer_text() == "import os\n\nfrom shop.pricing import total\n\n\ndef main():\n    return total\n"
    end)
  end },
  { "keyword arguments of the called function are offered in a call", function()
    complete(H.client(), 7, "    return total([], sh|)", "shipping=")
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
