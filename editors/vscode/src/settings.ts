// The server's settings as VS Code settings: `pyloom.<section>.<key>` with
// the server's own snake_case names, so the README's table applies as is.
// Only values the user set explicitly are sent: the server merges client
// settings over `pyproject.toml` and `pyloom.toml`, so sending VS Code's
// defaults would silently override the workspace's own configuration.

/** The settings the server reads; each is contributed in package.json. */
export const SERVER_KEYS = [
  "files.max_file_bytes",
  "llm.provider",
  "llm.model",
  "llm.base_url",
  "llm.api_key_env",
  "completion.enabled",
  "completion.provider",
  "completion.model",
  "completion.base_url",
  "completion.context_budget",
  "lint.select",
  "lint.extend_select",
  "lint.ignore",
  "sandbox.timeout_ms",
  "sandbox.memory_mb",
  "sandbox.output_kb",
  "sandbox.disk_mb",
  "sandbox.recursion_limit",
  "sandbox.isolate_files",
  "inlay_hints.variable_types",
  "inlay_hints.parameter_names",
] as const;

/** Settings only the extension reads. */
export const CLIENT_KEYS = ["path", "trace.server"] as const;

/** The part of `vscode.WorkspaceConfiguration` used here. */
export interface Configuration {
  inspect<T>(key: string):
    | { globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T }
    | undefined;
}

export type ServerSettings = { [key: string]: unknown };

/** The explicitly set server settings as the nested object the server expects. */
export function serverSettings(config: Configuration): ServerSettings {
  const settings: ServerSettings = {};
  for (const key of SERVER_KEYS) {
    const value = explicitValue(config, key);
    if (value !== undefined) {
      setPath(settings, key.split("."), value);
    }
  }
  return settings;
}

function explicitValue(config: Configuration, key: string): unknown {
  const inspected = config.inspect<unknown>(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

function setPath(target: ServerSettings, keys: string[], value: unknown): void {
  const [head, ...rest] = keys;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ??= {}) as ServerSettings;
  setPath(child, rest, value);
}
