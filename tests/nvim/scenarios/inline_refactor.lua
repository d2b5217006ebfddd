-- Inline variable and inline function in the editor: the cursor on a
-- variable's read, the refactor menu's `refactor.inline` action applied
-- through vim.lsp's code action; a call read twice (it would run twice)
-- is offered disabled, with the reason; then, in another buffer, a call
-- of the function just edited is inlined, its import going with it.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'tax'\n",
  ["main.py"] = "from tax import total\n\nprint(total([1, 2], 0.5))\n",
  ["tax.py"] = "def total(items, rate):\n    taxed = sum(items) * rate\n    return round(taxed, 2)\n\n\ndef drain(q):\n    item = q.pop()\n    return item, item\n",
})

local progress = H.track_progress()

require("pyloom").setup({})

H.run({
  { "a variable at the cursor is inlined through vim.lsp's code action", function()
    vim.cmd.edit(root .. "/tax.py")
    H.client()
    H.indexed(progress)
    -- The cursor on `taxed` in `return round(taxed, 2)`.
    vim.api.nvim_win_set_cursor(0, { 3, 19 })
    H.apply_action("refactor.inline", "Inline `taxed` (1 read)")
    H.wait("the variable to be inlined", function()
      return H.buffer_text():find("def total(items, rate):\n    return round(sum(items) * rate, 2)\n", 1, true) ~= nil
    end)
  end },
  { "a call read twice is offered disabled, with the reason", function()
    -- Line 6 now: the inlining above removed one, once the server has it.
    local range = { start = { line = 5, character = 5 }, ["end"] = { line = 5, character = 5 } }
    local action = H.first_action("refactor.inline", range)
    H.truthy(action, "an action for `item`")
    H.eq("`item` is read 2 times: `q.pop()` would run 2 times instead of once", action.disabled and action.disabled.reason, "reason")
  end },
  { "a call is inlined with the body as the other buffer has it", function()
    vim.cmd.edit(root .. "/main.py")
    local client = H.client()
    H.wait("the server to have the buffer", function()
      return H.server_text(client) == H.buffer_text()
    end)
    vim.api.nvim_win_set_cursor(0, { 3, 7 })
    H.apply_action("refactor.inline", "Inline this call of `total`")
    H.wait("the call to be inlined", function()
      return H.buffer_text() == "\nprint(round(sum([1, 2]) * 0.5, 2))\n"
    end)
  end },
})
