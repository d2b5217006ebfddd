// Ghost-text completion. vscode-languageclient 9 speaks the LSP
// `textDocument/inlineCompletion` request as a proposed feature (turned on
// in extension.ts with `registerProposedFeatures`) and registers VS Code's
// InlineCompletionItemProvider for it; this middleware puts "waiting on the
// model" in the status bar while a request is in flight and drops answers
// to requests VS Code has already given up on (typing went on).

import type * as vscode from "vscode";

import type { Activity } from "./progress";

export const WAITING = "completion: waiting on the model";

type Result = vscode.ProviderResult<vscode.InlineCompletionItem[] | vscode.InlineCompletionList>;

export type Next = (
  document: vscode.TextDocument,
  position: vscode.Position,
  context: vscode.InlineCompletionContext,
  token: vscode.CancellationToken,
) => Result;

/** The `provideInlineCompletionItems` middleware. */
export function inlineCompletionMiddleware(activity: Activity) {
  return (
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
    next: Next,
  ): Promise<vscode.InlineCompletionItem[] | vscode.InlineCompletionList | null | undefined> =>
    activity.during(WAITING, async () => {
      const result = await next(document, position, context, token);
      return token.isCancellationRequested ? undefined : result;
    });
}
