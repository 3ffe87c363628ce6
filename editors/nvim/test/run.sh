#!/usr/bin/env bash
# Runs the Neovim plugin's headless test against the real twin binary.
# Usage: editors/nvim/test/run.sh [nvim...]   (default: nvim on PATH)
# TWIN_BIN defaults to target/debug/twin.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"
export TWIN_BIN="${TWIN_BIN:-$repo/target/debug/twin}"
export TWIN_VAULT="$repo/fixtures/editors/vault"
[ -x "$TWIN_BIN" ] || { echo "missing $TWIN_BIN: run cargo build" >&2; exit 1; }
status=0
for nvim in "${@:-nvim}"; do
  echo "== $nvim ($("$nvim" --version | head -1))"
  # A throwaway home so no user config, shada or state leaks in or out.
  scratch="$(mktemp -d)"
  if ! XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_STATE_HOME="$scratch/state" \
    XDG_CACHE_HOME="$scratch/cache" timeout 120 "$nvim" --headless -u NONE -i NONE \
    --cmd "set runtimepath^=$here" -c "luafile $here/test/twin_spec.lua" </dev/null; then
    echo "FAILED with $nvim" >&2
    status=1
  fi
  # The server may still be finishing its search-index commit for a moment.
  rm -rf "$scratch" 2>/dev/null || { sleep 1; rm -rf "$scratch"; }
done
exit $status
