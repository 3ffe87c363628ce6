// Drives the real `twin lsp` through vscode-jsonrpc and vscode-languageserver-protocol,
// the libraries VS Code's language client is built on, with the capabilities and
// initializationOptions the extension sends. The binary is target/debug/twin (built by
// `cargo test` in CI), or $TWIN_BIN.

const test = require("node:test");
const assert = require("node:assert/strict");
const cp = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const rpc = require("vscode-languageserver-protocol/node");

const { initializationOptions, serverCommand, DEFAULTS } = require("../out/settings.js");
const { METHODS, coherenceScore, searchItems } = require("../out/protocol.js");

const REPO = path.resolve(__dirname, "../../..");
const VAULT = path.join(REPO, "fixtures/editors/vault");
const BINARY = process.env.TWIN_BIN || path.join(REPO, "target/debug/twin");
/** Every wait is bounded: a hung server fails the test instead of hanging CI. */
const TIMEOUT_MS = 20000;

const uri = (rel) => pathToFileURL(path.join(VAULT, rel)).href;
const read = (rel) => fs.readFileSync(path.join(VAULT, rel), "utf8");

/** The position of `needle` (+ `delta` characters) in `text`, in UTF-16 units. */
function positionOf(text, needle, delta = 0) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at + delta).split("\n");
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function withTimeout(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** What VS Code 1.8x announces for the features twin uses, but pull diagnostics. */
const PUSH_CAPABILITIES = {
  general: { positionEncodings: ["utf-16"] },
  window: { workDoneProgress: true },
  workspace: {
    workspaceFolders: true,
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    workspaceEdit: {
      documentChanges: true,
      resourceOperations: ["create", "rename", "delete"],
      failureHandling: "textOnlyTransactional",
    },
    fileOperations: { dynamicRegistration: true, willRename: true, didRename: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    completion: { completionItem: { snippetSupport: true, insertReplaceSupport: true } },
    hover: { contentFormat: ["markdown", "plaintext"] },
    definition: { linkSupport: true },
    rename: { prepareSupport: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

/**
 * What the extension's client (vscode-languageclient 9) announces: it pulls diagnostics
 * (LSP 3.17), and twin then pushes none.
 */
const CAPABILITIES = {
  ...PUSH_CAPABILITIES,
  workspace: { ...PUSH_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
  textDocument: {
    ...PUSH_CAPABILITIES.textDocument,
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
  },
};

/** A started server with a connection and every diagnostics notification it sent. */
async function startServer(t, settings, capabilities = PUSH_CAPABILITIES) {
  assert.ok(
    fs.existsSync(BINARY),
    `${BINARY} is missing: build it with \`cargo build\` (or set TWIN_BIN)`,
  );
  const { command, args } = serverCommand(BINARY);
  const child = cp.spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  const connection = rpc.createProtocolConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const published = [];
  const waiters = [];
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const w of [...waiters]) {
      if (w.predicate(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  // Requests the server may send; VS Code's client answers them the same way.
  connection.onRequest(rpc.RegistrationRequest.type, () => null);
  connection.onRequest(rpc.WorkDoneProgressCreateRequest.type, () => null);
  connection.onRequest(rpc.ConfigurationRequest.type, (params) => params.items.map(() => null));
  connection.onRequest(rpc.DiagnosticRefreshRequest.type, () => null);
  connection.onNotification(rpc.LogMessageNotification.type, () => {});
  connection.onNotification(rpc.WorkDoneProgress.type, () => {});
  connection.listen();

  /** The first publication (past or future) that satisfies `predicate`. */
  const diagnostics = (predicate, what) => {
    const seen = published.find(predicate);
    if (seen) return Promise.resolve(seen);
    return withTimeout(
      new Promise((resolve) => waiters.push({ predicate, resolve })),
      `${what} (published so far: ${JSON.stringify(published.map((p) => [p.uri, p.diagnostics.length]))}; stderr: ${stderr})`,
    );
  };
  const request = (type, params) => withTimeout(connection.sendRequest(type, params), String(type.method ?? type));

  const init = await request(rpc.InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: "Visual Studio Code", version: "1.82.0" },
    rootUri: pathToFileURL(VAULT).href,
    workspaceFolders: [{ uri: pathToFileURL(VAULT).href, name: "vault" }],
    capabilities,
    initializationOptions: initializationOptions({ ...DEFAULTS, ...settings }),
  });
  await connection.sendNotification(rpc.InitializedNotification.type, {});

  const stop = async () => {
    await request(rpc.ShutdownRequest.type, undefined);
    await connection.sendNotification(rpc.ExitNotification.type);
    const code = await withTimeout(exited, "the server to exit");
    connection.dispose();
    return code;
  };
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });
  return { init, connection, request, diagnostics, published, stop };
}

// twin underlines the link target, not the brackets.
const isBrokenNowhere = (d) => d.code === "broken-link" && /Nowhere/.test(d.message);

test("twin lsp with scope=vault: diagnostics, definition, completion after [[, rename", async (t) => {
  const server = await startServer(t, { scope: "vault" });
  const { init, connection, request } = server;

  await t.test("initialize announces what the extension uses", () => {
    assert.equal(init.serverInfo.name, "twin");
    const caps = init.capabilities;
    assert.ok(caps.completionProvider.triggerCharacters.includes("["));
    assert.ok(caps.definitionProvider);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.ok(caps.workspaceSymbolProvider, "the search command falls back to workspace symbols");
    assert.equal(caps.positionEncoding ?? "utf-16", "utf-16");
  });

  await t.test("the broken link is reported without opening the note", async () => {
    const home = await server.diagnostics(
      (p) => p.uri === uri("Home.md") && p.diagnostics.some(isBrokenNowhere),
      "broken-link diagnostics for Home.md",
    );
    const broken = home.diagnostics.find(isBrokenNowhere);
    assert.deepEqual(broken.range, {
      start: positionOf(read("Home.md"), "[[Nowhere]]", 2),
      end: positionOf(read("Home.md"), "[[Nowhere]]", 2 + "Nowhere".length),
    });
    assert.equal(broken.severity, 1, "broken-link is an error");
    assert.equal(broken.source, "twin");
  });

  const text = read("Home.md");
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uri("Home.md"), languageId: "markdown", version: 1, text },
  });

  await t.test("definition of [[Guide]] is Guide.md", async () => {
    const result = await request(rpc.DefinitionRequest.type, {
      textDocument: { uri: uri("Home.md") },
      position: positionOf(text, "[[Guide]]", 3),
    });
    const targets = (Array.isArray(result) ? result : [result]).map((l) => l.targetUri ?? l.uri);
    assert.deepEqual(targets, [uri("Guide.md")]);
  });

  await t.test("completion after a freshly typed [[ offers the vault's notes", async () => {
    const typed = `${text}Next: [[`;
    await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri("Home.md"), version: 2 },
      contentChanges: [
        {
          range: { start: positionOf(text, "", text.length), end: positionOf(text, "", text.length) },
          text: "Next: [[",
        },
      ],
    });
    const result = await request(rpc.CompletionRequest.type, {
      textDocument: { uri: uri("Home.md") },
      position: positionOf(typed, "", typed.length),
      context: { triggerKind: 2, triggerCharacter: "[" },
    });
    const items = Array.isArray(result) ? result : result.items;
    const labels = items.map((i) => i.label);
    for (const note of ["Guide", "Ideas"]) {
      assert.ok(labels.includes(note), `${note} not offered: ${labels.join(", ")}`);
    }
    // Undo the edit so the rename below sees the file's text.
    await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri("Home.md"), version: 3 },
      contentChanges: [{ text }],
    });
  });

  await t.test("renaming [[Guide]] renames the file and rewrites every link", async () => {
    const position = positionOf(text, "[[Guide]]", 3);
    const prepared = await request(rpc.PrepareRenameRequest.type, {
      textDocument: { uri: uri("Home.md") },
      position,
    });
    assert.ok(prepared, "rename is possible on a link");
    const edit = await request(rpc.RenameRequest.type, {
      textDocument: { uri: uri("Home.md") },
      position,
      newName: "Manual",
    });
    const changes = edit.documentChanges;
    assert.ok(Array.isArray(changes), JSON.stringify(edit));
    const rename = changes.find((c) => c.kind === "rename");
    assert.deepEqual([rename.oldUri, rename.newUri], [uri("Guide.md"), uri("Manual.md")]);
    const edited = changes.filter((c) => c.textDocument).map((c) => c.textDocument.uri).sort();
    assert.deepEqual(edited, [uri("Home.md"), uri("Notes/Ideas.md")].sort());
    for (const c of changes.filter((c) => c.textDocument)) {
      assert.ok(c.edits.length > 0 && c.edits.every((e) => e.newText === "Manual"), JSON.stringify(c));
    }
    // The server edits nothing on disk itself: the client applies the edit.
    assert.ok(fs.existsSync(path.join(VAULT, "Guide.md")));
  });

  await t.test("twin's own methods answer in the shapes the extension reads", async () => {
    const home = { textDocument: { uri: uri("Home.md") } };
    // The status bar asks with `{}` for the vault's score; a note's score is a number too.
    for (const params of [{}, home]) {
      const result = await withTimeout(connection.sendRequest(METHODS.coherence, params), METHODS.coherence);
      assert.notEqual(coherenceScore(result), undefined, `a score in [0, 1]: ${JSON.stringify(result)}`);
    }
    // The index opens in the background: until then the search answers from titles.
    const found = await withTimeout(connection.sendRequest(METHODS.search, { query: "guide", limit: 5 }), METHODS.search);
    const items = searchItems(found, VAULT);
    assert.ok(items.some((i) => i.uri === uri("Guide.md")), JSON.stringify(found));
    const mentions = await withTimeout(connection.sendRequest(METHODS.unlinkedMentions, home), METHODS.unlinkedMentions);
    assert.ok(Array.isArray(mentions.mentions), JSON.stringify(mentions));
    const history = await withTimeout(connection.sendRequest(METHODS.history, home), METHODS.history);
    assert.ok(Array.isArray(history.entries), JSON.stringify(history));
  });

  await t.test("twin: Open daily note: the server creates the day's note once, then finds it", async () => {
    const note = path.join(VAULT, "2031-01-03.md");
    fs.rmSync(note, { force: true });
    t.after(() => fs.rmSync(note, { force: true }));
    const open = () =>
      withTimeout(
        connection.sendRequest("workspace/executeCommand", {
          command: "twin.openDailyNote",
          arguments: ["2031-01-03", uri("Home.md")],
        }),
        "twin.openDailyNote",
      );
    const first = await open();
    assert.equal(first.uri, pathToFileURL(note).href, JSON.stringify(first));
    assert.equal(first.created, true);
    assert.ok(fs.existsSync(note));
    fs.writeFileSync(note, "kept");
    const again = await open();
    assert.equal(again.created, false);
    assert.equal(fs.readFileSync(note, "utf8"), "kept", "an existing note is never written");
  });

  assert.equal(await server.stop(), 0, "exit code after shutdown and exit");
});

test("twin lsp with scope=open: findings only for open notes, cleared on close", async (t) => {
  const server = await startServer(t, { scope: "open" });
  const { connection } = server;
  const text = read("Home.md");
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uri("Home.md"), languageId: "markdown", version: 1, text },
  });
  await server.diagnostics(
    (p) => p.uri === uri("Home.md") && p.diagnostics.some(isBrokenNowhere),
    "broken-link diagnostics for the open Home.md",
  );
  const before = server.published.length;
  await connection.sendNotification(rpc.DidCloseTextDocumentNotification.type, {
    textDocument: { uri: uri("Home.md") },
  });
  await server.diagnostics(
    (p) => server.published.indexOf(p) >= before && p.uri === uri("Home.md") && p.diagnostics.length === 0,
    "Home.md's findings to be cleared after closing it",
  );
  assert.ok(
    server.published.every((p) => p.uri === uri("Home.md")),
    `only the open note gets findings: ${server.published.map((p) => p.uri).join(", ")}`,
  );
  assert.equal(await server.stop(), 0);
});

test("as VS Code's client does, diagnostics are pulled and none are pushed", async (t) => {
  const server = await startServer(t, { scope: "vault" }, CAPABILITIES);
  const { init, connection, request } = server;
  const provider = init.capabilities.diagnosticProvider;
  assert.equal(provider.interFileDependencies, true);
  assert.equal(provider.workspaceDiagnostics, true);

  // Closed notes come through the workspace pull, sent at once as the client does.
  const workspace = await request(rpc.WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  const home = workspace.items.find((i) => i.uri === uri("Home.md"));
  assert.ok(home, `Home.md in ${JSON.stringify(workspace.items.map((i) => i.uri))}`);
  assert.equal(home.kind, "full");
  assert.ok(home.items.some(isBrokenNowhere));

  // An open note is pulled on open, then "unchanged" under its result id.
  const text = read("Home.md");
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uri("Home.md"), languageId: "markdown", version: 1, text },
  });
  const pulled = await request(rpc.DocumentDiagnosticRequest.type, { textDocument: { uri: uri("Home.md") } });
  assert.equal(pulled.kind, "full");
  const broken = pulled.items.find(isBrokenNowhere);
  assert.deepEqual(broken.range, {
    start: positionOf(text, "[[Nowhere]]", 2),
    end: positionOf(text, "[[Nowhere]]", 2 + "Nowhere".length),
  });
  const again = await request(rpc.DocumentDiagnosticRequest.type, {
    textDocument: { uri: uri("Home.md") },
    previousResultId: pulled.resultId,
  });
  assert.deepEqual(again, { kind: "unchanged", resultId: pulled.resultId });
  assert.deepEqual(
    server.published.filter((p) => p.uri.endsWith(".md")),
    [],
    "a pulling client is pushed no note diagnostics",
  );
  assert.equal(await server.stop(), 0);
});
