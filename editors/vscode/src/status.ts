// The status-bar item: whether the server runs, and what it is busy with
// (indexing and snippet-test progress from the server, LLM requests from
// the extension's commands).

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

export function renderStatus(state: ServerState, activity: string | undefined, binary?: Binary): Rendered {
  const from = binary ? `\n${binary.path} (from ${binary.source})` : "";
  if (activity && state === "running") {
    return { text: `$(sync~spin) pyloom: ${activity}`, tooltip: `pyloom is working: ${activity}${from}` };
  }
  switch (state) {
    case "starting":
      return { text: "$(sync~spin) pyloom", tooltip: `pyloom is starting${from}` };
    case "running":
      return { text: "$(check) pyloom", tooltip: `pyloom is ready; click for its status${from}` };
    case "stopped":
      return { text: "$(error) pyloom", tooltip: `pyloom stopped; click to restart${from}` };
    case "missing":
      return { text: "$(warning) pyloom", tooltip: "pyloom was not found; install it, then click to look again" };
  }
}

export class StatusItem implements vscode.Disposable {
  private state: ServerState = "starting";
  private binary: Binary | undefined;

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

  dispose(): void {
    this.item.dispose();
  }

  refresh(): void {
    const { text, tooltip } = renderStatus(this.state, this.activity(), this.binary);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = this.state === "running" ? this.commands.status : this.commands.restart;
  }
}
