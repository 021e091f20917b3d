"""The long-lived sandbox worker: JSON lines in on stdin, JSON lines out on stdout.

Contract (mirrors `server/src/execution/protocol.ts`):
  started:  {"ready": true, "pid": N, "uid": N|null, "guard": bool, "tmp": "/path"}
  in:       {"id": "...", "code": "...", "style": "function"|"stdio", "calls": [Call...],
             "limits": {"timeoutMs", "memoryMb", "outputBytes"}, "coverage": bool}
            a Call is {"holes": [expr...]}, {"assert": code} or {"stdin": text}: no test ids, roles or
            expected values ever come here (the oracle outside the sandbox holds them)
  out:      {"id": "...", "index": i, "result": {"status", "values"?, "stdout"?, "message"?, "outcome"?,
             "tampering"?, "durationMs", "lines"?, "segments"?, "bounds"?}}               per call, in order
            ("bounds": [[line, column, end column, constant|null, evaluations, equal, other|null]...],
             see bounds.py)
            {"id": "...", "done": true}                                                  after the last
  --probe:  prints {"ok": true, "uid": ...} after checking it can fork a test process and drop to the
            sandbox user, then exits.

The worker keeps the protocol on private descriptors: fd 0 and 1 are pointed at /dev/null and stderr, so
nothing a test process inherits can read the next job or corrupt a reply.
"""

import argparse
import ctypes
import json
import os
import pwd
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from loophole_sandbox import child, nsroot, supervise

# Imported once here so a test process finds them already loaded: faster, and available even where the
# sandbox user cannot read the Python installation.
# Not `random` or `threading` (nor what imports them): their fork handlers cost every test process
# page faults, and so time; a candidate that needs them imports them itself.
import array, bisect, cmath, collections, copy, dataclasses, datetime, decimal, enum, fractions  # noqa: F401
import functools, hashlib, heapq, itertools, math, numbers, operator, re  # noqa: F401
import string, struct, textwrap, typing, unicodedata, collections.abc, io, ast, reprlib  # noqa: F401

# The worker runs with -S: site's .pth files may import anything (threading, random) into every test
# process. site-packages stay importable; only .pth processing is skipped.
import site  # with -S, importing site does not run site.main()

for _dir in site.getsitepackages():
    if os.path.isdir(_dir) and _dir not in sys.path:
        sys.path.append(_dir)

PR_SET_CHILD_SUBREAPER = 36


def load_libc():
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library already loaded (ctypes.util pulls in threading)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
        return libc
    except (OSError, AttributeError):  # not Linux: no subreaper, no parent-death signal
        return None


def sandbox_ids(args):
    if os.getuid() != 0 or args.keep_root:
        return None, None
    try:
        entry = pwd.getpwnam('nobody')
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--tmp', default=None, help='where per-test directories go')
    parser.add_argument('--guard', action='store_true', help='audit-hook write/network guard (no mount namespace)')
    parser.add_argument('--keep-root', action='store_true', help='do not drop root in test processes')
    parser.add_argument('--probe', action='store_true')
    parser.add_argument('--ns-root', default=None, help='build a private root first (isolation namespaces): JSON spec')
    args = parser.parse_args()
    if args.ns_root:
        nsroot.build(json.loads(args.ns_root))

    proto_in = os.fdopen(os.dup(0), 'rb', buffering=0)
    proto_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    os.close(devnull)

    uid, gid = sandbox_ids(args)
    if uid is not None and args.guard:
        # Without bwrap the Python install may be unreadable to the sandbox user (under /root): whatever
        # a test process may import must be loaded now. Anything else fails with ModuleNotFoundError.
        import csv, encodings.idna, glob, pathlib, random, socket, statistics, subprocess, threading, time  # noqa: F401
    tmp_base = os.path.join(args.tmp or '/tmp', 'loophole-sandbox-%d-%s' % (os.getpid(), os.urandom(4).hex()))
    os.mkdir(tmp_base, 0o711)  # traversable, so HOME/TMPDIR paths work for the sandbox user; not listable
    sandbox = supervise.Sandbox(uid, gid, tmp_base, args.guard, load_libc())

    def send(obj):
        data = (json.dumps(obj) + '\n').encode()
        while data:
            data = data[os.write(proto_out, data) :]

    if args.probe:
        import atexit

        atexit.register(shutil.rmtree, tmp_base, True)
        job = {
            'code': 'import os\nuid = os.getuid()',
            'style': 'function',
            'coverage': False,
            'limits': {'timeoutMs': 5000, 'memoryMb': 256, 'outputBytes': 4096},
        }
        expect_uid = uid if uid is not None else os.getuid()
        code_obj, _ = child.compile_candidate(job['code'])
        result = sandbox.run_call(job, {'holes': ['uid']}, code_obj)
        ok = result.get('values') == [str(expect_uid)]
        send(
            {
                'ok': ok,
                'uid': uid,
                'result': {'outcome': 'pass' if ok else 'fail', 'message': result.get('message', str(result.get('values')))},
            }
        )
        return

    send({'ready': True, 'pid': os.getpid(), 'uid': uid, 'guard': args.guard, 'tmp': tmp_base})
    buf = b''
    try:
        while True:
            chunk = proto_in.read(1 << 16)
            if not chunk:
                break
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                if line.strip():
                    handle(json.loads(line), sandbox, send)
    finally:
        shutil.rmtree(tmp_base, ignore_errors=True)


def handle(job, sandbox, send):
    code_obj, compile_error = child.compile_candidate(job['code'], bool(job.get('coverage')))
    for index, call in enumerate(job['calls']):
        try:
            if compile_error:
                result = {'status': 'error', 'message': compile_error['message'], 'durationMs': 0}
            else:
                result = sandbox.run_call(job, call, code_obj)
                if job['style'] != 'stdio':
                    result.pop('stdout', None)  # only a program's output is its answer
        except Exception as e:  # a failure of the worker itself, reported against this call
            result = {'status': 'error', 'message': 'sandbox worker error: %s: %s' % (type(e).__name__, e), 'durationMs': 0}
        send({'id': job['id'], 'index': index, 'result': result})
    send({'id': job['id'], 'done': True})


if __name__ == '__main__':
    main()
