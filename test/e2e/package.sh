#!/usr/bin/env bash
# Builds the .vsix into test-output/loophole.vsix (the same as `npm run package`, to a fixed path).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
mkdir -p test-output
node esbuild.mjs
npx vsce package --allow-missing-repository --skip-license -o test-output/loophole.vsix
