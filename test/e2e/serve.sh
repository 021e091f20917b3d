#!/usr/bin/env bash
# Opens a folder (default: the bundled sample, media/sample/) in code-server with the extension built
# from this checkout, prints the address to open in a browser, and serves until Ctrl-C.
#   test/e2e/serve.sh [FOLDER] [PORT]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# The folder is relative to where the command was run, not to the repository.
FOLDER="$(cd "${1:-$ROOT/media/sample}" && pwd)"
cd "$ROOT"
bash test/e2e/install-code-server.sh >/dev/null
bash test/e2e/package.sh >&2
exec npx tsx test/e2e/serve.ts "$FOLDER" "${2:-0}"
