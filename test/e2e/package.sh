#!/usr/bin/env bash
# Builds the .vsix into test-output/loophole.vsix (the same as `npm run package`, to a fixed path).
# The README's images are relative (media/screenshots/); with no repository URL to rewrite them
# against, vsce refuses them unless told to leave relative links alone.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
mkdir -p test-output
node esbuild.mjs
npx vsce package --allow-missing-repository --skip-license --no-rewrite-relative-links -o test-output/loophole.vsix
