// Finding the `pyloom` binary where a Python developer's tools live: the
// `pyloom.path` setting when set; else the workspace's virtualenv (`.venv`)
// and the active one (`$VIRTUAL_ENV`), where `pip install` puts it; then the
// user's tool folders, where `uv tool install` and `pipx install` put it;
// then PATH; last cargo's bin folder, where `cargo install` puts it (VS Code
// started from a desktop often lacks it on PATH). Pure (the file system
// check is passed in) so the rules are unit-tested without VS Code.

import * as path from "node:path";

/** The binary and where it was found, or why none was. */
export type Found = { path: string; source: string } | { error: string };

export interface Environment {
  /** The PATH variable, separated by `path.delimiter` of the platform. */
  PATH?: string;
  HOME?: string;
  /** Windows executable extensions, e.g. ".EXE;.CMD". */
  PATHEXT?: string;
  VIRTUAL_ENV?: string;
  /** Where pipx links its tools' executables (default ~/.local/bin). */
  PIPX_BIN_DIR?: string;
  /** uv's tool executable folder: this, else XDG_BIN_HOME, else XDG_DATA_HOME/../bin, else ~/.local/bin. */
  UV_TOOL_BIN_DIR?: string;
  XDG_BIN_HOME?: string;
  XDG_DATA_HOME?: string;
  CARGO_HOME?: string;
}

/** What to tell a user who has no pyloom yet. */
export const INSTALL_HINT =
  "Install it from a pyloom checkout or its wheel: `uv tool install PATH`, `pipx install PATH`, " +
  "or `pip install PATH` in the workspace's .venv (PATH: the checkout or the .whl file); " +
  "or `cargo install --path server` in the checkout. Or set pyloom.path to the binary.";

/** Folders to search, in order, each with the phrase naming it. */
export function searchFolders(
  workspaceFolders: readonly string[],
  env: Environment,
  platform: NodeJS.Platform = process.platform,
): { dir: string; source: string }[] {
  const paths = platform === "win32" ? path.win32 : path.posix;
  const home = env.HOME;
  const venvBin = platform === "win32" ? "Scripts" : "bin";
  const folders: { dir: string | undefined; source: string }[] = [
    ...workspaceFolders.map((folder) => ({ dir: paths.join(folder, ".venv", venvBin), source: "the workspace's .venv" })),
    { dir: env.VIRTUAL_ENV && paths.join(env.VIRTUAL_ENV, venvBin), source: "$VIRTUAL_ENV" },
    { dir: env.PIPX_BIN_DIR, source: "$PIPX_BIN_DIR" },
    { dir: env.UV_TOOL_BIN_DIR, source: "$UV_TOOL_BIN_DIR" },
    { dir: env.XDG_BIN_HOME, source: "$XDG_BIN_HOME (uv tool)" },
    { dir: env.XDG_DATA_HOME && paths.join(env.XDG_DATA_HOME, "..", "bin"), source: "$XDG_DATA_HOME/../bin (uv tool)" },
    { dir: home && paths.join(home, ".local", "bin"), source: "~/.local/bin (pipx, uv tool)" },
    ...(env.PATH ?? "").split(platform === "win32" ? ";" : ":").map((dir) => ({ dir, source: "PATH" })),
    {
      dir: env.CARGO_HOME ? paths.join(env.CARGO_HOME, "bin") : home && paths.join(home, ".cargo", "bin"),
      source: "cargo's bin folder",
    },
  ];
  const seen = new Set<string>();
  const result: { dir: string; source: string }[] = [];
  for (const { dir, source } of folders) {
    // A relative entry (an empty or relative PATH entry) would depend on
    // the extension host's working directory.
    if (dir && paths.isAbsolute(dir) && !seen.has(paths.resolve(dir))) {
      seen.add(paths.resolve(dir));
      result.push({ dir, source });
    }
  }
  return result;
}

export function findBinary(
  configured: string | undefined,
  workspaceFolders: readonly string[],
  env: Environment,
  isExecutable: (file: string) => boolean,
  platform: NodeJS.Platform = process.platform,
): Found {
  const paths = platform === "win32" ? path.win32 : path.posix;
  if (configured && configured.trim() !== "") {
    const file = expandHome(configured.trim(), env.HOME);
    if (!paths.isAbsolute(file)) {
      return { error: `pyloom.path must be an absolute path, got "${configured}"` };
    }
    return isExecutable(file)
      ? { path: file, source: "pyloom.path" }
      : { error: `pyloom.path "${file}" is not an executable file` };
  }
  const names =
    platform === "win32"
      ? (env.PATHEXT ?? ".EXE;.CMD").split(";").map((ext) => `pyloom${ext.toLowerCase()}`)
      : ["pyloom"];
  for (const { dir, source } of searchFolders(workspaceFolders, env, platform)) {
    for (const name of names) {
      const file = paths.join(dir, name);
      if (isExecutable(file)) {
        return { path: file, source };
      }
    }
  }
  return {
    error: `pyloom was not found (looked in the workspace's .venv, $VIRTUAL_ENV, the pipx and uv tool folders, PATH and ~/.cargo/bin). ${INSTALL_HINT}`,
  };
}

function expandHome(file: string, home: string | undefined): string {
  if (home && (file === "~" || file.startsWith("~/"))) {
    return home + file.slice(1);
  }
  return file;
}
