-- Next edit, exact, in the editor: a `def`'s parameters reordered by hand
-- in one buffer; the call of the other buffer, still written for the old
-- order, becomes a diagnostic on the definition (LOOM806), and the quick
-- fix "update 1 call site", applied through vim.lsp's code action, rewrites
-- it in the other buffer.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'geo'\n",
  ["geo.py"] = "def move(x, y):\n    return (x, y)\n",
  ["main.py"] = "from geo import move\n\na = move(1, 2)\n",
})

local progress = H.track_progress()

require("pyloom").setup({})

local function stale(bufnr)
  return vim.iter(vim.diagnostic.get(bufnr)):find(function(d)
    return d.code == "LOOM806"
  end)
end

local function lines(path)
  return table.concat(vim.api.nvim_buf_get_lines(vim.fn.bufnr(path), 0, -1, false), "\n")
end

H.run({
  { "a reorder typed in the def names the call of the other buffer", function()
    vim.cmd.edit(root .. "/main.py")
    H.client()
    vim.cmd.edit(root .. "/geo.py")
    H.client()
    H.indexed(progress)
    -- The buffer was opened before the index was in: its first analysis
    -- with the index knows the parameters its calls were written for.
    local client = H.client()
    local answer = client:request_sync("textDocument/diagnostic", { textDocument = { uri = vim.uri_from_bufnr(0) } }, H.timeout, 0)
    H.truthy(answer and answer.result, "the diagnostics of geo.py")
    vim.api.nvim_buf_set_lines(0, 0, 1, false, { "def move(y, x):" })
    local diagnostic = H.wait("the diagnostic on `move`", function()
      return stale(0)
    end)
    H.eq("1 call site of `move` passes the old parameters (x, y)", diagnostic.message, "message")
    H.eq({ 0, 4 }, { diagnostic.lnum, diagnostic.col }, "place")
  end },
  { "the quick fix applied through vim.lsp rewrites the call in the other buffer", function()
    vim.api.nvim_win_set_cursor(0, { 1, 5 })
    vim.lsp.buf.code_action({
      filter = function(action)
        return action.title == "update 1 call site"
      end,
      apply = true,
    })
    H.wait("the call to be updated", function()
      return lines(root .. "/main.py") == "from geo import move\n\na = move(2, 1)"
    end)
    H.wait("the diagnostic to go", function()
      return stale(vim.fn.bufnr(root .. "/geo.py")) == nil
    end)
  end },
})
