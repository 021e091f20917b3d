#!/usr/bin/env bash
# Opens a folder (default: the bundled sample, media/sample/) in code-server with the extension built
# from this checkout, and prints the address to open in a browser.
#   test/e2e/serve.sh [FOLDER] [PORT]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
bash test/e2e/install-code-server.sh >/dev/null
bash test/e2e/package.sh >&2
exec npx tsx test/e2e/serve.ts "${1:-$ROOT/media/sample}" "${2:-0}"
