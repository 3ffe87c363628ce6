// The CI integrations that cannot run here: the structure of action.yml and
// .pre-commit-hooks.yaml, and the action's check step (editors/ci/action-check.sh) run for
// real with the twin binary. The upload itself only runs on GitHub.
// (Kept with the extension's tests because this is where `yaml` is installed.)

const test = require("node:test");
const assert = require("node:assert/strict");
const cp = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const YAML = require("yaml");

const REPO = path.resolve(__dirname, "../../..");
const BINARY = process.env.TWIN_BIN || path.join(REPO, "target/debug/twin");
const load = (rel) => YAML.parse(fs.readFileSync(path.join(REPO, rel), "utf8"), { strict: true, uniqueKeys: true });

test("action.yml is a composite action that uploads before it fails", () => {
  const action = load("action.yml");
  assert.equal(typeof action.name, "string");
  assert.equal(typeof action.description, "string");
  assert.equal(action.runs.using, "composite");
  for (const [name, input] of Object.entries(action.inputs)) {
    assert.equal(typeof input.description, "string", `input ${name} has a description`);
    assert.equal(typeof input.default, "string", `input ${name} default is a string`);
  }
  const steps = action.runs.steps;
  for (const step of steps) {
    assert.ok(step.run !== undefined || step.uses !== undefined, JSON.stringify(step));
    if (step.run !== undefined) assert.equal(step.shell, "bash", `${step.name} names its shell (required in composite actions)`);
  }
  const names = steps.map((s) => s.name);
  const install = steps.find((s) => /cargo install/.test(s.run ?? ""));
  const check = steps.find((s) => s.id === "check");
  const upload = steps.find((s) => (s.uses ?? "").startsWith("github/codeql-action/upload-sarif@"));
  const fail = steps[steps.length - 1];
  assert.ok(install && check && upload, names.join(", "));
  assert.match(install.run, /--path "\$GITHUB_ACTION_PATH"/, "installs the action's own version");
  assert.match(check.run, /editors\/ci\/action-check\.sh/);
  assert.ok(fs.existsSync(path.join(REPO, "editors/ci/action-check.sh")));
  assert.ok(steps.indexOf(install) < steps.indexOf(check) && steps.indexOf(check) < steps.indexOf(upload));
  assert.ok(steps.indexOf(upload) < steps.indexOf(fail));
  assert.match(upload.if, /always\(\)/, "uploads even after a failing step");
  assert.equal(upload.with.sarif_file, "${{ steps.check.outputs.sarif-file }}");
  assert.match(fail.if, /always\(\)/);
  assert.match(fail.run, /exit "\$CODE"/);
  assert.equal(fail.env.CODE, "${{ steps.check.outputs.exit-code }}");
  // Every expression names an input or a step output that exists.
  const text = fs.readFileSync(path.join(REPO, "action.yml"), "utf8");
  for (const [, name] of text.matchAll(/inputs\.([\w-]+)/g)) assert.ok(name in action.inputs, `inputs.${name}`);
  for (const [, id] of text.matchAll(/steps\.([\w-]+)\.outputs/g)) assert.ok(steps.some((s) => s.id === id), `steps.${id}`);
});

test(".pre-commit-hooks.yaml declares twin-check", () => {
  const hooks = load(".pre-commit-hooks.yaml");
  assert.ok(Array.isArray(hooks));
  const hook = hooks.find((h) => h.id === "twin-check");
  assert.ok(hook, "a twin-check hook");
  assert.equal(hook.entry, "twin check");
  assert.ok(["rust", "system"].includes(hook.language), hook.language);
  assert.equal(hook.pass_filenames, false);
  assert.equal(typeof hook.name, "string");
});

test("editors/helix/languages.toml declares the twin server for markdown", () => {
  // Helix cannot run here; Python's tomllib checks the file parses and has the shape
  // Helix reads.
  const script = `
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    print(json.dumps(tomllib.load(f)))
`;
  const run = cp.spawnSync("python3", ["-c", script, path.join(REPO, "editors/helix/languages.toml")], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const config = JSON.parse(run.stdout);
  assert.deepEqual(config["language-server"].twin.command, "twin");
  assert.deepEqual(config["language-server"].twin.args, ["lsp"]);
  assert.deepEqual(config["language-server"].twin.config, { diagnostics: { scope: "vault" } });
  const markdown = config.language.find((l) => l.name === "markdown");
  assert.ok(markdown["language-servers"].includes("twin"));
  assert.deepEqual(markdown.roots, [".obsidian", ".twin"]);
});

/** Runs check.sh in `workspace` and returns its outputs and the SARIF it wrote. */
function runCheck(workspace, vault, extraEnv = {}) {
  const outputs = path.join(workspace, "outputs.txt");
  fs.writeFileSync(outputs, "");
  const run = cp.spawnSync("bash", [path.join(REPO, "editors/ci/action-check.sh")], {
    cwd: workspace,
    encoding: "utf8",
    timeout: 60000,
    env: {
      ...process.env,
      PATH: `${path.dirname(BINARY)}${path.delimiter}${process.env.PATH}`,
      TWIN_PATH: vault,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputs,
      GITHUB_STEP_SUMMARY: "",
      ...extraEnv,
    },
  });
  assert.equal(run.status, 0, `check.sh never fails the step: ${run.stderr}`);
  const out = Object.fromEntries(
    fs.readFileSync(outputs, "utf8").trim().split("\n").map((l) => l.split("=", 2)),
  );
  return { out, sarifPath: path.join(workspace, out["sarif-file"]) };
}

function workspaceWithVault(t, sub) {
  assert.ok(fs.existsSync(BINARY), `${BINARY} is missing: build it with \`cargo build\``);
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "twin-action-"));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO, "fixtures/editors/vault"), path.join(ws, sub), { recursive: true });
  return ws;
}

const uris = (sarif) =>
  sarif.runs.flatMap((r) => r.results.flatMap((x) => [...x.locations, ...(x.relatedLocations ?? [])]))
    .map((l) => l.physicalLocation.artifactLocation.uri);

test("check.sh: a vault in a subfolder gets paths from the repository root", (t) => {
  const ws = workspaceWithVault(t, "my notes/vault");
  const { out, sarifPath } = runCheck(ws, "my notes/vault");
  assert.equal(out["exit-code"], "1", "the broken link fails the check");
  assert.equal(out.upload, "true");
  const sarif = JSON.parse(fs.readFileSync(sarifPath, "utf8"));
  assert.equal(sarif.version, "2.1.0");
  const found = uris(sarif);
  assert.ok(found.length > 0);
  for (const uri of found) {
    assert.match(uri, /^my%20notes\/vault\//);
    assert.ok(fs.existsSync(path.join(ws, decodeURIComponent(uri))), `${uri} exists from the repository root`);
  }
  assert.equal(sarif.runs[0].originalUriBaseIds, undefined);
});

test("check.sh: the job summary links findings at the checked commit", (t) => {
  const ws = workspaceWithVault(t, "my notes/vault");
  const summary = path.join(ws, "summary.md");
  fs.writeFileSync(summary, "earlier step\n");
  const { out } = runCheck(ws, "my notes/vault", {
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_REPOSITORY: "o/r",
    GITHUB_SHA: "abc123",
  });
  assert.equal(out["exit-code"], "1", "the summary does not change the exit code");
  const text = fs.readFileSync(summary, "utf8");
  assert.ok(text.startsWith("earlier step\n## twin check: "), text);
  assert.match(text, /\| Rule \| Severity \| Findings \|/);
  assert.match(text, /\]\(https:\/\/github\.example\/o\/r\/blob\/abc123\/my%20notes\/vault\/[^)]+\.md#L\d+\)/);
});

test("check.sh: a vault at the root keeps twin's paths", (t) => {
  const ws = workspaceWithVault(t, ".");
  const { out, sarifPath } = runCheck(ws, ".");
  assert.equal(out["exit-code"], "1");
  const found = uris(JSON.parse(fs.readFileSync(sarifPath, "utf8")));
  assert.ok(found.includes("Home.md"), found.join(", "));
});

test("check.sh: a configuration error skips the upload and keeps exit code 2", (t) => {
  const ws = workspaceWithVault(t, "vault");
  fs.mkdirSync(path.join(ws, "vault/.twin"));
  fs.writeFileSync(path.join(ws, "vault/.twin/config.toml"), "no-such-key = 1\n");
  const { out } = runCheck(ws, "vault");
  assert.equal(out["exit-code"], "2");
  assert.equal(out.upload, "false");
});
