-- Ghost-text completion in the editor, against a scripted FIM provider on
-- 127.0.0.1 that the driver (tests/tests/nvim.rs) starts and names in
-- PYLOOM_LLM_URL: the plugin's own ghost text (the 0.10/0.11 path, forced
-- with ui = "plugin" whatever this Neovim has) shows the server's
-- suggestion at the cursor, accepts a word of it, then the rest.
local H = require("harness")

local url = assert(os.getenv("PYLOOM_LLM_URL"), "PYLOOM_LLM_URL is not set")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'inline'\n",
  ["shop/__init__.py"] = "",
  ["shop/models.py"] = 'class Order:\n    """A customer\'s order."""\n\n    def total(self) -> int:\n        return 0\n',
  ["app.py"] = "from shop.models import Order\n\n\ndef checkout(order: Order):\n    return order\n",
})

local progress = H.track_progress()

require("pyloom").setup({
  settings = {
    completion = { provider = "openai", model = "qwen2.5-coder:1.5b", base_url = url, stream = false },
  },
  inline = { ui = "plugin" },
})

local inline = require("pyloom.inline")

-- Steps run in normal mode (headless Neovim runs no insert-mode loop while
-- a step waits); this lets the cursor sit after the line's last character
-- as it does while typing.
vim.o.virtualedit = "onemore"

--- The ghost text shown in the buffer: the virtual text of the plugin's
--- extmarks, with the position they are at.
local function ghost()
  local ns = vim.api.nvim_get_namespaces()["pyloom.inline"]
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })) do
    local text = table.concat(vim.tbl_map(function(chunk)
      return chunk[1]
    end, mark[4].virt_text or {}))
    return { row = mark[2], col = mark[3], text = text }
  end
end

--- Sets line 5 to `text`, puts the cursor at its end once the server has
--- the edit, and asks for a suggestion there.
local function suggest_after(text)
  vim.api.nvim_buf_set_lines(0, 4, 5, false, { text })
  vim.api.nvim_win_set_cursor(0, { 5, #text })
  H.wait("the server's copy of the edit", function()
    return H.server_text(H.client()) == H.buffer_text()
  end)
  vim.cmd("PyloomSuggest")
  return H.wait("the ghost text", ghost)
end

H.run({
  { "the server offers inline completion and indexes the workspace", function()
    vim.cmd.edit(root .. "/app.py")
    local client = H.client()
    H.truthy(client.server_capabilities.inlineCompletionProvider, "inlineCompletionProvider")
    H.indexed(progress)
  end },
  { "a suggestion at the cursor shows as ghost text where it would go", function()
    H.eq({ row = 4, col = 17, text = "total()" }, suggest_after("    return order."), "the ghost text")
  end },
  { "accepting a word inserts it and keeps the rest shown", function()
    H.truthy(inline.accept("word"), "a suggestion to accept")
    H.eq("    return order.total", vim.api.nvim_get_current_line(), "the line")
    H.eq({ 5, 22 }, vim.api.nvim_win_get_cursor(0), "the cursor")
    H.eq({ row = 4, col = 22, text = "()" }, ghost(), "the rest")
  end },
  { "accepting the rest completes the line and clears the ghost text", function()
    H.truthy(inline.accept("all"), "the rest to accept")
    H.eq("    return order.total()", vim.api.nvim_get_current_line(), "the line")
    H.eq(nil, ghost(), "the ghost text after accepting")
    H.eq(false, inline.accept("all"), "nothing left to accept")
  end },
  { "moving away dismisses a suggestion", function()
    suggest_after("    return order.")
    vim.api.nvim_win_set_cursor(0, { 1, 0 })
    vim.api.nvim_exec_autocmds("CursorMovedI", { buffer = 0 })
    H.eq(nil, ghost(), "the ghost text after moving")
  end },
})
