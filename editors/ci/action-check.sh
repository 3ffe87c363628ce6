#!/usr/bin/env bash
# The check step of action.yml: runs `twin check --format sarif` without failing, makes
# the SARIF paths relative to the repository root (GitHub code scanning reads relative
# paths from the repository root and ignores originalUriBaseIds), and records the exit
# code for the last step. Tested by editors/vscode/test/ci-files.test.js.
#
# With TWIN_SUMMARY=true (the default) it also appends `twin check --format markdown` to
# the job summary, its links pointing at the checked commit.
#
# Environment: TWIN_PATH (the vault, default .), TWIN_FAIL_ON (default warning),
# TWIN_SARIF (output file, default twin.sarif), TWIN_SUMMARY (default true),
# GITHUB_WORKSPACE (the repository root, default the current folder), GITHUB_OUTPUT (where
# outputs go), GITHUB_STEP_SUMMARY, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA.
set -uo pipefail

vault="${TWIN_PATH:-.}"
sarif="${TWIN_SARIF:-twin.sarif}"
workspace="${GITHUB_WORKSPACE:-$PWD}"
output="${GITHUB_OUTPUT:-/dev/null}"

twin check "$vault" --format sarif --fail-on "${TWIN_FAIL_ON:-warning}" >"$sarif"
code=$?
echo "exit-code=$code" >>"$output"
echo "sarif-file=$sarif" >>"$output"
echo "twin check exited with $code"

if [ "$code" -ge 2 ]; then
  # A usage or configuration error: no report to upload.
  echo "upload=false" >>"$output"
  exit 0
fi

# The vault's path from the repository root, with a trailing slash ("" at the root).
prefix="$(python3 - "$workspace" "$vault" <<'PY'
import os, sys
workspace, vault = (os.path.realpath(p) for p in sys.argv[1:3])
rel = os.path.relpath(vault, workspace)
if rel == "." :
    print("")
elif rel.startswith(".."):
    sys.exit(f"the vault {vault} is outside the repository {workspace}")
else:
    print(rel.replace(os.sep, "/") + "/")
PY
)" || { echo "upload=false" >>"$output"; exit 0; }

if [ "${TWIN_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  link_base=()
  if [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_SHA:-}" ]; then
    encoded="$(python3 -c 'import sys; from urllib.parse import quote; print(quote(sys.argv[1]))' "$prefix")"
    link_base=(--link-base "${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/$encoded")
  fi
  twin check "$vault" --format markdown --fail-on never "${link_base[@]}" >>"$GITHUB_STEP_SUMMARY" \
    || echo "the job summary could not be written" >&2
fi

if [ -n "$prefix" ]; then
  python3 - "$sarif" "$prefix" <<'PY'
import json, sys
from urllib.parse import quote
path, prefix = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    log = json.load(f)
def fix(location):
    artifact = location.get("physicalLocation", {}).get("artifactLocation")
    if artifact and "uri" in artifact:
        artifact["uri"] = quote(prefix) + artifact["uri"]
for run in log.get("runs", []):
    for result in run.get("results", []):
        for location in result.get("locations", []) + result.get("relatedLocations", []):
            fix(location)
    # %SRCROOT% is now the repository root.
    run.pop("originalUriBaseIds", None)
with open(path, "w", encoding="utf-8") as f:
    json.dump(log, f, ensure_ascii=False, indent=1)
PY
fi
echo "upload=true" >>"$output"
