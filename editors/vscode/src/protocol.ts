// twin's own LSP methods and tolerant readers of their answers. No `vscode` import.
//
// `twin lsp` answers the methods below besides the standard ones. An older server that
// lacks one answers MethodNotFound, and the extension then says so instead of failing
// (the status bar simply stays without a score).

export const METHODS = {
  /** Request `{query, limit}` → a list of hits. */
  search: "twin/search",
  /** Request `{textDocument: {uri}}` → places that name the note without linking it. */
  unlinkedMentions: "twin/unlinkedMentions",
  /** Request `{textDocument: {uri}}` → the note's recorded versions, newest first. */
  history: "twin/history",
  /** Request `{}` → `{score}`; also a notification `{score}` the server may push. */
  coherence: "twin/coherence",
} as const;

/** The client command of twin's reference lenses: `[uri, position, locations]`. */
export const SHOW_REFERENCES = "twin.showReferences";

/** JSON-RPC's "method not found". */
export const METHOD_NOT_FOUND = -32601;

export function isMethodNotFound(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === METHOD_NOT_FOUND
  );
}

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** A place to show in a picker: a label, a description, and where it leads. */
export interface Item {
  label: string;
  description?: string;
  detail?: string;
  uri?: string;
  range?: Range;
}

function list(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null) {
    const inner = (value as Record<string, unknown>)[key];
    if (Array.isArray(inner)) return inner;
  }
  return [];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isPosition(value: unknown): value is Position {
  const p = value as Position;
  return (
    typeof value === "object" &&
    value !== null &&
    Number.isInteger(p.line) &&
    Number.isInteger(p.character)
  );
}

function range(value: unknown): Range | undefined {
  const r = value as Range | undefined;
  return r && isPosition(r.start) && isPosition(r.end) ? r : undefined;
}

/** The path part of a file URI, for labels: `file:///v/a%20b.md` → `/v/a b.md`. */
export function uriLabel(uri: string, root?: string): string {
  let label = uri;
  try {
    const parsed = new URL(uri);
    if (parsed.protocol === "file:") label = decodeURIComponent(parsed.pathname);
  } catch {
    return uri;
  }
  if (root !== undefined) {
    const base = root.endsWith("/") ? root : `${root}/`;
    if (label.startsWith(base)) label = label.slice(base.length);
  }
  return label;
}

/** A file URI for `path`, relative to the vault folder `root` (a file-system path). */
function fileUri(root: string, path: string): string {
  const base = root.endsWith("/") ? root : `${root}/`;
  return new URL(path.split("/").map(encodeURIComponent).join("/"), new URL(`file://${base.split("/").map(encodeURIComponent).join("/")}`)).href;
}

/**
 * Hits of `twin/search`: a list, `{items: [...]}` or `{hits: [...]}` (the shape of
 * `twin search --format json`). A hit names its note by `uri`, or by `path` relative to
 * the vault; `range`, or `lines[0]` with 1-based `line` and `matches[0].column`, says where.
 */
export function searchItems(result: unknown, root?: string): Item[] {
  const hits = list(result, "items").length > 0 ? list(result, "items") : list(result, "hits");
  return hits.flatMap((hit): Item[] => {
    if (typeof hit !== "object" || hit === null) return [];
    const h = hit as Record<string, unknown>;
    const rel = str(h.path);
    const uri = str(h.uri) ?? (rel !== undefined && root !== undefined ? fileUri(root, rel) : undefined);
    if (uri === undefined) return [];
    const path = rel ?? uriLabel(uri, root);
    const score = typeof h.score === "number" ? h.score.toFixed(2) : undefined;
    const first = Array.isArray(h.lines) ? (h.lines[0] as Record<string, unknown> | undefined) : undefined;
    return [
      {
        label: str(h.title) ?? path,
        description: [str(h.title) ? path : undefined, score].filter(Boolean).join("  ") || undefined,
        detail: str(h.snippet) ?? str(h.text) ?? (first ? str(first.text) : undefined),
        uri,
        range: range(h.range) ?? lineRange(first),
      },
    ];
  });
}

/** `{line, matches: [{column, end_column}]}` (1-based) as a zero-based range. */
function lineRange(line: Record<string, unknown> | undefined): Range | undefined {
  if (line === undefined || !Number.isInteger(line.line) || (line.line as number) < 1) return undefined;
  const match = Array.isArray(line.matches) ? (line.matches[0] as Record<string, unknown> | undefined) : undefined;
  const start = match && Number.isInteger(match.column) ? (match.column as number) - 1 : 0;
  const end = match && Number.isInteger(match.end_column) ? (match.end_column as number) - 1 : start;
  const l = (line.line as number) - 1;
  return { start: { line: l, character: start }, end: { line: l, character: end } };
}

/**
 * `workspace/symbol` answers (`SymbolInformation[]` or `WorkspaceSymbol[]`), the
 * fallback of "Search vault" on a server without `twin/search`.
 */
export function symbolItems(result: unknown, root?: string): Item[] {
  return list(result, "items").flatMap((s): Item[] => {
    if (typeof s !== "object" || s === null) return [];
    const h = s as { name?: unknown; containerName?: unknown; location?: { uri?: unknown; range?: unknown } };
    const name = str(h.name);
    const uri = str(h.location?.uri);
    if (name === undefined || uri === undefined) return [];
    return [
      {
        label: name,
        description: str(h.containerName) ?? uriLabel(uri, root),
        uri,
        range: range(h.location?.range),
      },
    ];
  });
}

/** `twin/unlinkedMentions`: `[{uri, range, text?}]` or `{mentions: [...]}`. */
export function mentionItems(result: unknown, root?: string): Item[] {
  return list(result, "mentions").flatMap((m): Item[] => {
    if (typeof m !== "object" || m === null) return [];
    const h = m as Record<string, unknown>;
    const uri = str(h.uri);
    const r = range(h.range);
    if (uri === undefined || r === undefined) return [];
    return [
      {
        label: `${uriLabel(uri, root)}:${r.start.line + 1}:${r.start.character + 1}`,
        detail: str(h.text) ?? str(h.context),
        uri,
        range: r,
      },
    ];
  });
}

/** `twin/history`: `[{time?, summary?, revision?, uri?}]` or `{entries: [...]}`. */
export function historyItems(result: unknown): Item[] {
  return list(result, "entries").flatMap((e): Item[] => {
    if (typeof e !== "object" || e === null) return [];
    const h = e as Record<string, unknown>;
    const time = str(h.time) ?? str(h.date) ?? str(h.timestamp);
    const revision = str(h.revision) ?? str(h.id);
    const label = time ?? revision;
    if (label === undefined) return [];
    return [
      {
        label,
        description: time !== undefined ? revision : undefined,
        detail: str(h.summary) ?? str(h.message),
        uri: str(h.uri),
      },
    ];
  });
}

/**
 * The arguments of a reference lens's `twin.showReferences` command, checked: the note's
 * URI, the lens position and the referencing locations; `undefined` when malformed.
 */
export function referenceArgs(
  args: unknown,
): { uri: string; position: Position; locations: { uri: string; range: Range }[] } | undefined {
  if (!Array.isArray(args)) return undefined;
  const [uri, position, locations] = args as unknown[];
  if (typeof uri !== "string" || !isPosition(position)) return undefined;
  const found = Array.isArray(locations)
    ? locations.flatMap((l) => {
        const loc = l as { uri?: unknown; range?: unknown };
        const r = range(loc?.range);
        return typeof loc?.uri === "string" && r ? [{ uri: loc.uri, range: r }] : [];
      })
    : [];
  return { uri, position, locations: found };
}

/** The coherence score in `{score}` or a bare number, when it is one in [0, 1]. */
export function coherenceScore(result: unknown): number | undefined {
  const value =
    typeof result === "object" && result !== null ? (result as { score?: unknown }).score : result;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1
    ? value
    : undefined;
}

/** The status bar's text and tooltip for a score, or for none. */
export function coherenceStatus(score: number | undefined): { text: string; tooltip: string } {
  if (score === undefined) {
    return { text: "twin", tooltip: "twin language server (this server reports no coherence score)" };
  }
  return {
    text: `twin ${score.toFixed(2)}`,
    tooltip: `Vault coherence ${score.toFixed(2)} (1.00 is fully coherent)`,
  };
}
