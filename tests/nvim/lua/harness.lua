-- A tiny test harness for scenarios run in headless Neovim. A scenario is a
-- list of named steps; each step either returns or raises. The transcript
-- (one line per step) goes to $PYLOOM_TEST_DIR/transcript, which the Rust
-- driver compares with its expectation. Waiting is always for a condition,
-- bounded by a timeout, never a bare sleep.

local H = {}

H.dir = assert(os.getenv("PYLOOM_TEST_DIR"), "PYLOOM_TEST_DIR is not set")
H.repo = assert(os.getenv("PYLOOM_REPO"), "PYLOOM_REPO is not set")
H.timeout = 30000

local transcript = assert(io.open(H.dir .. "/transcript", "w"))

local function record(line)
  transcript:write(line, "\n")
  transcript:flush()
end

--- Waits until `cond()` is truthy; raises with `what` after the timeout.
function H.wait(what, cond, timeout)
  local value
  local ok = vim.wait(timeout or H.timeout, function()
    value = cond()
    return value
  end, 10)
  if not ok then
    error("timed out waiting for " .. what, 2)
  end
  return value
end

function H.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(string.format("%s: expected %s, got %s", what or "value", vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function H.truthy(value, what)
  if not value then
    error((what or "value") .. " is not true", 2)
  end
  return value
end

--- Writes `files` (path -> text) under $PYLOOM_TEST_DIR/project and
--- returns the project's path.
function H.project(files)
  local root = H.dir .. "/project"
  for path, text in pairs(files) do
    local full = root .. "/" .. path
    vim.fn.mkdir(vim.fs.dirname(full), "p")
    local f = assert(io.open(full, "w"))
    f:write(text)
    f:close()
  end
  return root
end

--- Notifications shown with vim.notify, newest last.
H.notifications = {}
vim.notify = function(msg, level)
  table.insert(H.notifications, { msg = msg, level = level })
end

--- Starts recording every work-done progress value, as Neovim's LspProgress
--- event reports it; returns the list (newest last).
function H.track_progress()
  local values = {}
  vim.api.nvim_create_autocmd("LspProgress", {
    callback = function(args)
      table.insert(values, args.data.params.value)
    end,
  })
  return values
end

--- Waits for the `end` of indexing among recorded progress values; returns it.
function H.indexed(progress)
  return H.wait("indexing to end", function()
    return vim.iter(progress):find(function(value)
      return value.kind == "end"
    end)
  end)
end

--- Waits for the pyloom client of the current buffer.
function H.client()
  local bufnr = vim.api.nvim_get_current_buf()
  return H.wait("pyloom to attach", function()
    for _, client in ipairs(require("pyloom").clients(bufnr)) do
      if client.initialized and not client:is_stopped() then
        return client
      end
    end
  end)
end

--- The server's copy of the current buffer (pyloom/viewFile).
function H.server_text(client)
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) } }
  local response = H.truthy(client:request_sync("pyloom/viewFile", params, H.timeout, 0), "viewFile answer")
  if response.err then
    error("viewFile failed: " .. response.err.message)
  end
  return response.result.text
end

--- Applies the code action of kind `only` titled `title` through
--- vim.lsp's code action, at the cursor or in `range` ((1,0)-indexed, the
--- end inclusive, as a visual selection gives it).
function H.apply_action(only, title, range)
  vim.lsp.buf.code_action({
    context = { only = { only }, diagnostics = {} },
    range = range,
    filter = function(action)
      return action.title == title
    end,
    apply = true,
  })
end

--- The first code action of kind `only` the server offers for `range` (0-based
--- positions) of the current buffer, once the server has the buffer's text.
function H.first_action(only, range)
  local client = H.client()
  H.wait("the server to have the buffer", function()
    return H.server_text(client) == H.buffer_text()
  end)
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, range = range, context = { diagnostics = {}, only = { only } } }
  local answer = client:request_sync("textDocument/codeAction", params, H.timeout, 0)
  return H.truthy(answer and answer.result and answer.result[1], "a " .. only .. " action")
end

--- The first floating window, if any.
function H.float()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      return win
    end
  end
end

--- The text of the buffer holding `path` (loaded by an edit, maybe not
--- saved), without the empty last lines a created buffer keeps; nil
--- while no such buffer is loaded.
function H.text_of(path)
  local buf = vim.fn.bufnr(path)
  if buf == -1 or not vim.api.nvim_buf_is_loaded(buf) then
    return nil
  end
  return (table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n"):gsub("\n+$", "")) .. "\n"
end

function H.buffer_text()
  return table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n") .. "\n"
end

--- Runs the steps in order, records each, and quits: `:qa` after the last
--- step (the driver then checks the servers exited cleanly), `:cquit` on
--- the first failure.
function H.run(steps)
  for _, step in ipairs(steps) do
    local name, fn = step[1], step[2]
    local ok, err = xpcall(fn, debug.traceback)
    if not ok then
      record("FAILED " .. name .. ": " .. tostring(err))
      for _, n in ipairs(H.notifications) do
        record("notified: " .. tostring(n.msg))
      end
      transcript:close()
      vim.cmd("cquit 1")
      return
    end
    record("ok " .. name)
  end
  transcript:close()
  vim.cmd("silent! wall")
  vim.cmd("qa")
end

return H
