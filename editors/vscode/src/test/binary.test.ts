import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { findBinary } from "../binary";

const executables = (...files: string[]) => (file: string) => files.includes(file);

describe("findBinary", () => {
  it("takes the first pyloom on PATH, skipping empty entries", () => {
    const found = findBinary(undefined, { PATH: ":/usr/bin:/opt/a:/opt/b" }, executables("/opt/a/pyloom", "/opt/b/pyloom"), "linux");
    assert.deepEqual(found, { path: "/opt/a/pyloom" });
  });

  it("prefers the configured path, expanding ~", () => {
    const found = findBinary("~/bin/pyloom ", { PATH: "/opt/a", HOME: "/home/me" }, executables("/home/me/bin/pyloom", "/opt/a/pyloom"), "linux");
    assert.deepEqual(found, { path: "/home/me/bin/pyloom" });
  });

  it("treats an empty setting as unset", () => {
    assert.deepEqual(findBinary("  ", { PATH: "/opt/a" }, executables("/opt/a/pyloom"), "linux"), { path: "/opt/a/pyloom" });
  });

  it("explains what is wrong", () => {
    assert.deepEqual(findBinary("bin/pyloom", {}, executables(), "linux"), {
      error: 'pyloom.path must be an absolute path, got "bin/pyloom"',
    });
    assert.deepEqual(findBinary("/nope/pyloom", {}, executables(), "linux"), {
      error: 'pyloom.path "/nope/pyloom" is not an executable file',
    });
    assert.deepEqual(findBinary(undefined, { PATH: "/usr/bin" }, executables(), "linux"), {
      error: "pyloom was not found on PATH; install it or set pyloom.path",
    });
  });

  it("uses PATHEXT and ; on Windows", () => {
    const found = findBinary(undefined, { PATH: "C:\\a;C:\\tools", PATHEXT: ".COM;.EXE" }, executables("C:\\tools\\pyloom.exe"), "win32");
    assert.deepEqual(found, { path: "C:\\tools\\pyloom.exe" });
  });
});
