-- Renaming a module from Neovim: `:PyloomRenameFile` with a path relative
-- to the working directory (here a module moved into a package) asks the server's `workspace/willRenameFiles`,
-- applies the importers' edits to their buffers and renames the file and
-- its buffer. Where an import cannot be updated exactly (a module named in
-- a formatted string) the server says why, no buffer is edited, and the
-- file is still renamed, as an editor's explorer would. A module moved into
-- a new folder of a regular package gets the folder's `__init__.py` from
-- the edit's `CreateFile`, which Neovim applies.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'shop'\n",
  ["shop/__init__.py"] = "",
  ["cart.py"] = "def total(items):\n    return sum(items)\n",
  ["shop/tax.py"] = "RATE = 0.2\n",
  ["app.py"] = "from cart import total\n\nprint(total([1]))\n",
  ["lib/__init__.py"] = "",
  ["lib/util.py"] = "def f():\n    return 1\n",
  ["main.py"] = "from lib.util import f\n\nprint(f())\n",
  ["plugins.py"] = "import importlib\n\n\ndef load(name):\n    return importlib.import_module(f\"shop.{name}\")\n\n\nload(\"tax\")\n",
})

local progress = H.track_progress()

require("pyloom").setup({})

H.run({
  { "a module renamed by a relative path takes its importers along", function()
    vim.cmd.cd(vim.fn.fnameescape(root))
    vim.cmd.edit("cart.py")
    H.client()
    H.indexed(progress)
    vim.cmd("PyloomRenameFile shop/basket.py")
    H.wait("the importer's buffer updated", function()
      return H.text_of(root .. "/app.py") == "from shop.basket import total\n\nprint(total([1]))\n"
    end)
    H.wait("the file moved", function()
      return vim.uv.fs_stat(root .. "/shop/basket.py") ~= nil and vim.uv.fs_stat(root .. "/cart.py") == nil
    end)
    H.eq(root .. "/shop/basket.py", vim.api.nvim_buf_get_name(0), "the buffer follows its file")
  end },
  { "a module moved into a new folder of a regular package creates its __init__.py in the same edit", function()
    vim.cmd("PyloomRenameFile lib/util.py lib/deep/util.py")
    H.wait("the importer's buffer updated", function()
      return H.text_of(root .. "/main.py") == "from lib.deep.util import f\n\nprint(f())\n"
    end)
    H.wait("the file moved", function()
      return vim.uv.fs_stat(root .. "/lib/deep/util.py") ~= nil
    end)
    H.truthy(vim.uv.fs_stat(root .. "/lib/deep/__init__.py"), "the new folder is a regular package")
  end },
  { "a module a formatted string may name is renamed with the reason and no edit", function()
    local before = #H.notifications
    vim.cmd("PyloomRenameFile shop/tax.py shop/vat.py")
    H.wait("the file moved", function()
      return vim.uv.fs_stat(root .. "/shop/vat.py") ~= nil
    end)
    local note = H.wait("the server's reason", function()
      for i = before + 1, #H.notifications do
        if H.notifications[i].msg:find("did not update the imports", 1, true) then
          return H.notifications[i].msg
        end
      end
    end)
    H.truthy(note:find("built at run time", 1, true) and note:find("plugins.py:5", 1, true), "the reason names the built import: " .. note)
    H.eq(nil, H.text_of(root .. "/plugins.py"), "no buffer opened for an edit")
  end },
  { "a target that exists is refused before anything moves", function()
    local before = #H.notifications
    vim.cmd("PyloomRenameFile shop/basket.py app.py")
    H.eq("pyloom: " .. root .. "/app.py already exists", H.notifications[before + 1].msg)
    H.truthy(vim.uv.fs_stat(root .. "/shop/basket.py"), "the file stays")
  end },
})
