import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { findBinary, INSTALL_HINT, searchFolders } from "../binary";

const executables = (...files: string[]) => (file: string) => files.includes(file);

describe("findBinary", () => {
  it("takes the first pyloom on PATH, skipping empty and relative entries", () => {
    const found = findBinary(undefined, [], { PATH: ":bin:/usr/bin:/opt/a:/opt/b" }, executables("bin/pyloom", "/opt/a/pyloom", "/opt/b/pyloom"), "linux");
    assert.deepEqual(found, { path: "/opt/a/pyloom", source: "PATH" });
  });

  it("prefers the configured path, expanding ~", () => {
    const found = findBinary("~/bin/pyloom ", ["/ws"], { PATH: "/opt/a", HOME: "/home/me" }, executables("/home/me/bin/pyloom", "/ws/.venv/bin/pyloom"), "linux");
    assert.deepEqual(found, { path: "/home/me/bin/pyloom", source: "pyloom.path" });
  });

  it("treats an empty setting as unset", () => {
    assert.deepEqual(findBinary("  ", [], { PATH: "/opt/a" }, executables("/opt/a/pyloom"), "linux"), { path: "/opt/a/pyloom", source: "PATH" });
  });

  it("looks in each place in turn: .venv, $VIRTUAL_ENV, tool folders, PATH, cargo", () => {
    const env = { HOME: "/home/me", VIRTUAL_ENV: "/envs/active", PATH: "/usr/local/bin:/usr/bin" };
    const everywhere = [
      "/ws one/.venv/bin/pyloom",
      "/ws two/.venv/bin/pyloom",
      "/envs/active/bin/pyloom",
      "/home/me/.local/bin/pyloom",
      "/usr/bin/pyloom",
      "/home/me/.cargo/bin/pyloom",
    ];
    const expected = [
      { path: "/ws one/.venv/bin/pyloom", source: "the workspace's .venv" },
      { path: "/ws two/.venv/bin/pyloom", source: "the workspace's .venv" },
      { path: "/envs/active/bin/pyloom", source: "$VIRTUAL_ENV" },
      { path: "/home/me/.local/bin/pyloom", source: "~/.local/bin (pipx, uv tool)" },
      { path: "/usr/bin/pyloom", source: "PATH" },
      { path: "/home/me/.cargo/bin/pyloom", source: "cargo's bin folder" },
    ];
    // Take away the winner each time: the next place answers.
    for (let i = 0; i < expected.length; i++) {
      const found = findBinary(undefined, ["/ws one", "/ws two"], env, executables(...everywhere.slice(i)), "linux");
      assert.deepEqual(found, expected[i]);
    }
  });

  it("follows uv's and pipx's bin folder variables, and CARGO_HOME", () => {
    const env = {
      HOME: "/home/me",
      PIPX_BIN_DIR: "/pipx/bin",
      UV_TOOL_BIN_DIR: "/uv/bin",
      XDG_BIN_HOME: "/xdg/bin",
      XDG_DATA_HOME: "/home/me/data/share",
      CARGO_HOME: "/rust/cargo",
    };
    assert.deepEqual(
      searchFolders([], env, "linux").map(({ dir }) => dir),
      ["/pipx/bin", "/uv/bin", "/xdg/bin", "/home/me/data/bin", "/home/me/.local/bin", "/rust/cargo/bin"],
    );
  });

  it("searches each folder once, first under its first name", () => {
    const folders = searchFolders(["/ws"], { HOME: "/h", VIRTUAL_ENV: "/ws/.venv", PATH: "/h/.local/bin:/ws/.venv/bin/" }, "linux");
    assert.deepEqual(folders, [
      { dir: "/ws/.venv/bin", source: "the workspace's .venv" },
      { dir: "/h/.local/bin", source: "~/.local/bin (pipx, uv tool)" },
      { dir: "/h/.cargo/bin", source: "cargo's bin folder" },
    ]);
  });

  it("explains what is wrong and how to install", () => {
    assert.deepEqual(findBinary("bin/pyloom", [], {}, executables(), "linux"), {
      error: 'pyloom.path must be an absolute path, got "bin/pyloom"',
    });
    assert.deepEqual(findBinary("/nope/pyloom", [], {}, executables(), "linux"), {
      error: 'pyloom.path "/nope/pyloom" is not an executable file',
    });
    const missing = findBinary(undefined, ["/ws"], { PATH: "/usr/bin" }, executables(), "linux");
    assert.ok("error" in missing);
    assert.match(missing.error, /^pyloom was not found \(looked in the workspace's \.venv, \$VIRTUAL_ENV, the pipx and uv tool folders, PATH/);
    assert.ok(missing.error.endsWith(INSTALL_HINT));
    assert.match(INSTALL_HINT, /uv tool install PATH.*pip install PATH.*cargo install --path server/);
  });

  it("uses Scripts, PATHEXT and ; on Windows", () => {
    const env = { PATH: "C:\\a;C:\\tools", PATHEXT: ".COM;.EXE" };
    assert.deepEqual(findBinary(undefined, [], env, executables("C:\\tools\\pyloom.exe"), "win32"), {
      path: "C:\\tools\\pyloom.exe",
      source: "PATH",
    });
    assert.deepEqual(findBinary(undefined, ["C:\\ws"], env, executables("C:\\ws\\.venv\\Scripts\\pyloom.exe", "C:\\tools\\pyloom.exe"), "win32"), {
      path: "C:\\ws\\.venv\\Scripts\\pyloom.exe",
      source: "the workspace's .venv",
    });
  });
});
