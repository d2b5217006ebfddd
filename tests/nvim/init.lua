-- Minimal init for the headless editor tests: the plugin from the repo, no
-- user config, no swap or shada files. The driver (tests/tests/nvim.rs) sets
-- PYLOOM_REPO, PYLOOM_BIN, PYLOOM_TEST_DIR and PYLOOM_SCENARIO.
local repo = assert(os.getenv("PYLOOM_REPO"), "PYLOOM_REPO is not set")
vim.opt.runtimepath:prepend(repo .. "/editors/neovim")
vim.opt.runtimepath:prepend(repo .. "/tests/nvim")
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"
vim.g.mapleader = " "

-- The scenario runs once startup is over, as a user's commands would.
vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = vim.schedule_wrap(function()
    dofile(repo .. "/tests/nvim/scenarios/" .. os.getenv("PYLOOM_SCENARIO") .. ".lua")
  end),
})
