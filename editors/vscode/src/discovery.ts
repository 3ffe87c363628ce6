// Finding the `twin` binary: the `twin.server.path` setting, then a binary bundled in
// the extension, then `PATH`, then Cargo's install folder. No `vscode` import.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type Source = "setting" | "bundled" | "path" | "cargo";

export type Found =
  | { ok: true; path: string; source: Source }
  | { ok: false; error: string; tried: string[] };

export interface Environment {
  /** `twin.server.path`, empty when unset. */
  settingPath: string;
  /** Where the extension is installed (`context.extensionPath`). */
  extensionPath: string;
  /** The first workspace folder, for a relative `twin.server.path`. */
  workspaceFolder?: string;
  /** `process.env.PATH`. */
  envPath?: string;
  platform?: NodeJS.Platform;
  home?: string;
  /** Whether `file` is an executable file; replaced in tests. */
  isExecutable?: (file: string) => boolean;
}

export function executableName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "twin.exe" : "twin";
}

/** The path a bundled binary has inside the extension (`server/twin`). */
export function bundledPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, "server", executableName(platform));
}

/**
 * Finds the server. An explicit setting that points nowhere is an error, not a
 * reason to run some other `twin` the user did not ask for.
 */
export function findServer(env: Environment): Found {
  const platform = env.platform ?? process.platform;
  const home = env.home ?? os.homedir();
  const isExecutable = env.isExecutable ?? defaultIsExecutable(platform);
  const tried: string[] = [];

  if (env.settingPath !== "") {
    const file = resolveSetting(env.settingPath, home, env.workspaceFolder);
    tried.push(file);
    if (isExecutable(file)) return { ok: true, path: file, source: "setting" };
    return {
      ok: false,
      error: `twin.server.path is set to "${env.settingPath}", but ${file} is not an executable file`,
      tried,
    };
  }

  const bundled = bundledPath(env.extensionPath, platform);
  tried.push(bundled);
  if (isExecutable(bundled)) return { ok: true, path: bundled, source: "bundled" };

  const name = executableName(platform);
  const separator = platform === "win32" ? ";" : ":";
  for (const dir of (env.envPath ?? "").split(separator)) {
    if (dir === "") continue;
    const file = path.join(dir, name);
    tried.push(file);
    if (isExecutable(file)) return { ok: true, path: file, source: "path" };
  }

  // `cargo install` puts binaries here, and an editor started from a desktop menu
  // often has a PATH without it.
  const cargo = path.join(home, ".cargo", "bin", name);
  tried.push(cargo);
  if (isExecutable(cargo)) return { ok: true, path: cargo, source: "cargo" };

  return {
    ok: false,
    error:
      "cannot find the twin binary: install it with `cargo install --path .` in a twin checkout " +
      "(or put it on PATH), or set twin.server.path",
    tried,
  };
}

/** `~/x` is the home folder's; a relative path is the workspace folder's. */
export function resolveSetting(setting: string, home: string, workspaceFolder?: string): string {
  let file = setting;
  if (file === "~" || file.startsWith("~/") || file.startsWith("~\\")) {
    file = path.join(home, file.slice(1));
  }
  if (!path.isAbsolute(file) && workspaceFolder !== undefined) {
    file = path.join(workspaceFolder, file);
  }
  return path.normalize(file);
}

function defaultIsExecutable(platform: NodeJS.Platform): (file: string) => boolean {
  return (file) => {
    try {
      if (!fs.statSync(file).isFile()) return false;
      if (platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}
