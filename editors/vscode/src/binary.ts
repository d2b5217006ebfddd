// Finding the `pyloom` binary: the `pyloom.path` setting when set, else the
// first executable `pyloom` on PATH. Pure (the file system check is passed
// in) so the rules are unit-tested without VS Code.

import * as path from "node:path";

export type Found = { path: string } | { error: string };

export interface Environment {
  /** The PATH variable, separated by `path.delimiter` of the platform. */
  PATH?: string;
  HOME?: string;
  /** Windows executable extensions, e.g. ".EXE;.CMD". */
  PATHEXT?: string;
}

export function findBinary(
  configured: string | undefined,
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
    return isExecutable(file) ? { path: file } : { error: `pyloom.path "${file}" is not an executable file` };
  }
  const names =
    platform === "win32"
      ? (env.PATHEXT ?? ".EXE;.CMD").split(";").map((ext) => `pyloom${ext.toLowerCase()}`)
      : ["pyloom"];
  const delimiter = platform === "win32" ? ";" : ":";
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") {
      continue;
    }
    for (const name of names) {
      const file = paths.join(dir, name);
      if (isExecutable(file)) {
        return { path: file };
      }
    }
  }
  return { error: "pyloom was not found on PATH; install it or set pyloom.path" };
}

function expandHome(file: string, home: string | undefined): string {
  if (home && (file === "~" || file.startsWith("~/"))) {
    return home + file.slice(1);
  }
  return file;
}
