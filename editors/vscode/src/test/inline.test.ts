import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type * as vscode from "vscode";

import { WAITING, inlineCompletionMiddleware } from "../inline";
import { Activity } from "../progress";

const document = {} as vscode.TextDocument;
const position = {} as vscode.Position;
const context = {} as vscode.InlineCompletionContext;
const token = (cancelled: boolean) => ({ isCancellationRequested: cancelled }) as vscode.CancellationToken;
const item = { insertText: "total(items)" } as vscode.InlineCompletionItem;

describe("inline completion middleware", () => {
  it("shows that completion waits on the model while the request runs", async () => {
    const activity = new Activity();
    let during: string | undefined;
    const items = await inlineCompletionMiddleware(activity)(document, position, context, token(false), () => {
      during = activity.summary();
      return Promise.resolve([item]);
    });
    assert.equal(during, WAITING);
    assert.deepEqual(items, [item]);
    assert.equal(activity.summary(), undefined);
  });

  it("drops the answer to a request VS Code gave up on", async () => {
    const activity = new Activity();
    const items = await inlineCompletionMiddleware(activity)(document, position, context, token(true), () => [item]);
    assert.equal(items, undefined);
  });

  it("stops waiting when the request fails", async () => {
    const activity = new Activity();
    const failing = () => Promise.reject(new Error("provider down"));
    await assert.rejects(inlineCompletionMiddleware(activity)(document, position, context, token(false), failing));
    assert.equal(activity.summary(), undefined);
  });
});
