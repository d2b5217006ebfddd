-- Lint quick fixes through Neovim's own code-action UI: the server's
-- diagnostics carry the fixes, `vim.lsp.buf.code_action()` lists them in a
-- selection menu (vim.ui.select, answered here as a user would pick), and
-- `apply = true` with a filter applies the one preferred fix without a menu.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'fixes'\n",
  ["app.py"] = "import json\nimport os\nimport sys\n\n\ndef main():\n    return sys.argv\n",
})

require("pyloom").setup({})

--- pyloom's diagnostics in the current buffer, sorted by line.
local function findings()
  local list = vim.tbl_filter(function(d)
    return d.source == "pyloom"
  end, vim.diagnostic.get(0))
  table.sort(list, function(a, b)
    return a.lnum < b.lnum
  end)
  return list
end

--- The current diagnostics as `line:col code message` (1-based line).
local function rendered()
  return vim.tbl_map(function(d)
    return string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, d.code, d.message)
  end, findings())
end

local function mentions(name)
  return function(d)
    return d.message:find("`" .. name .. "`", 1, true) ~= nil
  end
end

H.run({
  { "unused imports are shown as diagnostics with their rule", function()
    vim.cmd.edit(root .. "/app.py")
    H.client()
    H.wait("two unused-import diagnostics", function()
      return #findings() == 2
    end)
    H.eq({ "1:8 F401 `json` imported but unused", "2:8 F401 `os` imported but unused" }, rendered(), "diagnostics")
  end },
  { "code_action() offers the fix, the noqa suppression and fix-all in a menu; the chosen fix applies", function()
    vim.api.nvim_win_set_cursor(0, { 2, 7 })
    local offered
    local select = vim.ui.select
    vim.ui.select = function(items, opts, on_choice)
      offered = {}
      for _, item in ipairs(items) do
        table.insert(offered, (opts.format_item(item)))
      end
      -- The user picks the fix for `os`.
      for i, item in ipairs(items) do
        if item.action.title == "Remove unused import: `os`" then
          on_choice(item, i)
          return
        end
      end
      on_choice(nil, nil)
    end
    vim.lsp.buf.code_action()
    H.wait("the code-action menu", function()
      return offered
    end)
    vim.ui.select = select
    H.eq({
      "Remove unused import: `os`",
      "Suppress F401 with `# noqa: F401`",
      "pyloom: fix all safely fixable problems",
    }, offered, "the menu")
    H.wait("the import to be removed", function()
      return vim.api.nvim_buf_get_lines(0, 1, 2, false)[1] == "import sys"
    end)
    H.eq("import json\nimport sys\n\n\ndef main():\n    return sys.argv\n", H.buffer_text(), "buffer after the fix")
  end },
  { "the fixed diagnostic disappears and the other one stays", function()
    -- The `os` diagnostic goes only when the server publishes again, for
    -- the edited text; what remains is then that publication.
    H.wait("the diagnostics of the fixed text", function()
      return #findings() > 0 and not vim.iter(findings()):any(mentions("os"))
    end)
    H.eq({ "1:8 F401 `json` imported but unused" }, rendered(), "diagnostics after the fix")
  end },
  { "code_action({ filter = preferred, apply = true }) applies the one preferred fix without a menu", function()
    vim.api.nvim_win_set_cursor(0, { 1, 7 })
    local select = vim.ui.select
    local menus = 0
    vim.ui.select = function(_, _, on_choice)
      menus = menus + 1
      on_choice(nil, nil)
    end
    vim.lsp.buf.code_action({
      filter = function(action)
        return action.isPreferred == true
      end,
      apply = true,
    })
    H.wait("the import to be removed", function()
      return vim.api.nvim_buf_get_lines(0, 0, 1, false)[1] == "import sys"
    end)
    vim.ui.select = select
    H.eq(0, menus, "menus shown")
    H.eq("import sys\n\n\ndef main():\n    return sys.argv\n", H.buffer_text(), "buffer after the fix")
    H.wait("the diagnostics to clear", function()
      return #findings() == 0
    end)
    H.wait("the server's copy to match the buffer", function()
      return H.server_text(H.client()) == H.buffer_text()
    end)
  end },
})
