// A stub of the `vscode` module for unit tests: just the API the extension's
// commands and panel use, recording what they show. Importing this file
// first makes `require("vscode")` resolve to it.

import Module from "node:module";

type Resolver = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolver };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === "vscode" ? __filename : resolve.call(this, request, ...rest);
};

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export enum ViewColumn {
  Beside = -2,
}

export enum StatusBarAlignment {
  Left = 1,
}

export interface Shown {
  kind: "info" | "warning" | "error";
  message: string;
}

/** What the code under test did; reset between tests. */
export const recorded = {
  shown: [] as Shown[],
  inputs: [] as (string | undefined)[],
  commands: new Map<string, () => Promise<void>>(),
  webviews: [] as { title: string; html: string }[],
};

export function reset(): void {
  recorded.shown = [];
  recorded.inputs = [];
  recorded.commands.clear();
  recorded.webviews = [];
  window.activeTextEditor = undefined;
}

interface StubEditor {
  document: { languageId: string; uri: string };
  selection: Selection;
}

export const window = {
  activeTextEditor: undefined as StubEditor | undefined,
  showInformationMessage: (message: string) => show("info", message),
  showWarningMessage: (message: string) => show("warning", message),
  showErrorMessage: (message: string) => show("error", message),
  showInputBox: () => Promise.resolve(recorded.inputs.shift()),
  createWebviewPanel: (_type: string, title: string) => {
    const view = { title, html: "" };
    recorded.webviews.push(view);
    return {
      get title() {
        return view.title;
      },
      set title(value: string) {
        view.title = value;
      },
      webview: {
        get html() {
          return view.html;
        },
        set html(value: string) {
          view.html = value;
        },
      },
      onDidDispose: () => ({ dispose() {} }),
      reveal: () => {},
      dispose: () => {},
    };
  },
};

export const commands = {
  registerCommand: (id: string, handler: () => Promise<void>) => {
    recorded.commands.set(id, handler);
    return { dispose: () => recorded.commands.delete(id) };
  },
  // The markdown extension is "disabled": rendering falls back to <pre>.
  executeCommand: () => Promise.reject(new Error("command not found")),
};

function show(kind: Shown["kind"], message: string): Promise<undefined> {
  recorded.shown.push({ kind, message });
  return Promise.resolve(undefined);
}

/** An editor on a Python file with the cursor (or selection) given. */
export function pythonEditor(uri: string, anchor: Position, active: Position = anchor): StubEditor {
  return { document: { languageId: "python", uri }, selection: new Selection(anchor, active) };
}
