// Binary discovery: setting → bundled → PATH → ~/.cargo/bin, on fake and real files.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { findServer, resolveSetting, bundledPath } = require("../out/discovery.js");

const fake = (files) => (file) => files.includes(file);
const base = { extensionPath: "/ext", home: "/home/u", platform: "linux" };

test("the setting wins, and a wrong setting is an error, not a fallback", () => {
  const files = ["/opt/twin", "/ext/server/twin", "/usr/bin/twin"];
  assert.deepEqual(
    findServer({ ...base, settingPath: "/opt/twin", envPath: "/usr/bin", isExecutable: fake(files) }),
    { ok: true, path: "/opt/twin", source: "setting" },
  );
  const missing = findServer({ ...base, settingPath: "/nope/twin", envPath: "/usr/bin", isExecutable: fake(files) });
  assert.equal(missing.ok, false);
  assert.match(missing.error, /twin\.server\.path.*\/nope\/twin/);
  assert.deepEqual(missing.tried, ["/nope/twin"]);
});

test("without a setting: bundled, then PATH in order, then ~/.cargo/bin", () => {
  const env = { ...base, settingPath: "", envPath: "/a::/b:/c" };
  assert.equal(findServer({ ...env, isExecutable: fake(["/ext/server/twin", "/b/twin"]) }).source, "bundled");
  assert.deepEqual(findServer({ ...env, isExecutable: fake(["/b/twin", "/c/twin"]) }), {
    ok: true,
    path: "/b/twin",
    source: "path",
  });
  assert.deepEqual(findServer({ ...env, isExecutable: fake(["/home/u/.cargo/bin/twin"]) }), {
    ok: true,
    path: "/home/u/.cargo/bin/twin",
    source: "cargo",
  });
  const none = findServer({ ...env, isExecutable: fake([]) });
  assert.equal(none.ok, false);
  assert.deepEqual(none.tried, [
    "/ext/server/twin",
    "/a/twin",
    "/b/twin",
    "/c/twin",
    "/home/u/.cargo/bin/twin",
  ]);
});

test("Windows looks for twin.exe and splits PATH on ';'", () => {
  const env = { ...base, platform: "win32", settingPath: "", envPath: "/a;/b" };
  const found = findServer({ ...env, isExecutable: fake([path.join("/b", "twin.exe")]) });
  assert.deepEqual(found, { ok: true, path: path.join("/b", "twin.exe"), source: "path" });
  assert.equal(bundledPath("/ext", "win32"), path.join("/ext", "server", "twin.exe"));
});

test("~ and relative settings resolve against home and the workspace", () => {
  assert.equal(resolveSetting("~/bin/twin", "/home/u"), "/home/u/bin/twin");
  assert.equal(resolveSetting("target/debug/twin", "/home/u", "/w"), "/w/target/debug/twin");
  assert.equal(resolveSetting("/abs/twin", "/home/u", "/w"), "/abs/twin");
});

test("on real files only executable files count", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twin-discovery-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "twin"), "#!/bin/sh\n", { mode: 0o644 });
  fs.mkdirSync(path.join(dir, "dir", "twin"), { recursive: true });
  const env = { settingPath: "", extensionPath: path.join(dir, "ext"), home: dir, envPath: `${path.join(dir, "dir")}:${bin}` };
  assert.equal(findServer(env).ok, false, "a non-executable file and a folder are skipped");
  fs.chmodSync(path.join(bin, "twin"), 0o755);
  assert.deepEqual(findServer(env), { ok: true, path: path.join(bin, "twin"), source: "path" });
});
