"""Forks one test process, watches it against a wall-clock deadline and an output cap, and cleans up.

The worker is a child subreaper, so anything the candidate forks and orphans comes back to it; after
every test the child's process group is killed and every remaining child of the worker is killed and
reaped, so nothing a candidate started outlives its test.
"""

import json
import os
import re
import select
import shutil
import signal
import time

from . import child

SIGNAL_NAMES = {int(s): s.name for s in signal.Signals}


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap_orphans():
    """Kills and reaps every child the worker still has (orphans re-parented to it)."""
    path = '/proc/self/task/%d/children' % os.getpid()
    for _ in range(1000):
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                pids = [int(p) for p in os.read(fd, 1 << 16).split()]
            finally:
                os.close(fd)
        except OSError:
            pids = []
        if not pids:
            break
        for pid in pids:
            _kill_group(pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# What a job may place in a call's working directory (the server checks the same).
FILE_NAME = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\.[A-Za-z0-9]{1,8}$')
MAX_FILES = 16
MAX_FILE_BYTES = 1 << 20


class Sandbox:
    """Per-worker settings: who the test runs as, where its directories go, whether writes are guarded."""

    def __init__(self, uid, gid, tmp_base, guard, libc):
        self.uid = uid
        self.gid = gid
        self.tmp_base = tmp_base
        self.guard = guard
        self.libc = libc
        self.workdir = os.path.join(tmp_base, 'work')
        self.fresh = False
        self.devnull = os.open(os.devnull, os.O_RDONLY)
        child.prepare_worker(self.workdir)

    def _fresh_workdir(self):
        """An empty directory owned by the sandbox user. Reused while a test leaves it exactly as it found
        it (empty, same owner and mode): indistinguishable from a new one, and cheaper."""
        if self.fresh:
            try:
                st = os.stat(self.workdir)
                if not os.listdir(self.workdir) and st.st_mode & 0o7777 == 0o700 and (self.uid is None or st.st_uid == self.uid):
                    return self.workdir
            except OSError:
                pass
            shutil.rmtree(self.workdir, ignore_errors=True)
        if not os.path.isdir(self.tmp_base):
            os.makedirs(self.tmp_base, 0o711)
        os.mkdir(self.workdir, 0o700)
        if self.uid is not None:
            os.chown(self.workdir, self.uid, self.gid)
        self.fresh = True
        return self.workdir

    def run_call(self, job, call, code_obj):
        """One call against the candidate compiled by `child.compile_candidate`: its raw result."""
        try:
            workdir = self._fresh_workdir()
            self._place_files(workdir, job.get('files') or ())
            return self._run_in(workdir, job, call, code_obj, job['limits'])
        finally:
            reap_orphans()

    def _place_files(self, workdir, files):
        """The files the prompt gives, copied fresh for this call: plain names only, read-only for the
        test (a test that deletes or replaces one changes only its own copy; the next call gets new ones).
        A file left behind makes the directory non-empty, so the next call gets a fresh directory too."""
        total = 0
        for f in list(files)[:MAX_FILES]:
            name = f.get('name') if isinstance(f, dict) else None
            content = f.get('content') if isinstance(f, dict) else None
            if not isinstance(name, str) or not isinstance(content, str) or not FILE_NAME.match(name):
                continue
            data = content.encode('utf-8')
            total += len(data)
            if total > MAX_FILE_BYTES:
                break
            path = os.path.join(workdir, name)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o444)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)

    def _stdin_for(self, workdir, call):
        if 'stdin' not in call:
            return os.dup(self.devnull)
        path = os.path.join(workdir, '.stdin')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(call['stdin'])
        fd = os.open(path, os.O_RDONLY)
        os.unlink(path)
        return fd

    def _run_in(self, workdir, job, call, code_obj, limits):
        stdin_fd = self._stdin_for(workdir, call)
        out_r, out_w = os.pipe()
        # Only stdio programs need stdout apart from stderr; elsewhere both count towards the cap alone.
        err_r, err_w = os.pipe() if job['style'] == 'stdio' else (None, out_w)
        res_r, res_w = os.pipe()
        timeout = limits['timeoutMs'] / 1000.0
        cap = int(limits['outputBytes'])
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            child.main(job, call, code_obj, workdir, stdin_fd, out_w, err_w, res_w, self.uid, self.gid, self.guard, self.libc)
        for fd in {stdin_fd, out_w, err_w, res_w}:
            os.close(fd)
        try:
            pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            pidfd = None
        bufs = {fd: bytearray() for fd in (out_r, err_r, res_r) if fd is not None}
        open_fds = set(bufs)
        poller = select.poll()
        for fd in bufs:
            poller.register(fd, select.POLLIN)
        if pidfd is not None:
            poller.register(pidfd, select.POLLIN)
        verdict = None  # 'timeout' | 'output' | None
        late_output = False  # output that arrived after a complete result line
        status = None
        exited = False
        output = 0
        try:
            while True:
                remaining = start + timeout - time.monotonic()
                if remaining <= 0:
                    verdict = 'timeout'
                    break
                if exited and not open_fds:
                    break
                # Without a pidfd, wake up now and then to notice an exit whose pipes a grandchild holds.
                wait_ms = remaining * 1000 if pidfd is not None else min(remaining * 1000, 50)
                events = poller.poll(max(1, int(wait_ms)))
                if not events and pidfd is None:
                    reaped, early_status = os.waitpid(pid, os.WNOHANG)
                    if reaped == pid:
                        status = early_status
                        self._drain(open_fds, bufs)
                        break
                # The test process flushes its output before it writes its result, so output that only
                # shows up after a complete result line was written by something else (a thread, a
                # process it left behind) once the result was in: evidence, not an answer.
                res_done = bufs[res_r].endswith(b'\n')
                for fd, _ in events:
                    if fd == pidfd:
                        exited = True
                        poller.unregister(pidfd)
                        continue
                    data = os.read(fd, 65536)
                    if not data:
                        poller.unregister(fd)
                        open_fds.discard(fd)
                        continue
                    if fd == res_r:
                        if len(bufs[fd]) < 1 << 22:
                            bufs[fd] += data
                        continue
                    if res_done and fd == out_r and job['style'] == 'stdio':
                        late_output = True  # only a program's stdout is an answer; elsewhere output is noise
                    output += len(data)
                    if output > cap:
                        verdict = 'output'
                        break
                    bufs[fd] += data
                if verdict:
                    break
                if exited and open_fds:
                    # The test process is gone; whatever is still holding the pipes is an orphan.
                    self._drain(open_fds, bufs)
                    break
            duration_ms = (time.monotonic() - start) * 1000.0
            _kill_group(pid)
            if status is None:
                _, status = os.waitpid(pid, 0)
        finally:
            for fd in list(bufs) + ([pidfd] if pidfd is not None else []):
                os.close(fd)
        return self._interpret(verdict, status, bytes(bufs[res_r]), bytes(bufs[out_r]), late_output, limits, duration_ms)

    @staticmethod
    def _drain(open_fds, bufs):
        for fd in list(open_fds):
            os.set_blocking(fd, False)
            try:
                while True:
                    data = os.read(fd, 65536)
                    if not data:
                        break
                    bufs[fd] += data
            except BlockingIOError:
                pass

    @staticmethod
    def _interpret(verdict, status, res, out, late_output, limits, duration_ms):
        """The raw result the server gets: status ok/raised/assert/error/timeout, values or stdout, and
        `tampering` for what the result channel shows of a candidate that went for it."""
        tampering = []

        def done(result):
            result['durationMs'] = round(duration_ms, 3)
            if late_output:
                tampering.append('output after the result')
            if tampering:
                result['tampering'] = tampering
            return result

        if verdict == 'timeout':
            return done({'status': 'timeout', 'message': 'no result within %d ms' % limits['timeoutMs']})
        if verdict == 'output':
            return done({'status': 'error', 'message': 'output exceeded the cap of %d bytes and was cut' % limits['outputBytes']})
        lines = res.decode('utf-8', 'replace').splitlines()
        if len(lines) > 1:
            tampering.append('the result channel carried %d messages' % len(lines))
            return done({'status': 'error', 'message': 'the result channel carried %d messages: tampering' % len(lines)})
        if lines:
            try:
                msg = json.loads(lines[0])
                if not isinstance(msg, dict) or msg.get('status') not in ('ok', 'raised', 'assert', 'error'):
                    raise ValueError(msg)
            except ValueError:
                tampering.append('the result channel carried a message the harness does not write')
                return done({'status': 'error', 'message': 'the result channel carried garbage: tampering'})
            result = {'status': msg['status']}
            for key, kind in (
                ('values', list),
                ('message', str),
                ('outcome', str),
                ('lines', list),
                ('segments', list),
                ('bounds', list),
                ('notes', list),
            ):
                if isinstance(msg.get(key), kind):
                    result[key] = msg[key]
            if result['status'] == 'assert' and result.get('outcome') not in ('pass', 'fail'):
                tampering.append('an in-process assert result that the harness does not write')
                return done({'status': 'error', 'message': 'the result channel carried garbage: tampering'})
            if (
                any(not isinstance(v, str) for v in result.get('values', []))
                or any(not isinstance(v, int) for v in result.get('lines', []))
                or any(not isinstance(v, str) for v in result.get('segments', []))
                or any(
                    not isinstance(b, list) or len(b) != 7 or any(type(x) not in (int, float, type(None)) for x in b)
                    for b in result.get('bounds', [])
                )
            ):
                tampering.append('a result message the harness does not write')
                return done({'status': 'error', 'message': 'the result channel carried garbage: tampering'})
            if result.pop('notes', None):
                tampering.extend(str(n)[:300] for n in msg['notes'][:5])
            if out:
                result['stdout'] = out.decode('utf-8', 'replace')
            return done(result)
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            name = SIGNAL_NAMES.get(sig, str(sig))
            if sig == signal.SIGXCPU:
                return done({'status': 'timeout', 'message': 'CPU time limit exceeded (SIGXCPU)'})
            hint = ' (by the candidate itself, or for running out of memory)' if sig == signal.SIGKILL else ''
            return done({'status': 'error', 'message': 'killed by signal %s%s' % (name, hint)})
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
        return done(
            {'status': 'error', 'message': 'the process exited with status %d before the test finished (os._exit or a crash)' % code}
        )
