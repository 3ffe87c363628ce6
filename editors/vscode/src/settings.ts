// The extension's settings and what they turn into for the language server.
// No `vscode` import: this module runs under `node --test` outside VS Code.

export type Scope = "open" | "vault";
export type Enable = "auto" | "always" | "never";
export type Trace = "off" | "messages" | "verbose";

/** The `twin.*` settings, already validated. */
export interface Settings {
  enable: Enable;
  serverPath: string;
  scope: Scope;
  recordHistory: boolean;
  inlayHints: boolean;
  trace: Trace;
}

export const DEFAULTS: Settings = {
  enable: "auto",
  serverPath: "",
  scope: "vault",
  recordHistory: true,
  inlayHints: true,
  trace: "off",
};

/** Reads settings through a getter such as `workspace.getConfiguration("twin").get`. */
export function readSettings(get: (key: string) => unknown): Settings {
  return {
    enable: oneOf(get("enable"), ["auto", "always", "never"], DEFAULTS.enable),
    serverPath: typeof get("server.path") === "string" ? (get("server.path") as string).trim() : "",
    scope: oneOf(get("diagnostics.scope"), ["open", "vault"], DEFAULTS.scope),
    recordHistory: get("history.record") !== false,
    inlayHints: get("inlayHints.enable") !== false,
    trace: oneOf(get("trace.server"), ["off", "messages", "verbose"], DEFAULTS.trace),
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

/**
 * `initializationOptions` for `twin lsp`. The server reads
 * `{"diagnostics": {"scope": ...}}` (also nested under `"twin"` in
 * `workspace/didChangeConfiguration`) and `{"history": {"record": ...}}`: whether it
 * records findings on save and renames in the vault's `.twin/trace.jsonl`; and
 * `{"inlayHints": {"enable": ...}}`: whether it answers inlay hints.
 */
export function initializationOptions(settings: Settings): {
  diagnostics: { scope: Scope };
  history: { record: boolean };
  inlayHints: { enable: boolean };
} {
  return {
    diagnostics: { scope: settings.scope },
    history: { record: settings.recordHistory },
    inlayHints: { enable: settings.inlayHints },
  };
}

/** The command line of the server: always `twin lsp`, whichever binary was found. */
export function serverCommand(binary: string): { command: string; args: string[] } {
  return { command: binary, args: ["lsp"] };
}

/** Files in a folder that mark it as a vault. */
export const VAULT_MARKERS = [".obsidian", ".twin"] as const;

/**
 * Whether to start the server, given which workspace folders are vaults.
 * `always` starts it for every markdown file; `never` not at all.
 */
export function shouldStart(enable: Enable, vaultFolders: readonly string[]): boolean {
  if (enable === "never") return false;
  if (enable === "always") return true;
  return vaultFolders.length > 0;
}

export interface DocumentFilter {
  scheme: string;
  language: string;
  /** An LSP `RelativePattern`: `pattern` matched below the folder `baseUri`. */
  pattern?: { baseUri: string; pattern: string };
}

/**
 * The documents the client hands to the server: markdown files inside vault folders
 * (given as URIs), or every markdown file on disk when forced. A relative pattern
 * needs no escaping of folder names such as `[draft]`.
 */
export function documentSelector(enable: Enable, vaultFolderUris: readonly string[]): DocumentFilter[] {
  if (enable === "always") return [{ scheme: "file", language: "markdown" }];
  return vaultFolderUris.map((baseUri) => ({
    scheme: "file",
    language: "markdown",
    pattern: { baseUri, pattern: "**/*" },
  }));
}

/** Which settings need a server restart when they change (the rest are sent live). */
export function needsRestart(changed: (section: string) => boolean): boolean {
  return ["twin.enable", "twin.server.path", "twin.history.record"].some(changed);
}
