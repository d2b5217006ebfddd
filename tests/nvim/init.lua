-- Minimal init for the headless editor tests: the plugin from the repo, no
-- user config, no swap or shada files. The driver (tests/tests/nvim.rs) sets
-- PYLOOM_REPO, PYLOOM_BIN, PYLOOM_TEST_DIR and PYLOOM_SCENARIO.
local repo = assert(os.getenv("PYLOOM_REPO"), "PYLOOM_REPO is not set")
vim.opt.runtimepath:prepend(repo .. "/editors/neovim")
vim.opt.runtimepath:prepend(repo .. "/tests/nvim")
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"
vim.g.mapleader = " "

--- Ends Neovim with a failure the driver reports (nvim would otherwise
--- keep running headless after an error outside the scenario's steps).
local function abort(message)
  local f = io.open(os.getenv("PYLOOM_TEST_DIR") .. "/transcript", "a")
  if f then
    f:write("ABORTED ", message, "\n")
    f:close()
  end
  vim.cmd("cquit 2")
end

-- A watchdog, far above any step's own timeout.
vim.defer_fn(function()
  abort("the scenario did not finish within 5 minutes")
end, 300000)

-- The scenario runs once startup is over, as a user's commands would.
vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = vim.schedule_wrap(function()
    local ok, err = xpcall(dofile, debug.traceback, repo .. "/tests/nvim/scenarios/" .. os.getenv("PYLOOM_SCENARIO") .. ".lua")
    if not ok then
      abort(tostring(err))
    end
  end),
})
