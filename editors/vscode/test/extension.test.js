// Loads the built bundle (dist/extension.js) against a stand-in `vscode` module and checks
// its wiring against package.json: the commands it registers, the settings it reads, and
// its decisions before a server starts. The language client itself runs only inside VS
// Code; the protocol it speaks is tested in server.test.js.

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");
const { pathToFileURL } = require("node:url");

const ROOT = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const VAULT = path.resolve(ROOT, "../../fixtures/editors/vault");

/** A stand-in for the parts of the VS Code API the extension touches before starting. */
function fakeVscode({ folders, settings }) {
  const calls = { commands: [], settingsRead: new Set(), errors: [], log: [] };
  const disposable = { dispose() {} };
  const uri = (href) => ({
    href,
    fsPath: href.startsWith("file:") ? new URL(href).pathname : href,
    toString: () => href,
  });
  const api = {
    StatusBarAlignment: { Left: 1, Right: 2 },
    Uri: {
      parse: uri,
      file: (p) => uri(pathToFileURL(p).href),
      joinPath: (base, ...parts) => uri(pathToFileURL(path.join(base.fsPath, ...parts)).href),
    },
    RelativePattern: class {
      constructor(base, pattern) {
        Object.assign(this, { base, pattern });
      }
    },
    window: {
      createOutputChannel: () => ({ appendLine: (l) => calls.log.push(l), show() {}, dispose() {} }),
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      showErrorMessage: async (m) => {
        calls.errors.push(m);
        return undefined;
      },
      showWarningMessage: async () => undefined,
      showInformationMessage: async () => undefined,
    },
    commands: {
      registerCommand: (name) => {
        calls.commands.push(name);
        return disposable;
      },
      executeCommand: async () => undefined,
    },
    workspace: {
      workspaceFolders: folders.map((f, index) => ({ uri: uri(pathToFileURL(f).href), name: path.basename(f), index })),
      fs: { stat: async (u) => fs.promises.stat(u.fsPath) },
      getConfiguration: (section) => ({
        get: (key) => {
          calls.settingsRead.add(`${section}.${key}`);
          return settings[key];
        },
      }),
      onDidChangeConfiguration: () => disposable,
      onDidChangeWorkspaceFolders: () => disposable,
    },
    languages: { onDidChangeDiagnostics: () => disposable },
  };
  // Anything else the bundled client library reaches for at load time.
  const fallback = new Proxy(api, {
    get: (target, key) => (key in target ? target[key] : class {}),
  });
  return { vscode: fallback, calls };
}

async function activateWith(t, options) {
  const { vscode, calls } = fakeVscode(options);
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "vscode" ? vscode : load.call(this, request, ...rest);
  };
  t.after(() => {
    Module._load = load;
  });
  const bundle = path.join(ROOT, "dist/extension.js");
  delete require.cache[bundle];
  const extension = require(bundle);
  const context = { subscriptions: [], extensionPath: path.join(ROOT, "no-bundled-binary") };
  await extension.activate(context);
  return { calls, extension };
}

test("activation registers exactly the commands package.json contributes", async (t) => {
  const { calls } = await activateWith(t, { folders: [], settings: {} });
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual([...calls.commands].sort(), contributed);
  for (const c of manifest.contributes.commands) assert.equal(c.category, "twin");
});

test("every setting read is declared in package.json, and every declared one is read", async (t) => {
  const { calls } = await activateWith(t, { folders: [VAULT], settings: { "server.path": "/nonexistent/twin" } });
  const declared = Object.keys(manifest.contributes.configuration.properties);
  for (const key of calls.settingsRead) assert.ok(declared.includes(key), `${key} is read but not declared`);
  // twin.trace.server is read by vscode-languageclient itself (client id "twin").
  for (const key of declared.filter((k) => k !== "twin.trace.server")) {
    assert.ok(calls.settingsRead.has(key), `${key} is declared but never read`);
  }
});

test("outside a vault the server is not started", async (t) => {
  const { calls } = await activateWith(t, { folders: [path.join(VAULT, "Notes")], settings: {} });
  assert.deepEqual(calls.errors, []);
  assert.ok(calls.log.some((l) => /not started/.test(l)), calls.log.join("\n"));
});

test("in a vault, a wrong twin.server.path is reported, not replaced", async (t) => {
  const { calls } = await activateWith(t, { folders: [VAULT], settings: { "server.path": "/nonexistent/twin" } });
  assert.equal(calls.errors.length, 1);
  assert.match(calls.errors[0], /twin\.server\.path.*\/nonexistent\/twin/);
});

test("twin.enable=never starts nothing even in a vault", async (t) => {
  const { calls } = await activateWith(t, { folders: [VAULT], settings: { enable: "never", "server.path": "/nonexistent/twin" } });
  assert.deepEqual(calls.errors, []);
  assert.ok(calls.log.some((l) => /never/.test(l)));
});
