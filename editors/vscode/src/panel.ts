// One reusable webview beside the editor showing markdown (explanations,
// status), rendered by VS Code's built-in markdown renderer.

import * as vscode from "vscode";

export class MarkdownPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  async show(title: string, markdown: string): Promise<void> {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel("pyloom.markdown", title, vscode.ViewColumn.Beside, {
        enableScripts: false,
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = title;
    this.panel.webview.html = page(await render(markdown));
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

async function render(markdown: string): Promise<string> {
  try {
    const html = await vscode.commands.executeCommand<string>("markdown.api.render", markdown);
    if (typeof html === "string") {
      return html;
    }
  } catch {
    // The markdown extension is disabled: show the text as it is.
  }
  return `<pre>${escapeHtml(markdown)}</pre>`;
}

export function page(body: string): string {
  // No scripts, no remote content: the text comes from a model.
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;";
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body>${body}</body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
