// Wiring: find the binary, start `pyloom serve` with vscode-languageclient,
// keep it running (restart with backoff after a crash), forward settings,
// and connect commands, the status bar and the output channel.

import * as fs from "node:fs";

import * as vscode from "vscode";
import {
  CloseAction,
  type CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  type ErrorHandler,
  ExecuteCommandRequest,
  LanguageClient,
  State,
} from "vscode-languageclient/node";

import { Backoff } from "./backoff";
import { findBinary } from "./binary";
import { COMMANDS, registerCommands, type Server } from "./commands";
import { inlineCompletionMiddleware } from "./inline";
import { MarkdownPanel } from "./panel";
import { Activity } from "./progress";
import { serverSettings } from "./settings";
import { type Environment, StatusItem } from "./status";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("pyloom");
  // Activity reports changes only once work starts, after `status` exists.
  const activity = new Activity(() => status.refresh());
  const status = new StatusItem(
    vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left),
    () => activity.summary(),
    { status: COMMANDS.status, restart: COMMANDS.restart },
  );
  const backoff = new Backoff();
  const panel = new MarkdownPanel();
  let binary: string | undefined;

  const start = async (): Promise<void> => {
    const found = findBinary(
      vscode.workspace.getConfiguration("pyloom").get<string>("path"),
      // A repository must not choose the binary that runs: its .venv is
      // searched only once the workspace is trusted.
      vscode.workspace.isTrusted
        ? (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath)
        : [],
      process.env,
      isExecutable,
    );
    if ("error" in found) {
      status.setBinary(undefined);
      status.setState("missing");
      output.appendLine(found.error);
      void showMissing(found.error);
      return;
    }
    binary = found.path;
    status.setBinary(found);
    output.appendLine(`pyloom: using ${found.path} (from ${found.source})`);
    client = newClient(found.path, output, activity, backoff);
    status.setEnvironment(undefined);
    client.onNotification("pyloom/environment", (environment: Environment) => status.setEnvironment(environment));
    client.onDidChangeState(({ newState }) => {
      status.setState(newState === State.Running ? "running" : newState === State.Starting ? "starting" : "stopped");
      if (newState !== State.Running) {
        activity.clear();
      }
    });
    try {
      await client.start();
    } catch (error) {
      output.appendLine(`pyloom did not start: ${String(error)}`);
      status.setState("stopped");
    }
  };

  const stop = async (): Promise<void> => {
    const old = client;
    client = undefined;
    if (old?.isRunning()) {
      await old.stop();
    }
  };

  const server = (): Server | undefined => (client?.isRunning() ? adapt(client, binary ?? "") : undefined);
  context.subscriptions.push(
    output,
    status,
    panel,
    ...registerCommands(server, activity, {
      showMarkdown: (title, markdown) => panel.show(title, markdown),
      restart: async () => {
        backoff.reset();
        await stop();
        await start();
      },
    }),
    // Trust lets the workspace's .venv be searched: look again.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("pyloom.path")) {
        await stop();
        await start();
      } else if (event.affectsConfiguration("pyloom") && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { pyloom: serverSettings(vscode.workspace.getConfiguration("pyloom")) },
        });
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function newClient(binary: string, output: vscode.OutputChannel, activity: Activity, backoff: Backoff): LanguageClient {
  const languageClient = new LanguageClient(
    "pyloom",
    "pyloom",
    { command: binary, args: ["serve"] },
    {
      documentSelector: [
        { scheme: "file", language: "python" },
        { scheme: "untitled", language: "python" },
        // The Python cells of Jupyter notebooks: the server advertises
        // notebookDocumentSync, and the client sends the notebook whole.
        { notebook: "jupyter-notebook", language: "python" },
      ],
      // The server's stderr log lands here too.
      outputChannel: output,
      initializationOptions: serverSettings(vscode.workspace.getConfiguration("pyloom")),
      errorHandler: restartWithBackoff(backoff, output),
      middleware: {
        // Server progress (indexing, snippet tests) also feeds the status
        // bar; the client's own progress UI still gets every value.
        handleWorkDoneProgress: (token, params, next) => {
          activity.progress(token, params);
          next(token, params);
        },
        provideInlineCompletionItems: inlineCompletionMiddleware(activity),
      },
    },
  );
  // Ghost-text completion (`textDocument/inlineCompletion`) is a proposed
  // feature in this client version.
  languageClient.registerProposedFeatures();
  return languageClient;
}

/** Restarts a crashed server after a growing delay, up to a limit. */
function restartWithBackoff(backoff: Backoff, output: vscode.OutputChannel): ErrorHandler {
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: async (): Promise<CloseHandlerResult> => {
      const decision = backoff.crashed();
      if ("giveUp" in decision) {
        return { action: CloseAction.DoNotRestart, message: `pyloom: ${decision.giveUp}` };
      }
      output.appendLine(`pyloom stopped unexpectedly; restarting in ${decision.restartAfterMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, decision.restartAfterMs));
      return { action: CloseAction.Restart };
    },
  };
}

function adapt(languageClient: LanguageClient, binary: string): Server {
  const convert = languageClient.code2ProtocolConverter;
  return {
    provides: (command) =>
      languageClient.initializeResult?.capabilities.executeCommandProvider?.commands.includes(command) ?? false,
    execute: (command, argument) =>
      languageClient.sendRequest(ExecuteCommandRequest.type, {
        command,
        arguments: argument === undefined ? [] : [argument],
      }),
    uri: (document) => convert.asUri(document.uri),
    range: (range) => convert.asRange(range),
    position: (position) => convert.asPosition(position),
    describe: () => {
      const info = languageClient.initializeResult?.serverInfo;
      return `# pyloom\n\n- binary: \`${binary}\`\n- server: ${info?.name ?? "?"} ${info?.version ?? ""}`;
    },
  };
}

/** Says pyloom is missing and how to install it, with a way to the setting. */
async function showMissing(error: string): Promise<void> {
  const settings = "Set pyloom.path";
  if ((await vscode.window.showErrorMessage(`pyloom: ${error}`, settings)) === settings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "pyloom.path");
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
