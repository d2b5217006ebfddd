-- Ghost-text (inline) completion from the server's
-- `textDocument/inlineCompletion`. Neovim 0.12+ shows it with its own
-- `vim.lsp.inline_completion`; on 0.10 and 0.11 this file does: after a
-- pause in typing it asks the server, shows the first suggestion as virtual
-- text at the cursor, and accepts it whole, by word or by line. Moving away,
-- leaving insert mode or typing something else dismisses it.

local M = {}

M.defaults = {
  enabled = true,
  -- "auto": Neovim's own inline completion where it exists (0.12+), this
  -- file's otherwise; "plugin": always this file's (it has accept word and
  -- accept line); "builtin": only Neovim's.
  ui = "auto",
  -- Pause in typing before asking, in milliseconds (the server waits for
  -- its own debounce too).
  debounce_ms = 75,
  -- Insert-mode keys; false drops one. A key with no suggestion shown does
  -- what it did before.
  keys = {
    accept = "<Tab>",
    accept_word = "<M-Right>",
    accept_line = "<M-Down>",
    dismiss = "<C-]>",
  },
}

local ns = vim.api.nvim_create_namespace("pyloom.inline")
vim.api.nvim_set_hl(0, "PyloomGhostText", { link = "Comment", default = true })

local options = vim.deepcopy(M.defaults)

--- Per buffer: the debounce timer, the request in flight, and the
--- suggestion shown ({ text, row, col } with 0-based row and byte col, the
--- text still to insert at that position).
local buffers = {}

local function state(bufnr)
  buffers[bufnr] = buffers[bufnr] or {}
  return buffers[bufnr]
end

local function call(client, method, ...)
  return require("pyloom").call(client, method, ...)
end

--- Whether Neovim's own inline completion is used.
function M.builtin()
  local has = vim.lsp.inline_completion ~= nil and vim.fn.has("nvim-0.12") == 1
  return options.ui == "builtin" or (options.ui == "auto" and has)
end

local function client_of(bufnr)
  for _, client in ipairs(require("pyloom").clients(bufnr)) do
    if (client.server_capabilities or {}).inlineCompletionProvider then
      return client
    end
  end
end

--- The shown suggestion of the current buffer, if any.
function M.current(bufnr)
  return state(bufnr or vim.api.nvim_get_current_buf()).shown
end

--- Removes the suggestion and stops any request for the buffer.
function M.dismiss(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local s = state(bufnr)
  if s.timer then
    s.timer:stop()
  end
  if s.request then
    local client = vim.lsp.get_client_by_id(s.request.client_id)
    if client then
      call(client, "cancel_request", s.request.id)
    end
    s.request = nil
  end
  s.shown = nil
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  end
  vim.b[bufnr].pyloom_inline = nil
end

local function show(bufnr, text, row, col)
  vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  local s = state(bufnr)
  if text == "" then
    s.shown = nil
    return
  end
  s.shown = { text = text, row = row, col = col }
  local lines = vim.split(text, "\n", { plain = true })
  local extmark = { virt_text = { { lines[1], "PyloomGhostText" } }, virt_text_pos = "inline", hl_mode = "combine" }
  if #lines > 1 then
    extmark.virt_lines = vim.tbl_map(function(line)
      return { { line, "PyloomGhostText" } }
    end, vim.list_slice(lines, 2))
  end
  vim.api.nvim_buf_set_extmark(bufnr, ns, row, col, extmark)
end

--- The byte column of an LSP position on its line.
local function byte_col(bufnr, position, encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1] or ""
  if encoding == "utf-8" then
    return math.min(position.character, #line)
  end
  local ok, col
  if vim.fn.has("nvim-0.11") == 1 then
    ok, col = pcall(vim.str_byteindex, line, encoding, position.character, false)
  else
    ok, col = pcall(vim.str_byteindex, line, position.character, encoding == "utf-16")
  end
  return ok and col or #line
end

--- The part of `item` still to insert at the cursor (row, col): the item
--- replaces its range (or inserts at the cursor); what the range covers
--- before the cursor must already be typed as the text's start.
local function remainder(bufnr, item, row, col, encoding)
  local text = type(item.insertText) == "table" and item.insertText.value or item.insertText
  if type(text) ~= "string" then
    return nil
  end
  if type(item.range) == "table" then
    local start = item.range.start
    if start.line ~= row then
      return nil
    end
    local start_col = byte_col(bufnr, start, encoding)
    local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ""
    local typed = line:sub(start_col + 1, col)
    if text:sub(1, #typed) ~= typed then
      return nil
    end
    text = text:sub(#typed + 1)
  end
  return text
end

--- Asks the server for a suggestion at the cursor now. `invoked`: the user
--- asked (otherwise it was typing).
function M.request(invoked)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_of(bufnr)
  if not client then
    return
  end
  M.dismiss(bufnr)
  local s = state(bufnr)
  local cursor = vim.api.nvim_win_get_cursor(0)
  local row, col = cursor[1] - 1, cursor[2]
  local tick = vim.b[bufnr].changedtick
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding or "utf-16")
  params.context = { triggerKind = invoked and 1 or 2 }
  vim.b[bufnr].pyloom_inline = "waiting"
  local ok, id = call(client, "request", "textDocument/inlineCompletion", params, function(err, result, ctx)
    if s.request and s.request.id == ctx.request_id then
      s.request = nil
    end
    vim.b[bufnr].pyloom_inline = nil
    local now = vim.api.nvim_get_current_buf() == bufnr and vim.api.nvim_win_get_cursor(0)
    -- Only an answer for the text and place it was asked about is shown.
    if err or not now or vim.b[bufnr].changedtick ~= tick or now[1] - 1 ~= row or now[2] ~= col then
      return
    end
    local items = type(result) == "table" and (result.items or result) or {}
    for _, item in ipairs(items) do
      local text = remainder(bufnr, item, row, col, client.offset_encoding or "utf-16")
      if text and text ~= "" then
        show(bufnr, text, row, col)
        return
      end
    end
  end, bufnr)
  if ok then
    s.request = { client_id = client.id, id = id }
  end
end

--- The first word of `text` with the spaces before it (or one run of
--- punctuation, or a line break).
local function first_word(text)
  return text:match("^\n") or text:match("^%s*[%w_]+") or text:match("^%s*[^%w_%s]+") or text:match("^%s+") or text
end

--- `text` up to and including its first line break; a leading line break
--- goes with the next line.
local function first_line(text)
  local lead = text:match("^\n") or ""
  local rest = text:sub(#lead + 1)
  local line = rest:match("^[^\n]*\n") or rest
  return lead .. line
end

--- Inserts the shown suggestion, or a part: "all", "word" or "line".
--- Returns false when nothing is shown.
function M.accept(part)
  local bufnr = vim.api.nvim_get_current_buf()
  local shown = M.current(bufnr)
  if not shown then
    return false
  end
  local text = shown.text
  local take = part == "word" and first_word(text) or part == "line" and first_line(text) or text
  local lines = vim.split(take, "\n", { plain = true })
  vim.api.nvim_buf_set_text(bufnr, shown.row, shown.col, shown.row, shown.col, lines)
  local row = shown.row + #lines - 1
  local col = (#lines == 1 and shown.col or 0) + #lines[#lines]
  M.dismiss(bufnr)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  -- The rest stays shown until the user types something else.
  local rest = text:sub(#take + 1)
  show(bufnr, rest, row, col)
  state(bufnr).accepted_tick = vim.b[bufnr].changedtick
  return true
end

local function on_text_changed(bufnr)
  local s = state(bufnr)
  if s.accepted_tick == vim.b[bufnr].changedtick then
    return -- our own insertion of an accepted part
  end
  M.dismiss(bufnr)
  s.timer = s.timer or vim.uv.new_timer()
  s.timer:start(options.debounce_ms, 0, vim.schedule_wrap(function()
    if vim.api.nvim_get_current_buf() == bufnr and vim.fn.mode():sub(1, 1) == "i" then
      M.request(false)
    end
  end))
end

local function on_cursor_moved(bufnr)
  local shown = M.current(bufnr)
  local cursor = vim.api.nvim_win_get_cursor(0)
  if shown and (cursor[1] - 1 ~= shown.row or cursor[2] ~= shown.col) then
    M.dismiss(bufnr)
  end
end

--- A mapping that accepts when a suggestion is shown and otherwise types
--- its key as before.
local function map(bufnr, lhs, action)
  if not lhs then
    return
  end
  vim.keymap.set("i", lhs, function()
    if not action() then
      vim.api.nvim_feedkeys(vim.keycode(lhs), "n", false)
    end
  end, { buffer = bufnr, desc = "pyloom: inline completion" })
end

--- Turns inline completion on for a buffer the server is attached to.
function M.attach(bufnr, client)
  if not options.enabled or not (client.server_capabilities or {}).inlineCompletionProvider then
    return
  end
  if M.builtin() then
    vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
    if options.keys.accept then
      vim.keymap.set("i", options.keys.accept, function()
        if not vim.lsp.inline_completion.get() then
          vim.api.nvim_feedkeys(vim.keycode(options.keys.accept), "n", false)
        end
      end, { buffer = bufnr, desc = "pyloom: accept the inline completion" })
    end
    return
  end
  if state(bufnr).attached then
    return
  end
  state(bufnr).attached = true
  local group = vim.api.nvim_create_augroup("pyloom.inline." .. bufnr, { clear = true })
  local function on(events, fn)
    vim.api.nvim_create_autocmd(events, { group = group, buffer = bufnr, callback = function()
      fn(bufnr)
    end })
  end
  on("TextChangedI", on_text_changed)
  on("CursorMovedI", on_cursor_moved)
  on({ "InsertLeave", "BufLeave" }, M.dismiss)
  on("BufUnload", function()
    M.dismiss(bufnr)
    if buffers[bufnr] and buffers[bufnr].timer then
      buffers[bufnr].timer:close()
    end
    buffers[bufnr] = nil
  end)
  local keys = options.keys
  map(bufnr, keys.accept, function()
    return M.accept("all")
  end)
  map(bufnr, keys.accept_word, function()
    return M.accept("word")
  end)
  map(bufnr, keys.accept_line, function()
    return M.accept("line")
  end)
  map(bufnr, keys.dismiss, function()
    local shown = M.current(bufnr) ~= nil
    M.dismiss(bufnr)
    return shown
  end)
end

function M.setup(opts)
  options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
end

return M
