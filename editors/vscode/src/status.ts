// The status-bar item: whether the server runs, the Python environment it
// resolves outside names in (`pyloom/environment` from the server), and
// what it is busy with (indexing and snippet-test progress from the
// server, LLM requests from the extension's commands).

import type * as vscode from "vscode";

export type ServerState = "starting" | "running" | "stopped" | "missing";

export interface Rendered {
  text: string;
  tooltip: string;
}

/** The binary in use and where it was found, e.g. "the workspace's .venv". */
export interface Binary {
  path: string;
  source: string;
}

/** What the server says of its environment (`pyloom/environment`). */
export interface Environment {
  label: string;
  description: string;
}

export function renderStatus(state: ServerState, activity: string | undefined, binary?: Binary, environment?: Environment): Rendered {
  const from = (binary ? `\n${binary.path} (from ${binary.source})` : "") + (environment ? `\nPython environment: ${environment.description}` : "");
  if (activity && state === "running") {
    return { text: `$(sync~spin) pyloom: ${activity}`, tooltip: `pyloom is working: ${activity}${from}` };
  }
  switch (state) {
    case "starting":
      return { text: "$(sync~spin) pyloom", tooltip: `pyloom is starting${from}` };
    case "running": {
      const python = environment ? ` · ${environment.label}` : "";
      return { text: `$(check) pyloom${python}`, tooltip: `pyloom is ready; click for its status${from}` };
    }
    case "stopped":
      return { text: "$(error) pyloom", tooltip: `pyloom stopped; click to restart${from}` };
    case "missing":
      return { text: "$(warning) pyloom", tooltip: "pyloom was not found; install it, then click to look again" };
  }
}

export class StatusItem implements vscode.Disposable {
  private state: ServerState = "starting";
  private binary: Binary | undefined;
  private environment: Environment | undefined;

  constructor(
    private readonly item: vscode.StatusBarItem,
    private readonly activity: () => string | undefined,
    private readonly commands: { status: string; restart: string },
  ) {
    this.refresh();
    item.show();
  }

  setState(state: ServerState): void {
    this.state = state;
    this.refresh();
  }

  setBinary(binary: Binary | undefined): void {
    this.binary = binary;
    this.refresh();
  }

  /** The server's environment; `undefined` when a new server starts. */
  setEnvironment(environment: Environment | undefined): void {
    this.environment = environment;
    this.refresh();
  }

  dispose(): void {
    this.item.dispose();
  }

  refresh(): void {
    const { text, tooltip } = renderStatus(this.state, this.activity(), this.binary, this.environment);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = this.state === "running" ? this.commands.status : this.commands.restart;
  }
}
