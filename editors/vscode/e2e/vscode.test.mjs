// The packaged extension in a real VS Code: code-server (VS Code 1.100 in
// the browser, installed by scripts/install-code-server.sh) with pyloom.vsix
// installed through `code-server --install-extension`, driven by Debian's
// chromium through puppeteer-core as a user would: open files, read the
// Problems view, hover, apply a quick fix, run snippet tests, look at the
// status item. The server binary sits in the project's .venv only (not on
// PATH), so the extension's discovery is exercised too. Screenshots of each
// step are kept in the artifacts folder (target/tmp/vscode-e2e).
//
// Inputs (environment, with defaults for a run from the repository):
// PYLOOM_BIN, PYLOOM_CODE_SERVER, PYLOOM_VSIX, PYLOOM_CHROMIUM,
// PYLOOM_E2E_DIR. Every wait is for a condition, bounded by a timeout.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

import puppeteer from "puppeteer-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const env = process.env;
const targetDir = env.CARGO_TARGET_DIR ? path.resolve(repo, env.CARGO_TARGET_DIR) : path.join(repo, "target");
const pyloomBin = env.PYLOOM_BIN ?? path.join(targetDir, "debug/pyloom");
// Installed outside the checkout (node-gyp fails in paths with spaces); the
// install script prints where, and test-all.sh passes it on.
const codeServer = env.PYLOOM_CODE_SERVER ?? "PYLOOM_CODE_SERVER (the path `bash scripts/install-code-server.sh` prints)";
const vsix = env.PYLOOM_VSIX ?? path.join(repo, "editors/vscode/pyloom.vsix");
const chromium = env.PYLOOM_CHROMIUM ?? "/usr/bin/chromium";
const work = env.PYLOOM_E2E_DIR ?? path.join(repo, "target/tmp/vscode-e2e");
const TIMEOUT = 60_000;

// A copy of the demo in a folder whose name has a space, pyloom in its .venv.
const project = path.join(work, "demo project");
const userData = path.join(work, "user-data");
const extensions = path.join(work, "extensions");
const artifacts = path.join(work, "screenshots");

// A notebook: an unused import and a function in the first code cell,
// a call of it across cells in the second.
const codeCell = (source) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source });
const NOTEBOOK = {
  cells: [
    { cell_type: "markdown", metadata: {}, source: "# Analysis" },
    codeCell("import os\nimport json\n\n\ndef double(values):\n    \"\"\"Twice each value.\"\"\"\n    return [v * 2 for v in values]"),
    codeCell("print(json.dumps(double([1, 2])))"),
  ],
  metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" }, language_info: { name: "python" } },
  nbformat: 4,
  nbformat_minor: 5,
};

let server; // the code-server process
let browser;
let page;

function codeServerArgs(...args) {
  return ["--user-data-dir", userData, "--extensions-dir", extensions, ...args];
}

function setUp() {
  for (const [what, file] of [["pyloom", pyloomBin], ["code-server", codeServer], ["the .vsix", vsix], ["chromium", chromium]]) {
    assert.ok(fs.existsSync(file), `${what} is missing at ${file} (scripts/test-all.sh builds and installs everything)`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(path.join(repo, "fixtures/demo"), project, { recursive: true });
  fs.mkdirSync(path.join(project, ".venv/bin"), { recursive: true });
  fs.writeFileSync(path.join(project, ".venv/pyvenv.cfg"), "home = /usr/bin\n");
  fs.symlinkSync(pyloomBin, path.join(project, ".venv/bin/pyloom"));
  fs.writeFileSync(path.join(project, "analysis.ipynb"), JSON.stringify(NOTEBOOK, null, 1));
  fs.mkdirSync(artifacts, { recursive: true });
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User/settings.json"),
    JSON.stringify({
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "security.workspace.trust.enabled": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
      "editor.hover.delay": 200,
      "chat.commandCenter.enabled": false,
      // The copy lives under the repository's target/: no offer to open it.
      "git.openRepositoryInParentFolders": "never",
    }),
  );
  const install = spawnSync(codeServer, codeServerArgs("--install-extension", vsix), { encoding: "utf8" });
  assert.equal(install.status, 0, `installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
}

/** Starts code-server on a free port; resolves with its URL. */
function startCodeServer() {
  server = spawn(
    codeServer,
    codeServerArgs(
      "--auth", "none",
      "--bind-addr", "127.0.0.1:0",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      project,
    ),
    // Its own process group, so the extension host and pyloom end with it.
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...env, PYLOOM_LOG: "pyloom=info" } },
  );
  const log = fs.createWriteStream(path.join(work, "code-server.log"));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("code-server did not start listening")), TIMEOUT);
    const scan = (chunk) => {
      log.write(chunk);
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout.on("data", scan);
    server.stderr.on("data", scan);
    server.on("exit", (code) => reject(new Error(`code-server exited with ${code}`)));
  });
}

async function screenshot(name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

/** Waits until `fn` (run in the page) returns something truthy. */
async function waitInPage(what, fn, ...args) {
  try {
    return await (await page.waitForFunction(fn, { timeout: TIMEOUT, polling: 100 }, ...args)).jsonValue();
  } catch (error) {
    await screenshot(`timeout-${what.replace(/\W+/g, "-")}`);
    throw new Error(`timed out waiting for ${what}: ${error.message}`);
  }
}

async function chord(...keys) {
  for (const key of keys) {
    await page.keyboard.down(key);
  }
  for (const key of keys.reverse()) {
    await page.keyboard.up(key);
  }
}

/** Runs a command by its title through the Command Palette. */
async function runCommand(title) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { visible: true, timeout: TIMEOUT });
  await page.keyboard.type(title);
  await waitInPage(`"${title}" in the palette`, (t) => {
    const row = document.querySelector(".quick-input-list .monaco-list-row.focused");
    return row?.textContent.includes(t);
  }, title);
  await page.keyboard.press("Enter");
}

/** Opens a file of the project with Quick Open. */
async function quickOpen(relative) {
  await chord("Control", "KeyP");
  await page.waitForSelector(".quick-input-widget input", { visible: true, timeout: TIMEOUT });
  await page.keyboard.type(relative);
  const name = path.basename(relative);
  await waitInPage(`${relative} in Quick Open`, (n) => {
    const row = document.querySelector(".quick-input-list .monaco-list-row.focused");
    return row?.querySelector(".label-name")?.textContent === n;
  }, name);
  await page.keyboard.press("Enter");
}

/** Opens a file of the project and waits for its editor. */
async function openFile(relative) {
  await quickOpen(relative);
  const name = path.basename(relative);
  await waitInPage(`the editor of ${relative}`, (n) => {
    const tab = document.querySelector(".tabs-container .tab.active");
    return tab?.textContent.includes(n) && document.querySelector(".editor-instance .monaco-editor .view-lines");
  }, name);
}

/** Opens a file with Quick Open and waits for `ready` (a selector) to show. */
async function openFileIn(relative, ready) {
  await quickOpen(relative);
  await waitInPage(`${relative} open`, (selector) => document.querySelector(selector), ready);
}

/** Moves the cursor with Go to Line (`line:column`, 1-based). */
async function goTo(line, column) {
  await chord("Control", "KeyG");
  await page.waitForSelector(".quick-input-widget input", { visible: true, timeout: TIMEOUT });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
}

// Page-side probes for waitInPage (they run in the browser).

/** The text of the first hover matching `selector` once it shows `needle`. */
const hoverShowing = (selector, needle) => {
  const hover = document.querySelector(selector);
  return hover?.textContent.includes(needle) && hover.textContent;
};

/** The first row of the Problems view that contains `needle`. */
const problemRow = (needle) =>
  [...document.querySelectorAll(".markers-panel .monaco-list-row")].map((row) => row.textContent).find((row) => row.includes(needle));

/** The text of the visible lines of the active editor. */
function editorText() {
  return page.evaluate(() =>
    [...document.querySelectorAll(".editor-instance .monaco-editor .view-line")]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((line) => line.textContent.replace(/\u00a0/g, " "))
      .join("\n"),
  );
}

/** A step of the scenario: it runs only while every earlier one passed
 * (each builds on the editor state the last left). */
function step(name, body) {
  it(name, async () => {
    assert.ok(!failed, `not run: "${failed}" failed`);
    try {
      await body();
    } catch (error) {
      failed = name;
      throw error;
    }
  });
}
let failed;

describe("pyloom in VS Code (code-server)", () => {
  before(async () => {
    setUp();
    const url = await startCodeServer();
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
      ],
      defaultViewport: { width: 1400, height: 900 },
    });
    page = await browser.newPage();
    await page.goto(`${url}/?folder=${encodeURIComponent(project)}`, { timeout: TIMEOUT });
    await page.waitForSelector(".monaco-workbench .part.statusbar", { timeout: TIMEOUT });
  });

  after(async () => {
    await browser?.close();
    if (server?.exitCode === null) {
      process.kill(-server.pid, "SIGTERM");
    }
  });

  step("shows the server's diagnostics in the Problems view, with their rule codes", async () => {
    await openFile("shop/storage.py");
    await chord("Control", "Shift", "KeyM");
    const row = await waitInPage("S506 in the Problems view", problemRow, "S506");
    await screenshot("1-diagnostics");
    assert.match(row, /Probable use of unsafe `yaml\.load`/);
  });

  step("the status item says the server runs, from the workspace's .venv", async () => {
    const item = await waitInPage("the pyloom status item, ready", () => {
      const label = [...document.querySelectorAll(".statusbar-item a.statusbar-item-label")].find((a) =>
        a.textContent.includes("pyloom"),
      );
      return label?.querySelector(".codicon-check") && label.textContent.includes("Python") && label.textContent.trim();
    });
    // The environment the server resolves outside names in: the workspace's .venv.
    assert.match(item, /^pyloom · Python( \d+\.\d+)? \(\.venv\)$/);
    const label = await page.evaluateHandle(() =>
      [...document.querySelectorAll(".statusbar-item a.statusbar-item-label")].find((a) => a.textContent.includes("pyloom")),
    );
    await label.asElement().hover();
    const tooltip = await waitInPage("the status item's tooltip", hoverShowing, ".workbench-hover, .monaco-hover:not(.hidden)", "pyloom is ready");
    await screenshot("2-status-item");
    assert.ok(tooltip.includes(".venv/bin/pyloom (from the workspace's .venv)"), tooltip);
    assert.ok(tooltip.includes("Python environment: ") && tooltip.includes("found by the workspace's virtualenv"), tooltip);
    await page.mouse.move(700, 400);
  });

  step("a quick fix from the light bulb menu edits the file", async () => {
    await goTo(11, 23); // on `load` of `yaml.load(f)`
    await chord("Control", "Period");
    const fix = await waitInPage("the quick-fix menu offering yaml.safe_load", () =>
      [...document.querySelectorAll(".action-widget .monaco-list-row")]
        .map((row) => row.textContent)
        .find((text) => text.includes("safe_load")),
    );
    await screenshot("3-quick-fix-menu");
    const rows = await page.$$(".action-widget .monaco-list-row");
    for (const row of rows) {
      if ((await row.evaluate((r) => r.textContent)) === fix) {
        await row.click();
      }
    }
    await waitInPage("yaml.safe_load in the editor", () =>
      [...document.querySelectorAll(".editor-instance .view-line")].some((line) => line.textContent.includes("yaml.safe_load(f)")),
    );
    // The fixed finding leaves the Problems view once the server has the edit.
    await waitInPage("S506 gone from the Problems view", (needle) =>
      [...document.querySelectorAll(".markers-panel .monaco-list-row")].every((row) => !row.textContent.includes(needle)),
      "S506",
    );
    await screenshot("4-quick-fix-applied");
    assert.match(await editorText(), /return yaml\.safe_load\(f\)/);
  });

  step("hovering a name shows the graph's explanation", async () => {
    await openFile("app.py");
    // The keyboard's hover (Ctrl+K Ctrl+I) on `order_total` of
    // `print(s.order_total(...))`: a mouse-over depends on where the editor
    // laid the token out and on nothing covering it, which differs between
    // machines; the cursor does not.
    const hover = [".editor-instance .monaco-hover:not(.hidden)", "Sum of the items"];
    for (let attempt = 0; attempt < 3; attempt++) {
      await goTo(9, 15);
      await chord("Control", "KeyK");
      await chord("Control", "KeyI");
      const shown = await page.waitForFunction(hoverShowing, { timeout: 10_000, polling: 100 }, ...hover).then(() => true, () => false);
      if (shown) break;
      await page.keyboard.press("Escape");
    }
    const text = await waitInPage("the hover with the docstring", hoverShowing, ...hover).catch(async (error) => {
      const seen = await page.evaluate(() => [...document.querySelectorAll(".monaco-hover")].map((h) => h.textContent).join(" | "));
      throw new Error(`${error.message}; hovers on the page: ${JSON.stringify(seen)}`);
    });
    await screenshot("5-hover");
    assert.ok(text.includes("def total(items: list[tuple[Item, int]], shipping: int = 0) -> int"), text);
    await page.keyboard.press("Escape");
  });

  step("Run Snippet Tests in File reports the doctests' outcome and marks the failing one", async () => {
    // total's doctest passes; average_price's expects 250.0 and gets 200.0.
    await openFile("shop/pricing.py");
    await runCommand("pyloom: Run Snippet Tests in File");
    const message = await waitInPage("the snippet-test summary", () =>
      [...document.querySelectorAll(".notifications-toasts .notification-list-item-message")]
        .map((m) => m.textContent)
        .find((m) => m.startsWith("pyloom: ") && m.includes("passed")),
    );
    assert.equal(message, "pyloom: 1 passed, 1 failed");
    const problem = await waitInPage("the failed example in the Problems view", problemRow, "average_price failed");
    await screenshot("6-snippet-tests");
    assert.match(problem, /Failed example/);
  });

  step("a module renamed in the Explorer takes its importers along", async () => {
    // VS Code asks the server's workspace/willRenameFiles before it renames
    // and applies the answer to the importers (left unsaved, like any edit).
    await openFile("shop/pricing.py");
    await chord("Control", "Shift", "KeyE");
    const at = await waitInPage("pricing.py in the Explorer", () => {
      const row = [...document.querySelectorAll(".explorer-folders-view .monaco-list-row")].find((r) => r.querySelector(".label-name")?.textContent === "pricing.py");
      const box = row?.getBoundingClientRect();
      return box && { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    });
    await page.mouse.click(at.x, at.y);
    await page.keyboard.press("F2");
    await page.waitForSelector(".explorer-folders-view .monaco-inputbox input", { visible: true, timeout: TIMEOUT });
    await chord("Control", "KeyA");
    await page.keyboard.type("prices.py");
    await page.keyboard.press("Enter");
    // VS Code asks before it applies an extension's edits to a file move.
    const ok = await waitInPage("VS Code's question about the refactoring changes", () => {
      const dialog = document.querySelector(".monaco-dialog-box");
      const button = dialog?.textContent.includes("wants to make refactoring changes") && [...dialog.querySelectorAll(".monaco-button")].find((b) => b.textContent.trim() === "OK");
      const box = button?.getBoundingClientRect();
      return box && { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    });
    await screenshot("7-module-rename-asked");
    await page.mouse.click(ok.x, ok.y);
    await waitInPage("prices.py in the Explorer", () =>
      [...document.querySelectorAll(".explorer-folders-view .label-name")].some((l) => l.textContent === "prices.py"),
    );
    await openFile("tests/test_pricing.py");
    await waitInPage("the test's import of the new module", () =>
      [...document.querySelectorAll(".editor-instance .view-line")].some((line) => line.textContent.replace(/\u00a0/g, " ") === "from shop.prices import average_price, total"),
    );
    await screenshot("8-module-renamed");
    assert.ok(fs.existsSync(path.join(project, "shop/prices.py")) && !fs.existsSync(path.join(project, "shop/pricing.py")));
  });

  // The Python cells of a notebook in VS Code's own notebook editor.
  const cellEditors = ".notebook-editor .cell-editor-part .monaco-editor";

  /** Puts the cursor in code cell `index` (from 0) at `column` of its first line. */
  async function inCell(index, column) {
    await waitInPage(`code cell ${index}`, (selector, i) => document.querySelectorAll(selector).length > i, cellEditors, index);
    const editors = await page.$$(`${cellEditors} .view-lines`);
    await editors[index].click();
    await chord("Control", "Home");
    for (let i = 1; i < column; i++) {
      await page.keyboard.press("ArrowRight");
    }
  }

  step("a notebook's cells get diagnostics, hover across cells and a quick fix", async () => {
    await openFileIn("analysis.ipynb", cellEditors);
    await chord("Control", "Shift", "KeyM");
    await waitInPage("F401 of a notebook cell in the Problems view", problemRow, "`os` imported but unused");
    await screenshot("9-notebook-diagnostics");
    // Hover on `double` in the second code cell: its docstring, from the first.
    await inCell(1, 19);
    const hover = [".notebook-editor .monaco-hover:not(.hidden), .monaco-hover:not(.hidden)", "Twice each value"];
    await chord("Control", "KeyK");
    await chord("Control", "KeyI");
    const text = await waitInPage("the hover across cells", hoverShowing, ...hover);
    await screenshot("10-notebook-hover");
    assert.ok(text.includes("def double(values)"), text);
    await page.keyboard.press("Escape");
    // The quick fix on `os` in the first code cell removes the import there.
    await inCell(0, 9);
    await chord("Control", "Period");
    const fix = await waitInPage("the quick-fix menu offering to remove the import", () =>
      [...document.querySelectorAll(".action-widget .monaco-list-row")].map((row) => row.textContent).find((text) => text.includes("Remove unused import")),
    );
    for (const row of await page.$$(".action-widget .monaco-list-row")) {
      if ((await row.evaluate((r) => r.textContent)) === fix) {
        await row.click();
      }
    }
    const cell = await waitInPage("the first code cell without `import os`", (selector) => {
      const lines = [...(document.querySelector(selector)?.querySelectorAll(".view-line") ?? [])].map((l) => l.textContent.replace(/\u00a0/g, " "));
      return lines.length && !lines.some((l) => l.includes("import os")) && lines.join("\n");
    }, cellEditors);
    await screenshot("11-notebook-quick-fix");
    assert.match(cell, /^import json/);
  });
});
