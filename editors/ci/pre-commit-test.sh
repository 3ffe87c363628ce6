#!/usr/bin/env bash
# pre-commit with twin, for real: validates .pre-commit-hooks.yaml with pre-commit's own
# checker, then runs the `repo: local` / `language: system` hook from docs/editors.md in a
# scratch git repository holding a copy of fixtures/editors/vault: it must fail on the
# broken link and pass once the link is fixed.
#
# The published `language: rust` hook is not run here: pre-commit would build twin in
# release mode from scratch (many minutes on CI's two cores).
#
# Environment: PRE_COMMIT (default pre-commit), TWIN_BIN (default target/debug/twin).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
pre_commit="${PRE_COMMIT:-pre-commit}"
twin_bin="${TWIN_BIN:-$repo/target/debug/twin}"

"$pre_commit" validate-manifest "$repo/.pre-commit-hooks.yaml"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/cache" PATH="$(dirname "$twin_bin"):$PATH"
cd "$scratch"
mkdir work && cd work
git init -q
git config user.email ci@example.invalid
git config user.name ci
cp -r "$repo/fixtures/editors/vault" notes
# docs/editors.md's snippet for a twin already on PATH.
cat > .pre-commit-config.yaml <<'YAML'
repos:
  - repo: local
    hooks:
      - id: twin-check
        name: twin check
        entry: twin check
        language: system
        pass_filenames: false
        args: [notes]
YAML
"$pre_commit" validate-config .pre-commit-config.yaml
git add -A

if "$pre_commit" run --all-files >"$scratch/out" 2>&1; then
  cat "$scratch/out"
  echo "pre-commit passed on a vault with a broken link" >&2
  exit 1
fi
grep -q "broken-link" "$scratch/out" || { cat "$scratch/out"; echo "no broken-link finding" >&2; exit 1; }
echo "ok - the hook fails on the broken link"

sed -i 's/\[\[Nowhere\]\]/[[Guide]]/' notes/Home.md
git add -A
"$pre_commit" run --all-files >"$scratch/out" 2>&1 || { cat "$scratch/out"; echo "pre-commit failed on a clean vault" >&2; exit 1; }
echo "ok - the hook passes once the link is fixed"
