"""Runs untrusted candidate code against a problem's tests, one forked, limited process per test.

`worker.py` is the long-lived process the TypeScript `SandboxPool` talks to (JSON lines, see
`server/src/execution/protocol.ts`); `supervise.py` forks and watches one test; `child.py` is what
runs inside that fork. Standard library only: this package runs inside the sandbox.
"""
