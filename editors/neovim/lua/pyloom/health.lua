-- :checkhealth pyloom — is the binary there, which version, is the Python
-- sandbox installed, can the server reach its LLM provider. Everything but
-- the first check asks the binary or the running server: the plugin knows
-- nothing the server does not tell it.

local M = {}

local pyloom = require("pyloom")

--- Runs the binary with `args`; returns exit code and trimmed output.
local function run(exe, args)
  local ok, result = pcall(function()
    return vim.system(vim.list_extend({ exe }, args), { text = true }):wait(10000)
  end)
  if not ok then
    return -1, tostring(result)
  end
  return result.code, vim.trim((result.stdout or "") .. (result.stderr or ""))
end

local function check_binary()
  vim.health.start("pyloom: binary")
  if vim.fn.has("nvim-0.10") == 0 then
    vim.health.error("Neovim 0.10 or newer is required")
  end
  local cmd, why = pyloom.resolve_cmd()
  if not cmd then
    vim.health.error(why, { "Install pyloom (cargo install --path server) or set `cmd` in setup()" })
    return nil
  end
  vim.health.ok("found " .. cmd[1])
  local code, version = run(cmd[1], { "--version" })
  if code == 0 then
    vim.health.ok(version)
  else
    vim.health.error("`pyloom --version` failed: " .. version)
  end
  return cmd[1]
end

local function check_sandbox(exe)
  vim.health.start("pyloom: snippet-test sandbox")
  local code, output = run(exe, { "sandbox", "status" })
  if code == 0 then
    vim.health.ok(output)
  elseif code == 2 and output:find("unrecognized subcommand", 1, true) then
    vim.health.warn("this pyloom has no snippet-test sandbox (no `pyloom sandbox status` command)")
  else
    vim.health.error("python.wasm is not ready: " .. output, { "Run `pyloom sandbox install`" })
  end
end

local function check_server()
  vim.health.start("pyloom: server and LLM provider")
  local clients = pyloom.clients()
  if #clients == 0 then
    vim.health.info("no pyloom server is running; open a Python file to start one")
    return
  end
  for _, client in ipairs(clients) do
    vim.health.ok(string.format("client %d attached, root %s", client.id, client.root_dir or "(none)"))
  end
  local client = clients[1]
  local provider = client.server_capabilities.executeCommandProvider
  if not (type(provider) == "table" and vim.list_contains(provider.commands or {}, "pyloom.status")) then
    vim.health.warn("this server does not report provider status (no `pyloom.status` command)")
    return
  end
  local params = { command = "pyloom.status", arguments = {} }
  local response, err
  if vim.fn.has("nvim-0.11") == 1 then
    response, err = client:request_sync("workspace/executeCommand", params, 10000)
  else
    response, err = client.request_sync("workspace/executeCommand", params, 10000)
  end
  if not response then
    vim.health.error("pyloom.status did not answer: " .. tostring(err))
  elseif response.err then
    vim.health.error("pyloom.status failed: " .. (response.err.message or "?"))
  else
    local status = response.result
    local reachable = type(status) == "table" and (status.provider_reachable or status.reachable)
    local text = type(status) == "table" and vim.inspect(status) or tostring(status)
    if reachable == false then
      vim.health.warn("LLM provider not reachable: " .. text)
    else
      vim.health.ok(text)
    end
  end
end

function M.check()
  local exe = check_binary()
  if exe then
    check_sandbox(exe)
  end
  check_server()
end

return M
