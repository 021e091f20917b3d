#!/usr/bin/env bash
# Installs what Loophole needs on a fresh clone: Debian packages (bubblewrap for the sandbox, chromium and
# libkrb5-dev for the end-to-end tests in code-server), the npm dependencies, and the Python packages the
# tests use. Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
if [ "${LOOPHOLE_SKIP_E2E:-0}" != "1" ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = "none" ]; then
    echo "setup: please install these Debian packages: ${need_apt[*]}" >&2
  else
    echo "setup: installing ${need_apt[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  fi
fi

# npm dependencies (onnxruntime-node's CUDA download is skipped by .npmrc).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi

# Python packages for the tests (the sandbox itself needs only the standard library).
if [ -f server/python/requirements-test.txt ]; then
  python3 -m pip install -q -r server/python/requirements-test.txt
fi
