#!/usr/bin/env bash
# The end-to-end test: installs code-server into .tools/ (cached), builds the .vsix, and drives the
# extension in code-server through Debian chromium. Screenshots go to test-output/e2e/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
bash test/e2e/install-code-server.sh >/dev/null
bash test/e2e/package.sh
exec npx mocha --timeout 300000 'test/e2e/**/*.e2e.test.ts' "$@"
