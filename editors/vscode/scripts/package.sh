#!/usr/bin/env bash
# Type-checks, bundles (minified) and packages the extension into twin-<version>.vsix.
#
# TWIN_BUNDLE_BINARY=/path/to/twin ships that binary as server/twin, which the extension
# prefers to PATH; give VSCE_TARGET (e.g. linux-x64) too, as such a .vsix runs on one
# platform only. Without it the .vsix is universal and finds twin on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsc --noEmit -p .
node scripts/build.mjs --minify
rm -rf server
if [ -n "${TWIN_BUNDLE_BINARY:-}" ]; then
  mkdir server
  cp "$TWIN_BUNDLE_BINARY" server/twin
  chmod +x server/twin
fi
# The licence: twin is MIT OR Apache-2.0, and vsce ships one file named LICENSE.txt, so it
# holds both texts from the repository root (generated here, not committed).
{
  printf 'twin is licensed under either of the MIT licence or the Apache License, Version 2.0,\n'
  printf 'at your option (SPDX: MIT OR Apache-2.0). Both texts follow.\n\n'
  cat ../../LICENSE-MIT
  printf '\n\n'
  cat ../../LICENSE-APACHE
} > LICENSE.txt
version="$(node -p 'require("./package.json").version')"
out="twin-$version${VSCE_TARGET:+-$VSCE_TARGET}.vsix"
# --no-dependencies: esbuild already bundled them. --allow-missing-repository: twin has no
# public repository yet, and package.json names none rather than invent one.
npx vsce package --no-dependencies --allow-missing-repository ${VSCE_TARGET:+--target "$VSCE_TARGET"} -o "$out"

# What a user installs: the bundle and the manifest, no sources, no node_modules.
python3 - "$out" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for needed in ["extension/package.json", "extension/dist/extension.js", "extension/readme.md", "extension/license.txt"]:
    if not any(n.lower() == needed for n in names):
        sys.exit(f"{sys.argv[1]} lacks {needed}: {names}")
licence = next(zipfile.ZipFile(sys.argv[1]).read(n) for n in names if n.lower() == "extension/license.txt").decode()
for text in ["Permission is hereby granted, free of charge", "Apache License\n                           Version 2.0"]:
    if text not in licence:
        sys.exit(f"{sys.argv[1]}: its LICENSE.txt lacks {text!r}")
bad = [n for n in names if "/node_modules/" in n or n.startswith("extension/src/") or n.endswith(".map")]
if bad:
    sys.exit(f"{sys.argv[1]} ships what it should not: {bad}")
print(f"{sys.argv[1]}: {len(names)} files")
PY
