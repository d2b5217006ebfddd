-- LLM code actions in the editor, against a scripted OpenAI-compatible
-- provider on 127.0.0.1 that the driver (tests/tests/nvim.rs) starts and
-- names in PYLOOM_LLM_URL. The server asks the provider, checks the code,
-- and edits the buffer with a `workspace/applyEdit` request, which Neovim's
-- built-in handler applies; explanations open in a floating window.
local H = require("harness")

local url = assert(os.getenv("PYLOOM_LLM_URL"), "PYLOOM_LLM_URL is not set")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'llm'\n",
  ["calc.py"] = 'def add(a, b):\n    """Return the sum of a and b."""\n    ...\n\n\ntotal = add(1, 2)\n',
  ["main.py"] = "from calc import add\n\nprint(add(2, 3))\n",
})

require("pyloom").setup({
  settings = {
    llm = { provider = "openai", model = "scripted", base_url = url, max_retries = 0, cache = { enabled = false } },
  },
})

-- Every workspace/applyEdit the server sends, passed on to Neovim's own
-- handler (the one a user's editor runs).
local applied = {}
local apply_edit = vim.lsp.handlers["workspace/applyEdit"]
vim.lsp.handlers["workspace/applyEdit"] = function(err, params, ctx, config)
  table.insert(applied, params)
  return apply_edit(err, params, ctx, config)
end

-- The LLM round trips get a generous bound: context, the model, the checks.
local llm_timeout = 60000

--- Runs `command` with `vim.ui.input` answering `answer`, as a user typing
--- it would; returns the prompts shown.
local function answering(answer, command)
  local input = vim.ui.input
  local prompts = {}
  vim.ui.input = function(opts, on_confirm)
    table.insert(prompts, opts.prompt)
    on_confirm(answer)
  end
  local ok, err = pcall(vim.cmd, command)
  vim.ui.input = input
  assert(ok, err)
  return prompts
end

--- Waits until the function's body (line 3) reads `body`, then checks the
--- whole buffer and how many edits the server has sent.
local function expect_body(what, body, edits)
  H.wait(what, function()
    return vim.api.nvim_buf_get_lines(0, 2, 3, false)[1] == body
  end, llm_timeout)
  H.eq('def add(a, b):\n    """Return the sum of a and b."""\n' .. body .. "\n\n\ntotal = add(1, 2)\n", H.buffer_text(), "buffer")
  H.eq(edits, #applied, "workspace/applyEdit requests")
end

local client
H.run({
  { "the server provides the LLM commands the plugin calls", function()
    vim.cmd.edit(root .. "/calc.py")
    client = H.client()
    local pyloom = require("pyloom")
    for _, command in ipairs({ "pyloom.implement", "pyloom.refactor", "pyloom.adjust", "pyloom.explain" }) do
      H.truthy(pyloom.provides(client, command), "the server provides " .. command)
    end
  end },
  { ":PyloomImplement fills in the stub at the cursor through workspace/applyEdit", function()
    vim.api.nvim_win_set_cursor(0, { 1, 4 })
    vim.cmd("PyloomImplement")
    expect_body("the implementation in the buffer", "    return a + b", 1)
    H.wait("the server's copy to match the buffer", function()
      return H.server_text(client) == H.buffer_text()
    end)
  end },
  { ":PyloomRefactor asks for the instruction and rewrites the selected lines", function()
    vim.cmd("normal! 3GV\27")
    H.eq({ "Refactor: " }, answering("use sum() over a list", "'<,'>PyloomRefactor"), "prompts")
    expect_body("the refactored line in the buffer", "    return sum([a, b])", 2)
  end },
  { ":PyloomAdjust asks for the instruction and reworks the last generated edit", function()
    H.eq({ "Adjust: " }, answering("use a tuple instead", "PyloomAdjust"), "prompts")
    expect_body("the adjusted line in the buffer", "    return sum((a, b))", 3)
  end },
  { ":PyloomExplain shows the explanation's markdown in a floating window", function()
    vim.api.nvim_win_set_cursor(0, { 1, 4 })
    vim.cmd("PyloomExplain")
    local float = H.wait("the explanation window", H.float, llm_timeout)
    local buf = vim.api.nvim_win_get_buf(float)
    local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
    H.truthy(text:find("`add` returns the sum of its two arguments.", 1, true), "the explanation in:\n" .. text)
    H.eq("markdown", vim.bo[buf].filetype, "float filetype")
    vim.api.nvim_win_close(float, true)
    H.eq(3, #applied, "workspace/applyEdit requests (explaining edits nothing)")
  end },
  { ":PyloomRefactor \"rename it to plus\" renames the function and every caller in one annotated edit", function()
    vim.cmd("normal! 1GV3G\27")
    answering("rename it to plus", "'<,'>PyloomRefactor")
    H.wait("the renamed function in the buffer", function()
      return vim.api.nvim_buf_get_lines(0, 0, 1, false)[1] == "def plus(a, b):"
    end, llm_timeout)
    H.eq('def plus(a, b):\n    """Return the sum of a and b."""\n    return sum((a, b))\n\n\ntotal = plus(1, 2)\n', H.buffer_text(), "calc.py")
    H.eq(4, #applied, "one workspace/applyEdit for the rename")
    H.eq(true, applied[4].edit.changeAnnotations["pyloom.changes"].needsConfirmation, "the rename asks for confirmation")
    local main = table.concat(vim.api.nvim_buf_get_lines(vim.fn.bufnr(root .. "/main.py"), 0, -1, false), "\n")
    H.eq("from calc import plus\n\nprint(plus(2, 3))", main, "main.py, loaded by the edit")
  end },
})
