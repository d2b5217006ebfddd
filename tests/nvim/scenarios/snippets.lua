-- `:PyloomTest`, the one keystroke: runs the doctests of the function at
-- the cursor in the server's WASI sandbox (the real interpreter, installed
-- by `pyloom sandbox install`), shows the run through LSP progress, the
-- failure as a diagnostic at the failing example, and each test as a sign.
local H = require("harness")

local root = H.project({
  ["pyproject.toml"] = "[project]\nname = 'snippets'\n",
  ["calc.py"] = table.concat({
    "def add(a, b):", --  1
    '    """Adds.', --  2
    "", --  3
    "    >>> add(1, 2)", --  4
    "    3", --  5
    '    """', --  6
    "    return a + b", --  7
    "", --  8
    "", --  9
    "def halve(n):", -- 10
    '    """Halves, rounding down.', -- 11
    "", -- 12
    "    >>> halve(4)", -- 13
    "    2", -- 14
    "    >>> halve(3)", -- 15
    "    1.5", -- 16
    '    """', -- 17
    "    return n // 2", -- 18
    "",
  }, "\n"),
})

-- Snippet-run progress, by token: the begin's title and the end's message.
local runs = {}
vim.api.nvim_create_autocmd("LspProgress", {
  callback = function(args)
    local token, value = args.data.params.token, args.data.params.value
    if value.kind == "begin" and value.title == "Running snippet tests" then
      runs[#runs + 1] = { token = token }
    end
    for _, run in ipairs(runs) do
      if run.token == token and value.kind == "end" then
        run.ended = value.message
      end
    end
  end,
})

require("pyloom").setup({})

--- The snippet-test diagnostics as `line message` (1-based line).
local function failures()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == "pyloom-test" then
      table.insert(list, string.format("%d %s %s", d.lnum + 1, d.code, d.message))
    end
  end
  table.sort(list)
  return list
end

--- The test signs as `{ line (1-based), text }`.
local function signs()
  local list = {}
  local ns = vim.api.nvim_create_namespace("pyloom.tests")
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })) do
    table.insert(list, { mark[2] + 1, vim.trim(mark[4].sign_text) })
  end
  return list
end

--- Runs :PyloomTest with the cursor on `line` and waits for the run to end
--- (its progress ends and the plugin reports the counts); returns the
--- progress end message and the report.
local function test_at(line)
  local before_runs, before_notes = #runs, #H.notifications
  vim.api.nvim_win_set_cursor(0, { line, 4 })
  vim.cmd("PyloomTest")
  -- The first run loads the compiled interpreter: a generous bound.
  local run = H.wait("the snippet run's progress to end", function()
    local run = runs[before_runs + 1]
    return run and run.ended and run
  end, 120000)
  local note = H.wait("the plugin to report the results", function()
    local n = H.notifications[before_notes + 1]
    return n and n.msg
  end)
  return run.ended, note
end

H.run({
  { ":PyloomTest on a passing doctest reports it passed, with a ✓ sign and no diagnostic", function()
    vim.cmd.edit(root .. "/calc.py")
    H.client()
    local ended, note = test_at(4)
    H.eq("1/1 passed", ended, "progress end")
    H.eq("pyloom: 1 passed, 0 failed", note, "report")
    H.eq({ { 1, "✓" } }, signs(), "signs")
    H.eq({}, failures(), "test diagnostics")
  end },
  { ":PyloomTest on a failing doctest marks the failing example with a diagnostic and a ✗ sign", function()
    local ended, note = test_at(16)
    H.eq("0/1 passed", ended, "progress end")
    H.eq("pyloom: 0 passed, 1 failed", note, "report")
    H.eq({ { 10, "✗" } }, signs(), "signs")
    local failed = H.wait("the failure diagnostic", function()
      return failures()[1] and failures()
    end)
    H.eq({
      table.concat({
        "15 snippet-failed halve failed: Failed example:",
        "    halve(3)",
        "Expected:",
        "    1.5",
        "Got:",
        "    1",
      }, "\n"),
    }, vim.tbl_map(vim.trim, failed), "test diagnostics")
    local diagnostic = vim.iter(vim.diagnostic.get(0)):find(function(d)
      return d.source == "pyloom-test"
    end)
    H.eq(vim.diagnostic.severity.ERROR, diagnostic.severity, "severity")
  end },
  { "after the fix, :PyloomTest again clears the diagnostic and marks the test passed", function()
    vim.api.nvim_buf_set_lines(0, 15, 16, false, { "    1" })
    local ended, note = test_at(13)
    H.eq("1/1 passed", ended, "progress end")
    H.eq("pyloom: 1 passed, 0 failed", note, "report")
    H.eq({ { 10, "✓" } }, signs(), "signs")
    H.wait("the failure diagnostic to clear", function()
      return #failures() == 0
    end)
  end },
})
