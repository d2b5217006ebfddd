import "./vscode";

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import { COMMANDS, markdownOf, registerCommands, type Server, testSummary } from "../commands";
import { MarkdownPanel } from "../panel";
import { Activity } from "../progress";
import * as stub from "./vscode";

interface Call {
  command: string;
  argument?: object;
}

/** A server providing `provided`, answering each command from `answers`. */
function fakeServer(provided: string[], answers: Record<string, unknown> = {}) {
  const calls: Call[] = [];
  const server: Server = {
    provides: (command) => provided.includes(command),
    execute: (command, argument) => {
      calls.push({ command, argument });
      const answer = answers[command];
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer ?? null);
    },
    uri: (document) => (document as unknown as { uri: string }).uri,
    range: (range) => ({ start: range.start, end: range.end }),
    position: (position) => ({ line: position.line, character: position.character }),
    describe: () => "# pyloom\n\n- binary: `/bin/pyloom`",
  };
  return { server, calls };
}

function setup(server: Server | undefined, activity = new Activity()) {
  const restarts: number[] = [];
  const panel = new MarkdownPanel();
  registerCommands(() => server, activity, {
    showMarkdown: (title, markdown) => panel.show(title, markdown),
    restart: () => {
      restarts.push(1);
      return Promise.resolve();
    },
  });
  return { restarts };
}

function run(id: string): Promise<void> {
  const handler = stub.recorded.commands.get(id);
  assert.ok(handler, `${id} is registered`);
  return handler();
}

const URI = "file:///w/app.py";
const ALL = ["pyloom.runSnippetTests", "pyloom.refactor", "pyloom.implement", "pyloom.explain", "pyloom.adjust", "pyloom.regenerate", "pyloom.status"];

describe("commands", () => {
  beforeEach(() => stub.reset());

  it("registers every command the manifest contributes", () => {
    setup(undefined);
    assert.deepEqual([...stub.recorded.commands.keys()].sort(), Object.values(COMMANDS).sort());
  });

  it("runs the snippet tests at the cursor line and reports the counts", async () => {
    const { server, calls } = fakeServer(ALL, {
      "pyloom.runSnippetTests": [
        { name: "add", line: 4, status: "passed" },
        { name: "div", line: 10, status: "timeout" },
      ],
    });
    setup(server);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(3, 4));
    await run(COMMANDS.testAtCursor);
    assert.deepEqual(calls, [{ command: "pyloom.runSnippetTests", argument: { uri: URI, line: 3 } }]);
    assert.deepEqual(stub.recorded.shown, [{ kind: "info", message: "pyloom: 1 passed, 1 failed" }]);
  });

  it("runs the whole file's tests without a line", async () => {
    const { server, calls } = fakeServer(ALL);
    setup(server);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(0, 0));
    await run(COMMANDS.testFile);
    assert.deepEqual(calls, [{ command: "pyloom.runSnippetTests", argument: { uri: URI } }]);
  });

  it("refactors the selection with the typed instruction, and not when cancelled", async () => {
    const { server, calls } = fakeServer(ALL);
    setup(server);
    const [from, to] = [new stub.Position(1, 0), new stub.Position(4, 2)];
    stub.window.activeTextEditor = stub.pythonEditor(URI, from, to);
    stub.recorded.inputs.push(undefined, "use a dict");
    await run(COMMANDS.refactorSelection);
    assert.deepEqual(calls, []);
    await run(COMMANDS.refactorSelection);
    assert.deepEqual(calls, [
      { command: "pyloom.refactor", argument: { uri: URI, range: { start: from, end: to }, instruction: "use a dict" } },
    ]);
  });

  it("shows LLM activity while a command runs", async () => {
    const seen: (string | undefined)[] = [];
    const activity = new Activity(() => seen.push(activity.summary()));
    const { server } = fakeServer(ALL);
    setup(server, activity);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(2, 0));
    await run(COMMANDS.implement);
    assert.deepEqual(seen, ["implementing with the LLM", undefined]);
  });

  it("shows the explanation as rendered markdown in a panel", async () => {
    const { server, calls } = fakeServer(ALL, { "pyloom.explain": { markdown: "Adds <b>two</b> numbers." } });
    setup(server);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(5, 1));
    await run(COMMANDS.explain);
    assert.equal(calls[0].command, "pyloom.explain");
    assert.equal(stub.recorded.webviews.length, 1);
    const [view] = stub.recorded.webviews;
    assert.equal(view.title, "pyloom: explanation");
    assert.match(view.html, /<pre>Adds &#60;b&#62;two&#60;\/b&#62; numbers\.<\/pre>/);
    assert.match(view.html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it("adjusts the file with an instruction", async () => {
    const { server, calls } = fakeServer(ALL);
    setup(server);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(0, 0));
    stub.recorded.inputs.push("add type hints");
    await run(COMMANDS.adjust);
    assert.deepEqual(calls, [{ command: "pyloom.adjust", argument: { uri: URI, instruction: "add type hints" } }]);
  });

  it("regenerates the last LLM action on the document", async () => {
    const { server, calls } = fakeServer(ALL);
    setup(server);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(0, 0));
    await run(COMMANDS.regenerate);
    assert.deepEqual(calls, [{ command: "pyloom.regenerate", argument: { uri: URI } }]);
  });

  it("shows the client's status alone when the server has no status command", async () => {
    const { server, calls } = fakeServer([]);
    setup(server);
    await run(COMMANDS.status);
    assert.deepEqual(calls, []);
    assert.match(stub.recorded.webviews[0].html, /binary: `\/bin\/pyloom`/);
  });

  it("appends the server's status when it has one", async () => {
    const { server } = fakeServer(ALL, { "pyloom.status": { provider: "openai", reachable: true } });
    setup(server);
    await run(COMMANDS.status);
    assert.match(stub.recorded.webviews[0].html, /## Server[\s\S]*&#34;reachable&#34;: true/);
  });

  it("refuses commands the server does not provide", async () => {
    const { server, calls } = fakeServer(["pyloom.runSnippetTests"]);
    setup(server);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(0, 0));
    await run(COMMANDS.implement);
    assert.deepEqual(calls, []);
    assert.deepEqual(stub.recorded.shown, [
      { kind: "warning", message: "pyloom: this server does not provide `pyloom.implement`" },
    ]);
  });

  it("reports a failed request as an error", async () => {
    const { server } = fakeServer(ALL, { "pyloom.implement": new Error("model timed out") });
    setup(server);
    stub.window.activeTextEditor = stub.pythonEditor(URI, new stub.Position(0, 0));
    await run(COMMANDS.implement);
    assert.deepEqual(stub.recorded.shown, [{ kind: "error", message: "pyloom: pyloom.implement failed: model timed out" }]);
  });

  it("asks for a Python editor and a running server", async () => {
    setup(undefined);
    await run(COMMANDS.testAtCursor);
    const { server } = fakeServer(ALL);
    setup(server);
    stub.window.activeTextEditor = { ...stub.pythonEditor(URI, new stub.Position(0, 0)), document: { languageId: "rust", uri: URI } };
    await run(COMMANDS.testAtCursor);
    assert.deepEqual(stub.recorded.shown.map((s) => s.message), [
      "pyloom: the server is not running",
      "pyloom: open a Python file first",
    ]);
  });

  it("restarts on request", async () => {
    const { restarts } = setup(undefined);
    await run(COMMANDS.restart);
    assert.deepEqual(restarts, [1]);
  });
});

describe("results", () => {
  it("summarises test results, skipped ones as passed", () => {
    const results = [{ status: "passed" }, { status: "skipped" }, { status: "failed" }, null];
    assert.equal(testSummary(results), "2 passed, 2 failed");
    assert.equal(testSummary(null), undefined);
    assert.equal(testSummary({ results: [] }), undefined);
  });

  it("turns results into markdown", () => {
    assert.equal(markdownOf("plain"), "plain");
    assert.equal(markdownOf({ message: "hi" }), "hi");
    assert.equal(markdownOf({ summary: "pyloom LLM: 3 requests", total: {} }), "pyloom LLM: 3 requests");
    assert.equal(markdownOf(null), "```json\nnull\n```");
    assert.equal(markdownOf({ a: 1 }), '```json\n{\n  "a": 1\n}\n```');
  });
});
