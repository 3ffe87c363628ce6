#!/usr/bin/env bash
# Runs eglot (Emacs) against the real twin binary, headless. TWIN_BIN defaults to
# target/debug/twin.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"
export TWIN_BIN="${TWIN_BIN:-$repo/target/debug/twin}"
export TWIN_VAULT="$repo/fixtures/editors/vault"
export TWIN_EL="$here/twin.el"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
# A throwaway HOME: no user init, and nothing written into the real one.
HOME="$home" timeout 120 emacs --batch --no-site-file -l "$here/test/twin-test.el" </dev/null
