// Readers of twin's own methods' answers, tolerant of shapes and of absence.
const test = require("node:test");
const assert = require("node:assert/strict");
const p = require("../out/protocol.js");

const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } };

test("MethodNotFound is recognised", () => {
  assert.equal(p.isMethodNotFound({ code: -32601, message: "Method not found" }), true);
  assert.equal(p.isMethodNotFound({ code: -32603 }), false);
  assert.equal(p.isMethodNotFound(new Error("x")), false);
  assert.equal(p.isMethodNotFound(undefined), false);
});

test("search hits become items, list or {items}", () => {
  const hits = [
    { uri: "file:///v/Guide.md", title: "Guide", snippet: "how to install", score: 0.91234, range },
    { uri: "file:///v/sub/Deep%20Note.md" },
    { title: "no uri" },
    "junk",
  ];
  const items = p.searchItems(hits, "/v");
  assert.deepEqual(items, [
    { label: "Guide", description: "Guide.md  0.91", detail: "how to install", uri: "file:///v/Guide.md", range },
    { label: "sub/Deep Note.md", description: undefined, detail: undefined, uri: "file:///v/sub/Deep%20Note.md", range: undefined },
  ]);
  assert.deepEqual(p.searchItems({ items: hits }, "/v"), items);
  assert.deepEqual(p.searchItems(null), []);
});

test("search hits in the shape of `twin search --format json` ({hits: [{path, lines}]})", () => {
  const result = {
    hits: [
      {
        path: "ru/Заметка.md",
        title: "Заметка",
        score: 1.5,
        lines: [{ line: 5, matches: [{ column: 3, end_column: 10 }], text: "# Заметка" }],
      },
      { path: "no lines.md" },
    ],
  };
  assert.deepEqual(p.searchItems(result, "/my vault"), [
    {
      label: "Заметка",
      description: "ru/Заметка.md  1.50",
      detail: "# Заметка",
      uri: "file:///my%20vault/ru/%D0%97%D0%B0%D0%BC%D0%B5%D1%82%D0%BA%D0%B0.md",
      range: { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } },
    },
    {
      label: "no lines.md",
      description: undefined,
      detail: undefined,
      uri: "file:///my%20vault/no%20lines.md",
      range: undefined,
    },
  ]);
  assert.deepEqual(p.searchItems({ hits: [{ path: "a.md" }] }), [], "a path needs the vault root");
});

test("workspace symbols are the search fallback", () => {
  const symbols = [
    { name: "Install", kind: 15, containerName: "Guide", location: { uri: "file:///v/Guide.md", range } },
    { name: "Home", kind: 1, location: { uri: "file:///v/Home.md" } },
  ];
  assert.deepEqual(p.symbolItems(symbols, "/v"), [
    { label: "Install", description: "Guide", uri: "file:///v/Guide.md", range },
    { label: "Home", description: "Home.md", uri: "file:///v/Home.md", range: undefined },
  ]);
});

test("unlinked mentions need a uri and a range", () => {
  const items = p.mentionItems({ mentions: [{ uri: "file:///v/Home.md", range, text: "see Guide" }, { uri: "file:///v/x.md" }] }, "/v");
  assert.deepEqual(items, [{ label: "Home.md:3:5", detail: "see Guide", uri: "file:///v/Home.md", range }]);
});

test("history entries", () => {
  assert.deepEqual(p.historyItems([{ time: "2026-01-02 10:00", revision: "r3", summary: "+2 links" }, {}]), [
    { label: "2026-01-02 10:00", description: "r3", detail: "+2 links", uri: undefined },
  ]);
  assert.deepEqual(p.historyItems({ entries: [{ revision: "r1", uri: "file:///h/r1.md" }] }), [
    { label: "r1", description: undefined, detail: undefined, uri: "file:///h/r1.md" },
  ]);
});

test("coherence score: {score} or a number in [0, 1], else none", () => {
  assert.equal(p.coherenceScore({ score: 0.875 }), 0.875);
  assert.equal(p.coherenceScore(1), 1);
  for (const bad of [null, undefined, {}, { score: "0.5" }, { score: 1.5 }, NaN, -0.1]) {
    assert.equal(p.coherenceScore(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(p.coherenceStatus(0.875).text, "twin 0.88");
  assert.equal(p.coherenceStatus(undefined).text, "twin");
  assert.match(p.coherenceStatus(undefined).tooltip, /no coherence score/);
});

test("URI labels are decoded and made relative to the vault", () => {
  assert.equal(p.uriLabel("file:///v/a%20b/%D0%97.md", "/v"), "a b/З.md");
  assert.equal(p.uriLabel("untitled:x"), "untitled:x");
});

test("reference lens arguments: uri, position and the locations that are well-formed", () => {
  const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };
  const args = ["file:///v/a.md", { line: 0, character: 0 }, [{ uri: "file:///v/b.md", range }, { uri: 3 }]];
  assert.deepEqual(p.referenceArgs(args), {
    uri: "file:///v/a.md",
    position: { line: 0, character: 0 },
    locations: [{ uri: "file:///v/b.md", range }],
  });
  assert.equal(p.referenceArgs(["file:///v/a.md"]), undefined);
  assert.equal(p.referenceArgs("nope"), undefined);
  assert.equal(p.SHOW_REFERENCES, "twin.showReferences");
});
