-- Move symbol in the editor: on a top-level `def`, the refactor menu
-- (`refactor.move`) offers "Move `total` to new module total.py"; applied
-- through vim.lsp's code action, it runs the command `pyloom.moveSymbol`,
-- whose one workspace edit creates the module and rewrites the old one and
-- its importer. A method is offered disabled, with the reason.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'shop'\n",
  ["shop.py"] = "import math\n\n\ndef total(items):\n    return math.fsum(items)\n\n\nclass Cart:\n    def add(self, item):\n        return item\n",
  ["app.py"] = "from shop import Cart, total\n\nprint(total([1.5]), Cart())\n",
})

local progress = H.track_progress()

require("pyloom").setup({})

H.run({
  { "a top-level function moves to a new module through vim.lsp's code action and the command", function()
    vim.cmd.edit(root .. "/shop.py")
    H.client()
    H.indexed(progress)
    vim.lsp.buf.code_action({
      context = { only = { "refactor.move" }, diagnostics = {} },
      range = { start = { 4, 5 }, ["end"] = { 4, 5 } },
      filter = function(action)
        return action.title == "Move `total` to new module total.py"
      end,
      apply = true,
    })
    H.wait("the new module", function()
      return H.text_of(root .. "/total.py") == "import math\n\n\ndef total(items):\n    return math.fsum(items)\n"
    end)
    H.wait("the old module without it", function()
      return H.text_of(root .. "/shop.py") == "class Cart:\n    def add(self, item):\n        return item\n"
    end)
    H.wait("the importer split", function()
      return H.text_of(root .. "/app.py") == "from shop import Cart\nfrom total import total\n\nprint(total([1.5]), Cart())\n"
    end)
  end },
  { "a method is offered disabled, with the reason", function()
    local action = H.first_action("refactor.move", { start = { line = 1, character = 9 }, ["end"] = { line = 1, character = 9 } })
    H.eq("`add` is defined inside another definition; only top-level functions and classes move", action.disabled and action.disabled.reason, "reason")
  end },
})
