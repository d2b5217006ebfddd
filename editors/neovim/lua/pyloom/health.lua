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

--- Where pyloom keeps the sandbox's interpreter component: `$PYLOOM_CACHE_DIR`, else the user
--- cache directory's `pyloom` folder (the server's own rule).
local function interpreter_path()
  local root = vim.env.PYLOOM_CACHE_DIR
  if not root or root == "" then
    local base
    if vim.fn.has("win32") == 1 then
      base = vim.env.LOCALAPPDATA
    elseif vim.fn.has("mac") == 1 then
      base = vim.env.HOME and (vim.env.HOME .. "/Library/Caches")
    else
      base = (vim.env.XDG_CACHE_HOME ~= "" and vim.env.XDG_CACHE_HOME) or (vim.env.HOME and (vim.env.HOME .. "/.cache"))
    end
    root = base and vim.fs.joinpath(base, "pyloom")
  end
  return root and vim.fs.joinpath(root, "python-wasm", "runner.wasm")
end

local function check_sandbox(exe)
  vim.health.start("pyloom: snippet-test sandbox")
  local code, output = run(exe, { "sandbox", "status" })
  if code == 0 then
    vim.health.ok(output)
    return
  end
  if not (code == 2 and output:find("unrecognized subcommand", 1, true)) then
    vim.health.error("the sandbox interpreter is not ready: " .. output, { "Run `pyloom sandbox install`" })
    return
  end
  -- A pyloom without `sandbox status`: look where the server would.
  local wasm = interpreter_path()
  if wasm and vim.uv.fs_stat(wasm) then
    vim.health.ok("sandbox interpreter installed at " .. wasm)
  else
    vim.health.warn("the sandbox interpreter is not installed (looked for " .. tostring(wasm) .. ")")
  end
end

--- The Python environment names outside the workspace resolve in, for a
--- running server's root (else the working directory), as the server finds it.
local function check_environment(exe)
  vim.health.start("pyloom: Python environment")
  local client = vim.lsp.get_clients({ name = "pyloom" })[1]
  local folder = (client and client.root_dir) or vim.fn.getcwd()
  local code, output = run(exe, { "environment", folder })
  if code == 2 and output:find("unrecognized subcommand", 1, true) then
    vim.health.info("this pyloom does not report its environment (`pyloom environment`): update it")
  elseif code ~= 0 then
    vim.health.warn("the environment could not be found: " .. output)
  elseif output:find("no Python environment", 1, true) then
    vim.health.warn(output, { "Set `index.venv` or `index.python`, or activate a virtualenv" })
  else
    vim.health.ok(output)
  end
end

--- Host and port of an http(s) URL.
local function endpoint(url)
  local scheme, host, port = url:match("^(%a+)://%[([^%]]+)%]:?(%d*)") -- [IPv6]
  if not host then
    scheme, host, port = url:match("^(%a+)://([^/:]+):?(%d*)")
  end
  if not host then
    return nil
  end
  return host, tonumber(port) or (scheme == "https" and 443 or 80)
end

--- Whether a TCP connection to host:port opens within the timeout.
--- @return boolean, string|nil
local function connects(host, port, timeout_ms)
  local done, failure = false, nil
  local tcp = assert(vim.uv.new_tcp())
  vim.uv.getaddrinfo(host, tostring(port), { socktype = "stream" }, function(err, addresses)
    if err or not addresses or not addresses[1] then
      done, failure = true, err or "no address"
      return
    end
    tcp:connect(addresses[1].addr, port, function(connect_err)
      done, failure = true, connect_err
    end)
  end)
  local finished = vim.wait(timeout_ms, function()
    return done
  end, 20)
  tcp:close()
  if not finished then
    return false, "no answer within " .. timeout_ms .. " ms"
  end
  return failure == nil, failure
end

--- Reports `pyloom.status`: the session summary, endpoints whose circuit
--- breaker is open, and whether the primary endpoint accepts connections.
local function report_status(status)
  vim.health.ok(type(status.summary) == "string" and status.summary or vim.inspect(status))
  for _, breaker in ipairs(type(status.breakers) == "table" and status.breakers or {}) do
    if breaker.state ~= "closed" then
      vim.health.warn(string.format("%s: circuit %s after repeated failures", breaker.endpoint, breaker.state))
    end
  end
  -- The primary endpoint is labelled "provider model @ url".
  local url = type(status.primary) == "string" and status.primary:match("@ (%S+)$")
  local host, port = endpoint(url or "")
  if not host then
    return
  end
  local ok, why = connects(host, port, 3000)
  if ok then
    vim.health.ok(string.format("LLM provider reachable at %s:%d", host, port))
  else
    vim.health.warn(string.format("LLM provider not reachable at %s:%d: %s", host, port, why), {
      "Start the provider or set `llm.base_url` in the server settings",
    })
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
  if not pyloom.provides(client, "pyloom.status") then
    vim.health.warn("this server does not report provider status (no `pyloom.status` command)")
    return
  end
  local params = { command = "pyloom.status", arguments = {} }
  local response, err = pyloom.call(client, "request_sync", "workspace/executeCommand", params, 10000)
  if not response then
    vim.health.error("pyloom.status did not answer: " .. tostring(err))
  elseif response.err then
    vim.health.error("pyloom.status failed: " .. (response.err.message or "?"))
  elseif type(response.result) ~= "table" then
    vim.health.error("pyloom.status answered " .. vim.inspect(response.result))
  else
    report_status(response.result)
  end
end

-- Inlay hints need both sides: the server's `inlay_hints.*` settings and
-- Neovim's display switch (off by default).
local function check_editing()
  vim.health.start("pyloom: editing features")
  local client = pyloom.clients()[1]
  if not client then
    vim.health.info("no pyloom server is running; open a Python file to see its features")
    return
  end
  for _, method in ipairs({ "textDocument/rename", "textDocument/documentHighlight", "textDocument/inlayHint", "textDocument/foldingRange", "textDocument/selectionRange" }) do
    if client:supports_method(method) then
      vim.health.ok("server provides " .. method)
    else
      vim.health.info("server does not provide " .. method)
    end
  end
  local hints = vim.tbl_get(client.config.settings or {}, "pyloom", "inlay_hints") or {}
  for _, key in ipairs({ "variable_types", "parameter_names" }) do
    vim.health.info(string.format("inlay_hints.%s = %s", key, hints[key] == nil and "true (default)" or tostring(hints[key])))
  end
  if vim.lsp.inlay_hint and not vim.lsp.inlay_hint.is_enabled({ bufnr = 0 }) then
    vim.health.info("inlay hints are not shown in this buffer", { "Enable them with :lua vim.lsp.inlay_hint.enable()" })
  end
end

function M.check()
  local exe = check_binary()
  if exe then
    check_sandbox(exe)
    check_environment(exe)
  end
  check_server()
  check_editing()
end

return M
