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
version="$(node -p 'require("./package.json").version')"
out="twin-$version${VSCE_TARGET:+-$VSCE_TARGET}.vsix"
# --no-dependencies: esbuild already bundled them. --skip-license: the project has no
# LICENSE file yet.
npx vsce package --no-dependencies --skip-license ${VSCE_TARGET:+--target "$VSCE_TARGET"} -o "$out"

# What a user installs: the bundle and the manifest, no sources, no node_modules.
python3 - "$out" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for needed in ["extension/package.json", "extension/dist/extension.js", "extension/readme.md"]:
    if not any(n.lower() == needed for n in names):
        sys.exit(f"{sys.argv[1]} lacks {needed}: {names}")
bad = [n for n in names if "/node_modules/" in n or n.startswith("extension/src/") or n.endswith(".map")]
if bad:
    sys.exit(f"{sys.argv[1]} ships what it should not: {bad}")
print(f"{sys.argv[1]}: {len(names)} files")
PY
