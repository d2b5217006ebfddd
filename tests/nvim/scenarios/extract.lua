-- Extract variable in the editor: a selected expression offered in the
-- refactor menu (`refactor.extract`) and applied through vim.lsp's code
-- action; an expression that cannot be extracted safely (a `while` test)
-- is offered disabled, with the reason.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'tax'\n",
  ["tax.py"] = "def total(items, rate):\n    return round(sum(items) * rate, 2)\n\n\ndef drain(q):\n    while q.pop():\n        pass\n",
})

local progress = H.track_progress()

require("pyloom").setup({})

H.run({
  { "a selected expression is extracted through vim.lsp's code action", function()
    vim.cmd.edit(root .. "/tax.py")
    H.client()
    H.indexed(progress)
    H.apply_action("refactor.extract", "Extract `sum(items) * rate` into `value`", { start = { 2, 17 }, ["end"] = { 2, 33 } })
    H.wait("the expression to be extracted", function()
      return H.buffer_text():find("    value = sum(items) * rate\n    return round(value, 2)", 1, true) ~= nil
    end)
  end },
  { "a `while` test is offered disabled, with the reason", function()
    -- Line 7 now: the extraction above added one, once the server has it.
    local action = H.first_action("refactor.extract", { start = { line = 6, character = 10 }, ["end"] = { line = 6, character = 17 } })
    H.eq("it is a `while` test, evaluated at every turn: run before the statement, it could do something else", action.disabled and action.disabled.reason, "reason")
  end },
})
