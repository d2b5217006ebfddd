// The extension's commands. Each gathers what the server needs from the
// editor (document, cursor, selection, an instruction) and calls one server
// command through `workspace/executeCommand`; edits come back as
// `workspace/applyEdit`, which the language client applies. Nothing here
// analyses code.

import * as vscode from "vscode";

import type { Activity } from "./progress";

/** The running server, as the commands see it. */
export interface Server {
  /** Whether the server advertises `command`. */
  provides(command: string): boolean;
  execute(command: string, argument?: object): Promise<unknown>;
  /** Conversions to the protocol's shapes (URIs, ranges, positions). */
  uri(document: vscode.TextDocument): string;
  range(range: vscode.Range): object;
  position(position: vscode.Position): object;
  /** Markdown lines about the client's side: binary, version, root. */
  describe(): string;
}

/** Client command ids (distinct from the server's own command names, which
 * the language client registers for code lenses and code actions). */
export const COMMANDS = {
  testAtCursor: "pyloom.testAtCursor",
  testFile: "pyloom.testFile",
  refactorSelection: "pyloom.refactorSelection",
  implement: "pyloom.implementHere",
  explain: "pyloom.explainHere",
  adjust: "pyloom.adjustFile",
  regenerate: "pyloom.regenerateLast",
  status: "pyloom.showStatus",
  restart: "pyloom.restartServer",
} as const;

export interface Ui {
  showMarkdown(title: string, markdown: string): Promise<void>;
  restart(): Promise<void>;
}

export function registerCommands(server: () => Server | undefined, activity: Activity, ui: Ui): vscode.Disposable[] {
  const run = async (s: Server, command: string, argument: object | undefined, busy?: string): Promise<unknown> => {
    if (!s.provides(command)) {
      void vscode.window.showWarningMessage(`pyloom: this server does not provide \`${command}\``);
      return undefined;
    }
    try {
      const call = () => s.execute(command, argument);
      return await (busy ? activity.during(busy, call) : call());
    } catch (error) {
      void vscode.window.showErrorMessage(`pyloom: ${command} failed: ${messageOf(error)}`);
      return undefined;
    }
  };

  const withServer = (body: (s: Server) => Promise<void>) => async (): Promise<void> => {
    const current = server();
    if (!current) {
      void vscode.window.showWarningMessage("pyloom: the server is not running");
      return;
    }
    await body(current);
  };

  const withEditor = (body: (editor: vscode.TextEditor, s: Server) => Promise<void>) =>
    withServer(async (s) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== "python") {
        void vscode.window.showWarningMessage("pyloom: open a Python file first");
        return;
      }
      await body(editor, s);
    });

  const runTests = async (s: Server, argument: object): Promise<void> => {
    const result = await run(s, "pyloom.runSnippetTests", argument, "running snippet tests");
    const summary = testSummary(result);
    if (summary) {
      void vscode.window.showInformationMessage(`pyloom: ${summary}`);
    }
  };

  const handlers: Record<string, () => Promise<void>> = {
    [COMMANDS.testAtCursor]: withEditor(async (editor, s) => {
      await runTests(s, { uri: s.uri(editor.document), line: editor.selection.active.line });
    }),
    [COMMANDS.testFile]: withEditor(async (editor, s) => {
      await runTests(s, { uri: s.uri(editor.document) });
    }),
    [COMMANDS.refactorSelection]: withEditor(async (editor, s) => {
      const instruction = await vscode.window.showInputBox({
        title: "pyloom: refactor the selection",
        prompt: "What should change?",
        placeHolder: "e.g. extract the loop body into a function",
      });
      if (!instruction) {
        return;
      }
      const argument = { uri: s.uri(editor.document), range: s.range(editor.selection), instruction };
      await run(s, "pyloom.refactor", argument, "refactoring with the LLM");
    }),
    [COMMANDS.implement]: withEditor(async (editor, s) => {
      const argument = { uri: s.uri(editor.document), position: s.position(editor.selection.active) };
      await run(s, "pyloom.implement", argument, "implementing with the LLM");
    }),
    [COMMANDS.explain]: withEditor(async (editor, s) => {
      const argument = { uri: s.uri(editor.document), range: s.range(editor.selection) };
      const result = await run(s, "pyloom.explain", argument, "explaining with the LLM");
      if (result !== undefined) {
        await ui.showMarkdown("pyloom: explanation", markdownOf(result));
      }
    }),
    [COMMANDS.adjust]: withEditor(async (editor, s) => {
      const instruction = await vscode.window.showInputBox({
        title: "pyloom: adjust the file",
        prompt: "What should change?",
      });
      if (!instruction) {
        return;
      }
      await run(s, "pyloom.adjust", { uri: s.uri(editor.document), instruction }, "adjusting with the LLM");
    }),
    [COMMANDS.regenerate]: withEditor(async (editor, s) => {
      await run(s, "pyloom.regenerate", { uri: s.uri(editor.document) }, "asking the LLM again");
    }),
    [COMMANDS.status]: withServer(async (s) => {
      let markdown = s.describe();
      // Older servers have no status command; the client's side still helps.
      if (s.provides("pyloom.status")) {
        const result = await run(s, "pyloom.status", undefined);
        markdown += "\n\n## Server\n\n" + (result === undefined ? "(no answer)" : markdownOf(result));
      }
      await ui.showMarkdown("pyloom: status", markdown);
    }),
    [COMMANDS.restart]: () => ui.restart(),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

/** "2 passed, 1 failed" from `pyloom.runSnippetTests`'s answer, a list of
 * `{ name, line, status, ... }` (skipped counts as passed). */
export function testSummary(result: unknown): string | undefined {
  if (!Array.isArray(result)) {
    return undefined;
  }
  const passed = result.filter((r) => {
    const status = (r as { status?: unknown } | null)?.status;
    return status === "passed" || status === "skipped";
  }).length;
  return `${passed} passed, ${result.length - passed} failed`;
}

/** A command result as markdown: a string as is, else its `markdown`,
 * `message` or `summary` field, else pretty JSON in a code block. */
export function markdownOf(result: unknown): string {
  if (typeof result === "string") {
    return result;
  }
  const record = (result ?? {}) as Record<string, unknown>;
  const text = ["markdown", "message", "summary"].map((field) => record[field]).find((v) => typeof v === "string");
  return typeof text === "string" ? text : "```json\n" + JSON.stringify(result, null, 2) + "\n```";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
