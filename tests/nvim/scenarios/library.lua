-- Installed packages through Neovim's LSP client: a real virtualenv in the
-- project (`python3 -m venv`) with a typed package, named in pyproject's
-- `[tool.pyloom.index]`. Hover in a float, completion after a dot, and
-- signature help on library code.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'library'\n\n[tool.pyloom.index]\nvenv = '.venv'\n",
  ["app.py"] = "import acme\n\nclient = acme.Client('b')\ndata = acme.fetch('u')\n",
})
vim.fn.system({ "python3", "-m", "venv", "--without-pip", root .. "/.venv" })
H.eq(0, vim.v.shell_error, "python3 -m venv's exit code")
local site = H.truthy(vim.fn.glob(root .. "/.venv/lib/python3*/site-packages", false, true)[1], "the venv's site-packages")
local files = {
  ["acme/__init__.py"] = "from .api import Client, fetch\n",
  ["acme/py.typed"] = "",
  ["acme/api.py"] = 'class Client:\n    def __init__(self, base: str) -> None:\n        self.base = base\n\n    def send(self, path: str) -> bytes:\n        """Sends a request."""\n        return b""\n\n\ndef fetch(url: str, *, timeout: float = 10.0) -> bytes:\n    """Fetches a URL from acme."""\n    return b""\n',
  ["acme-1.2.0.dist-info/METADATA"] = "Metadata-Version: 2.1\nName: acme\nVersion: 1.2.0\n",
}
for path, text in pairs(files) do
  vim.fn.mkdir(vim.fs.dirname(site .. "/" .. path), "p")
  local f = assert(io.open(site .. "/" .. path, "w"))
  f:write(text)
  f:close()
end

local progress = H.track_progress()
require("pyloom").setup({})

local function float_text()
  local float = H.wait("a float", H.float)
  local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), "\n")
  vim.api.nvim_win_close(float, true)
  return text
end

H.run({
  { "the buffer attaches and the workspace is indexed", function()
    vim.cmd.edit(root .. "/app.py")
    H.client()
    H.indexed(progress)
  end },
  { "hover on a library function shows its signature, docstring and distribution", function()
    vim.api.nvim_win_set_cursor(0, { 4, 13 })
    vim.lsp.buf.hover()
    local text = float_text()
    H.truthy(text:find("def fetch(url: str, *, timeout: float = 10.0) -> bytes", 1, true), "the signature in:\n" .. text)
    H.truthy(text:find("Fetches a URL from acme.", 1, true), "the docstring in:\n" .. text)
    H.truthy(text:find("acme` 1.2.0", 1, true), "the distribution in:\n" .. text)
  end },
  { "completion after a dot offers the library instance's members", function()
    vim.api.nvim_buf_set_lines(0, 4, 5, false, { "client." })
    local client = H.client()
    H.wait("the server's copy of the edit", function()
      return H.server_text(client) == H.buffer_text()
    end)
    local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 4, character = 7 } }
    local response = H.truthy(client:request_sync("textDocument/completion", params, H.timeout, 0), "a completion answer")
    local labels = vim.tbl_map(function(i)
      return i.label
    end, response.result.items or response.result)
    H.truthy(vim.tbl_contains(labels, "send") and vim.tbl_contains(labels, "base"), "send and base among " .. vim.inspect(labels))
  end },
  { "signature help in a library call shows the installed signature", function()
    vim.api.nvim_buf_set_lines(0, 4, 5, false, { "acme.fetch('x', )" })
    vim.api.nvim_win_set_cursor(0, { 5, 16 })
    vim.lsp.buf.signature_help()
    local text = float_text()
    H.truthy(text:find("fetch(url: str, *, timeout: float = 10.0) -> bytes", 1, true), "the signature in:\n" .. text)
  end },
  { ":checkhealth pyloom says which Python environment is read", function()
    vim.cmd("checkhealth pyloom")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    H.truthy(text:find("pyloom: Python environment", 1, true), "the section in:\n" .. text)
    H.truthy(text:find("found by the `index.venv` setting", 1, true), "the environment in:\n" .. text)
    vim.cmd("bwipeout")
  end },
})
