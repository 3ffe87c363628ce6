#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from the fixture vaults (notes, frontmatter
# blocks) and a few framed LSP messages. Run from anywhere; safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../fixtures
for target in note_parser frontmatter link_resolution positions lsp_decoder; do
  mkdir -p "corpus/$target"
done
i=0
while IFS= read -r -d '' note; do
  i=$((i + 1))
  for target in note_parser link_resolution positions; do
    cp "$note" "corpus/$target/fixture-$i.md"
  done
  # The YAML between the first two fences, when the note has frontmatter.
  awk 'NR==1 && $0!="---" {exit} NR>1 && ($0=="---" || $0=="...") {exit} NR>1 {print}' "$note" \
    >"corpus/frontmatter/fixture-$i.yaml"
  [ -s "corpus/frontmatter/fixture-$i.yaml" ] || rm "corpus/frontmatter/fixture-$i.yaml"
done < <(find "$fixtures" -name '*.md' -size -64k -print0 | sort -z)
msg() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
msg '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}' >corpus/lsp_decoder/initialize
msg '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///v/a.md","languageId":"markdown","version":1,"text":"# A [[b]]"}}}' >corpus/lsp_decoder/did-open
{ msg '{"jsonrpc":"2.0","id":2,"result":null}'; msg '{"jsonrpc":"2.0","id":"x","method":"shutdown"}'; msg '{not json'; msg '[1,2]'; } >corpus/lsp_decoder/mixed
printf 'content-length:   5\r\nContent-Type: x\r\n\r\n{"a":' >corpus/lsp_decoder/torn
echo "seeded: $(find corpus -type f | wc -l) files"
