// Settings → what the server gets, without VS Code.
const test = require("node:test");
const assert = require("node:assert/strict");
const {
  DEFAULTS,
  readSettings,
  initializationOptions,
  serverCommand,
  shouldStart,
  documentSelector,
  needsRestart,
} = require("../out/settings.js");

const getter = (values) => (key) => values[key];

test("unset settings take the defaults", () => {
  assert.deepEqual(readSettings(getter({})), DEFAULTS);
});

test("settings are read and invalid values fall back", () => {
  const s = readSettings(
    getter({
      enable: "always",
      "server.path": "  /opt/twin/bin/twin ",
      "diagnostics.scope": "open",
      "history.record": true,
      "inlayHints.enable": false,
      "trace.server": "verbose",
    }),
  );
  assert.deepEqual(s, {
    enable: "always",
    serverPath: "/opt/twin/bin/twin",
    scope: "open",
    recordHistory: true,
    inlayHints: false,
    trace: "verbose",
  });
  const bad = readSettings(
    getter({ enable: "sometimes", "diagnostics.scope": "all", "history.record": "yes", "server.path": 3 }),
  );
  assert.equal(bad.enable, "auto");
  assert.equal(bad.scope, "vault");
  assert.equal(bad.recordHistory, true, "recording is on unless turned off");
  assert.equal(bad.serverPath, "");
});

test("initializationOptions carry the scope the server reads", () => {
  const options = initializationOptions({ ...DEFAULTS, scope: "open", recordHistory: true });
  assert.deepEqual(options, {
    diagnostics: { scope: "open" },
    history: { record: true },
    inlayHints: { enable: true },
  });
  // What the server parses: /diagnostics/scope.
  assert.equal(JSON.parse(JSON.stringify(options)).diagnostics.scope, "open");
});

test("the server runs as `<binary> lsp`", () => {
  assert.deepEqual(serverCommand("/x/twin"), { command: "/x/twin", args: ["lsp"] });
});

test("the server starts in vaults, or everywhere when forced", () => {
  assert.equal(shouldStart("auto", []), false);
  assert.equal(shouldStart("auto", ["file:///v"]), true);
  assert.equal(shouldStart("always", []), true);
  assert.equal(shouldStart("never", ["file:///v"]), false);
});

test("the document selector covers markdown in vault folders only", () => {
  assert.deepEqual(documentSelector("auto", ["file:///notes/%5Bdraft%5D", "file:///work"]), [
    { scheme: "file", language: "markdown", pattern: { baseUri: "file:///notes/%5Bdraft%5D", pattern: "**/*" } },
    { scheme: "file", language: "markdown", pattern: { baseUri: "file:///work", pattern: "**/*" } },
  ]);
  assert.deepEqual(documentSelector("always", []), [{ scheme: "file", language: "markdown" }]);
});

test("changing the binary, enable or history restarts; scope and trace do not", () => {
  const only = (name) => (section) => section === name;
  assert.equal(needsRestart(only("twin.server.path")), true);
  assert.equal(needsRestart(only("twin.enable")), true);
  assert.equal(needsRestart(only("twin.history.record")), true);
  assert.equal(needsRestart(only("twin.diagnostics.scope")), false);
  assert.equal(needsRestart(only("twin.trace.server")), false);
});
