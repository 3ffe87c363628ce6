// The VS Code side: starts `twin lsp` for markdown in vaults, and adds the commands and
// the status bar. Everything that can be decided without VS Code lives in settings.ts,
// discovery.ts and protocol.ts, which the tests run under plain Node.

import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";

import { findServer } from "./discovery";
import {
  type Item,
  METHODS,
  SHOW_REFERENCES,
  coherenceScore,
  coherenceStatus,
  historyItems,
  isMethodNotFound,
  mentionItems,
  referenceArgs,
  searchItems,
  symbolItems,
} from "./protocol";
import {
  VAULT_MARKERS,
  documentSelector,
  initializationOptions,
  needsRestart,
  readSettings,
  serverCommand,
  shouldStart,
} from "./settings";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
/** False once the server answered MethodNotFound to `twin/coherence`. */
let coherenceSupported = true;
let coherenceTimer: ReturnType<typeof setTimeout> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("twin");
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.command = "twin.search";
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("twin.search", search),
    vscode.commands.registerCommand("twin.showHistory", showHistory),
    vscode.commands.registerCommand("twin.showReport", showReport),
    vscode.commands.registerCommand("twin.openDaily", openDaily),
    vscode.commands.registerCommand("twin.showUnlinkedMentions", showUnlinkedMentions),
    vscode.commands.registerCommand("twin.restartServer", () => restart(context)),
    vscode.commands.registerCommand(SHOW_REFERENCES, showReferences),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        void restart(context);
      }
      // Other twin.* settings reach the server through didChangeConfiguration.
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => restart(context)),
    vscode.languages.onDidChangeDiagnostics(() => scheduleCoherence()),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** Workspace folders holding `.obsidian/` or `.twin/`. */
async function vaultFolders(): Promise<vscode.WorkspaceFolder[]> {
  const vaults: vscode.WorkspaceFolder[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const marker of VAULT_MARKERS) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, marker));
        vaults.push(folder);
        break;
      } catch {
        // Not this marker.
      }
    }
  }
  return vaults;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const settings = readSettings((key) => vscode.workspace.getConfiguration("twin").get(key));
  const vaults = await vaultFolders();
  if (!shouldStart(settings.enable, vaults.map((f) => f.uri.toString()))) {
    output.appendLine(
      settings.enable === "never"
        ? "twin.enable is \"never\": the server is not started."
        : "No workspace folder has .obsidian/ or .twin/: the server is not started (set twin.enable to \"always\" to force it).",
    );
    status.hide();
    return;
  }
  const found = findServer({
    settingPath: settings.serverPath,
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    envPath: process.env.PATH,
  });
  if (!found.ok) {
    output.appendLine(`${found.error}\nTried:\n  ${found.tried.join("\n  ")}`);
    const choice = await vscode.window.showErrorMessage(found.error, "Open Settings", "Show Log");
    if (choice === "Open Settings") {
      void vscode.commands.executeCommand("workbench.action.openSettings", "twin.server.path");
    } else if (choice === "Show Log") {
      output.show();
    }
    return;
  }
  output.appendLine(`Starting ${found.path} lsp (found through ${found.source}).`);

  const { command, args } = serverCommand(found.path);
  const executable = { command, args, transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    // A RelativePattern instance: VS Code matches it without any escaping of folder
    // names, and the client passes patterns through untouched (its 3.17 types only
    // declare string patterns, hence the cast).
    documentSelector: documentSelector(
      settings.enable,
      vaults.map((f) => f.uri.toString()),
    ).map((filter) => ({
      scheme: filter.scheme,
      language: filter.language,
      ...(filter.pattern && {
        pattern: new vscode.RelativePattern(vscode.Uri.parse(filter.pattern.baseUri), filter.pattern.pattern),
      }),
    })) as unknown as LanguageClientOptions["documentSelector"],
    initializationOptions: initializationOptions(settings),
    // Sends `{"twin": {...}}` in workspace/didChangeConfiguration; the server reads
    // `twin.diagnostics.scope` from it. `twin.trace.server` is read by the client itself.
    synchronize: { configurationSection: "twin" },
    outputChannel: output,
  };
  client = new LanguageClient("twin", "twin", serverOptions, clientOptions);
  client.onDidChangeState((event) => {
    if (event.newState === State.Stopped) status.hide();
  });
  coherenceSupported = true;
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The server did not start: ${String(error)}`);
    void vscode.window.showErrorMessage(`twin: the language server did not start (${String(error)})`);
    client = undefined;
    return;
  }
  client.onNotification(METHODS.coherence, (params: unknown) => showScore(coherenceScore(params)));
  showScore(undefined);
  scheduleCoherence();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (coherenceTimer !== undefined) clearTimeout(coherenceTimer);
  if (running !== undefined && running.state !== State.Stopped) {
    try {
      await running.stop();
    } catch (error) {
      // A server that died or never finished starting: nothing left to stop.
      output.appendLine(`Stopping the server: ${String(error)}`);
    }
  }
  status?.hide();
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

function showScore(score: number | undefined): void {
  const { text, tooltip } = coherenceStatus(score);
  status.text = text;
  status.tooltip = `${tooltip}\nClick to search the vault.`;
  status.show();
}

/** Asks for the score a moment after diagnostics settle. */
function scheduleCoherence(): void {
  if (client === undefined || !coherenceSupported) return;
  if (coherenceTimer !== undefined) clearTimeout(coherenceTimer);
  coherenceTimer = setTimeout(() => void refreshCoherence(), 1000);
}

async function refreshCoherence(): Promise<void> {
  const running = client;
  if (running === undefined || running.state !== State.Running) return;
  try {
    showScore(coherenceScore(await running.sendRequest(METHODS.coherence, {})));
  } catch (error) {
    if (isMethodNotFound(error)) {
      coherenceSupported = false;
      output.appendLine(`This server has no ${METHODS.coherence}: the status bar shows no score.`);
    }
    showScore(undefined);
  }
}

function running(): LanguageClient | undefined {
  if (client === undefined || client.state !== State.Running) {
    void vscode.window.showWarningMessage("twin: the language server is not running.");
    return undefined;
  }
  return client;
}

function vaultRoot(uri?: vscode.Uri): string | undefined {
  const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

async function open(item: Item): Promise<void> {
  if (item.uri === undefined) return;
  const selection =
    item.range === undefined
      ? undefined
      : new vscode.Range(
          item.range.start.line,
          item.range.start.character,
          item.range.end.line,
          item.range.end.character,
        );
  await vscode.window.showTextDocument(vscode.Uri.parse(item.uri), { selection });
}

type PickItem = vscode.QuickPickItem & { item: Item };

function toPick(item: Item): PickItem {
  return { label: item.label, description: item.description, detail: item.detail, item };
}

/** A reference lens was clicked: VS Code's references peek at the lens. */
async function showReferences(...args: unknown[]): Promise<void> {
  const parsed = referenceArgs(args);
  if (parsed === undefined) return;
  const range = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  await vscode.commands.executeCommand(
    "editor.action.showReferences",
    vscode.Uri.parse(parsed.uri),
    new vscode.Position(parsed.position.line, parsed.position.character),
    parsed.locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), range(l.range))),
  );
}

/** "twin: Search vault": `twin/search` as you type, or workspace symbols without it. */
async function search(): Promise<void> {
  const c = running();
  if (c === undefined) return;
  const root = vaultRoot();
  const pick = vscode.window.createQuickPick<PickItem>();
  pick.placeholder = "Search the vault";
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  let useSymbols = false;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const query = async (text: string) => {
    const mine = ++generation;
    pick.busy = true;
    try {
      let items: Item[] = [];
      if (!useSymbols) {
        try {
          items = searchItems(await c.sendRequest(METHODS.search, { query: text, limit: 50 }), root);
        } catch (error) {
          if (!isMethodNotFound(error)) throw error;
          useSymbols = true;
          pick.title = "Notes and headings (this server has no twin/search)";
        }
      }
      if (useSymbols) {
        items = symbolItems(await c.sendRequest("workspace/symbol", { query: text }), root);
      }
      if (mine === generation) pick.items = items.map(toPick);
    } catch (error) {
      if (mine === generation) pick.title = `Search failed: ${String(error)}`;
    } finally {
      if (mine === generation) pick.busy = false;
    }
  };
  pick.onDidChangeValue((text) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void query(text), 150);
  });
  pick.onDidAccept(() => {
    const chosen = pick.selectedItems[0];
    pick.hide();
    if (chosen !== undefined) void open(chosen.item);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
  void query("");
}

function activeNote(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== "markdown") {
    void vscode.window.showInformationMessage("twin: open a note first.");
    return undefined;
  }
  return editor.document.uri;
}

/** "twin: Show history of this note": `twin/history`, else VS Code's Timeline view. */
/** Asks the server to write the vault's report (twin.server.report) and opens it. */
async function showReport(): Promise<void> {
  const c = running();
  if (c === undefined) return;
  const editor = vscode.window.activeTextEditor;
  const args = editor?.document.languageId === "markdown" ? [editor.document.uri.toString()] : [];
  try {
    const answer = (await c.sendRequest("workspace/executeCommand", {
      command: "twin.server.report",
      arguments: args,
    })) as { path?: string } | null;
    if (typeof answer?.path !== "string") throw new Error("the server wrote no report");
    await vscode.env.openExternal(vscode.Uri.file(answer.path));
  } catch (error) {
    void vscode.window.showErrorMessage(`twin: cannot show the report: ${String(error)}`);
  }
}

/**
 * "twin: Open daily note": the server finds (or creates from the template) the daily note
 * (twin.openDailyNote; the language client registers that name itself) and it is opened.
 */
async function openDaily(): Promise<void> {
  const c = running();
  if (c === undefined) return;
  const editor = vscode.window.activeTextEditor;
  const day = await vscode.window.showInputBox({
    prompt: "twin: which day? (today, yesterday, tomorrow, a weekday, next monday, YYYY-MM-DD)",
    value: "today",
  });
  if (day === undefined) return;
  const args = editor?.document.languageId === "markdown" ? [day, editor.document.uri.toString()] : [day];
  try {
    const answer = (await c.sendRequest("workspace/executeCommand", {
      command: "twin.openDailyNote",
      arguments: args,
    })) as { uri?: string } | null;
    if (typeof answer?.uri !== "string") throw new Error("the server named no note");
    await vscode.window.showTextDocument(vscode.Uri.parse(answer.uri));
  } catch (error) {
    void vscode.window.showErrorMessage(`twin: cannot open the daily note: ${String(error)}`);
  }
}

async function showHistory(): Promise<void> {
  const c = running();
  const uri = activeNote();
  if (c === undefined || uri === undefined) return;
  let items: Item[];
  try {
    items = historyItems(
      await c.sendRequest(METHODS.history, { textDocument: { uri: uri.toString() } }),
    );
  } catch (error) {
    if (isMethodNotFound(error)) {
      void vscode.window.showInformationMessage(
        "twin: this server records no note history yet; showing VS Code's Timeline instead.",
      );
      await vscode.commands.executeCommand("timeline.focus");
      return;
    }
    void vscode.window.showErrorMessage(`twin: history failed: ${String(error)}`);
    return;
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage("twin: no recorded history for this note (see twin.history.record).");
    return;
  }
  const chosen = await vscode.window.showQuickPick(items.map(toPick), {
    title: "History of this note",
    matchOnDetail: true,
  });
  if (chosen !== undefined) await open(chosen.item);
}

/** "twin: Show unlinked mentions": places that name this note without linking to it. */
async function showUnlinkedMentions(): Promise<void> {
  const c = running();
  const uri = activeNote();
  if (c === undefined || uri === undefined) return;
  let items: Item[];
  try {
    items = mentionItems(
      await c.sendRequest(METHODS.unlinkedMentions, { textDocument: { uri: uri.toString() } }),
      vaultRoot(uri),
    );
  } catch (error) {
    const message = isMethodNotFound(error)
      ? "twin: this server does not offer unlinked mentions yet (twin/unlinkedMentions)."
      : `twin: unlinked mentions failed: ${String(error)}`;
    void vscode.window.showInformationMessage(message);
    return;
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage("twin: no unlinked mentions of this note.");
    return;
  }
  const chosen = await vscode.window.showQuickPick(items.map(toPick), {
    title: "Unlinked mentions",
    matchOnDetail: true,
  });
  if (chosen !== undefined) await open(chosen.item);
}
