import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { CLIENT_KEYS, type Configuration, SERVER_KEYS, serverSettings } from "../settings";

type Scope = { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown };

function configuration(values: Record<string, Scope>): Configuration {
  return { inspect: <T>(key: string) => values[key] as { globalValue?: T } | undefined };
}

interface Manifest {
  contributes: {
    configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string }> };
    commands: { command: string }[];
    keybindings: { command: string }[];
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as Manifest;

describe("serverSettings", () => {
  it("sends only explicit values, nested, the most specific scope winning", () => {
    const settings = serverSettings(
      configuration({
        "llm.model": { globalValue: "a", workspaceValue: "b" },
        "lint.select": { workspaceFolderValue: ["S"], globalValue: ["F"] },
        "sandbox.timeout_ms": { globalValue: 100 },
        "llm.provider": {},
      }),
    );
    assert.deepEqual(settings, { llm: { model: "b" }, lint: { select: ["S"] }, sandbox: { timeout_ms: 100 } });
  });

  it("sends nothing when nothing is set", () => {
    assert.deepEqual(serverSettings(configuration({})), {});
  });
});

describe("package.json", () => {
  const properties = manifest.contributes.configuration.properties;

  it("contributes exactly the server's and the client's settings, each with a default and a description", () => {
    const expected = [...SERVER_KEYS, ...CLIENT_KEYS].map((key) => `pyloom.${key}`).sort();
    assert.deepEqual(Object.keys(properties).sort(), expected);
    for (const [key, property] of Object.entries(properties)) {
      assert.ok("default" in property, `${key} has a default`);
      assert.ok(property.markdownDescription, `${key} has a description`);
    }
  });

  it("binds keys only to contributed commands", () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const binding of manifest.contributes.keybindings) {
      assert.ok(commands.has(binding.command), binding.command);
    }
    assert.equal(manifest.contributes.keybindings.length, commands.size, "every command has a key");
  });
});
