"""What runs inside the forked test process. Never returns: it ends in os._exit.

Order matters: leave the worker's session and file descriptors, enter the throw-away directory, set the
limits, and only then drop to the sandbox user (the limits are set while still allowed to, and
RLIMIT_NPROC is only enforced for a non-root real uid). Then run the candidate and the test, and report
one JSON line on fd 3: the call's values, serialised as data only (see serial.py). Nothing here knows what
the values should be, which test they belong to or what its role is: the oracle (oracle.py, outside the
sandbox) holds that. A candidate that forges the line can at most report values, which are then compared;
one that writes two lines or garbage is caught by the supervisor as tampering.
"""

import ast
import builtins
import io
import json
import os
import reprlib
import resource
import signal
import sys

from . import bounds, inline, seccomp, serial

RESULT_FD = 3

# The inline-statement map of the candidate compiled last (see inline.py). The worker compiles a job's
# candidate before forking its tests, so each test process sees the map of its own candidate.
SEGMENTS: list = []

_repr = reprlib.Repr()
_repr.maxstring = 160
_repr.maxother = 160
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxdict = 12
_repr.maxlevel = 4


def short_repr(value):
    try:
        return _repr.repr(value)
    except BaseException as e:  # a candidate's __repr__ may raise anything
        return '<unprintable %s>' % type(e).__name__


def candidate_line(tb):
    """The last line of `<candidate>` in a traceback, or None."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == '<candidate>':
            line = inline.real_line(tb.tb_lineno, SEGMENTS)
        tb = tb.tb_next
    return line


def describe(exc):
    name = type(exc).__name__
    try:
        text = str(exc)
    except BaseException:
        text = ''
    if len(text) > 300:
        text = text[:300] + '…'
    msg = '%s: %s' % (name, text) if text else name
    line = candidate_line(exc.__traceback__)
    if line is not None:
        msg += ' (line %d)' % line
    return msg


def exit_code_text(exc):
    return 'sys.exit(%s)' % short_repr(exc.code) if exc.code is not None else 'sys.exit()'


def set_limits(limits):
    timeout_s = max(1, -(-int(limits['timeoutMs']) // 1000))
    mem = int(limits['memoryMb']) * 1024 * 1024
    wanted = [
        ('RLIMIT_AS', mem),
        ('RLIMIT_CPU', timeout_s + 1),
        ('RLIMIT_FSIZE', max(int(limits['outputBytes']), 16 * 1024 * 1024)),
        ('RLIMIT_NPROC', int(limits.get('maxProcesses', 32))),
        ('RLIMIT_NOFILE', 64),
        ('RLIMIT_CORE', 0),
    ]
    for name, value in wanted:
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass  # not supported here (RLIMIT_AS on macOS); the wall-clock deadline still holds


def drop_privileges(uid, gid):
    if uid is None or os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise OSError('could not drop root')


def install_write_guard(workdir):
    """Without a mount namespace (isolation 'none'), refuse writes outside the working directory,
    sockets, new processes and signals (which, without a uid drop, could reach the user's own processes). An audit hook is not a security boundary (ctypes can go around it),
    but it stops ordinary code from leaving files behind or reaching the network."""
    root = os.path.realpath(workdir) + os.sep
    blocked = {
        'socket.connect',
        'socket.bind',
        'socket.sendto',
        'os.system',
        'os.exec',
        'os.posix_spawn',
        'os.kill',
        'os.killpg',
        'os.spawn',
        'subprocess.Popen',
        'ctypes.dlopen',
        'os.fork',
        'os.forkpty',
        'pty.spawn',
    }
    path_events = {
        'os.mkdir',
        'os.rename',
        'os.remove',
        'os.rmdir',
        'os.symlink',
        'os.link',
        'os.chmod',
        'os.chown',
        'os.truncate',
        'os.utime',
        'shutil.rmtree',
        'shutil.copyfile',
        'shutil.move',
    }

    def inside(path):
        if isinstance(path, int):
            return True
        try:
            p = os.fsdecode(path)
        except Exception:
            return False
        return os.path.realpath(p).startswith(root)

    def guard(event, args):
        if event in blocked:
            raise PermissionError('%s is not allowed in the sandbox' % event)
        if event == 'open':
            path, mode, flags = args
            writing = (mode is not None and any(c in mode for c in 'wax+')) or (
                flags is not None and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
            )
            if writing and path is not None and not inside(path):
                raise PermissionError('writing outside the working directory is not allowed: %r' % (path,))
        elif event in path_events:
            for p in args:
                if isinstance(p, (str, bytes, os.PathLike)) and not inside(p):
                    raise PermissionError('%s outside the working directory is not allowed' % event)

    sys.addaudithook(guard)


def make_tracer(lines):
    add = lines.add

    def local(frame, event, arg):
        if event == 'line':
            add(frame.f_lineno)
        return local

    def global_(frame, event, arg):
        if frame.f_code.co_filename == '<candidate>':
            return local
        return None

    return global_


def compile_candidate(code, coverage=False):
    """(code object, None) or (None, error result). Done once per job in the worker, before any fork:
    compiling runs none of the candidate's code, and each test process then only executes bytecode.
    With coverage, the comparisons with numeric literals are wrapped to count inputs on their
    boundary (see bounds.py)."""
    global SEGMENTS
    SEGMENTS = []
    bounds.SITES.clear()
    try:
        tree = ast.parse(code, '<candidate>', 'exec')
        if coverage:
            bounds.mark(tree)
        SEGMENTS = inline.mark(tree)
        return compile(tree, '<candidate>', 'exec'), None
    except SyntaxError as e:
        return None, {'outcome': 'error', 'message': 'SyntaxError: %s (line %s)' % (e.msg, e.lineno)}
    except (ValueError, MemoryError, RecursionError, OverflowError) as e:
        return None, {'outcome': 'error', 'message': 'the candidate does not compile: %s' % describe(e)}


VALUE_CAP = 1 << 20


def run(job, call, code_obj):
    """Runs the compiled candidate and one call; returns the message for the result channel (never raises).

    `call` is {"holes": [expr…]} (function style: each expression evaluated in the candidate's namespace
    and its value serialised, data only), {"steps": [["exec"|"eval", src]…]} (the same, with set-up
    statements run in their place), {"assert": code} (a test that could not be split: it runs here
    whole) or {"stdin": text} (stdio style: the program itself is the call; its stdout is the answer)."""
    style = job['style']
    lines: set[int] = set()
    ns: dict[str, object] = {'__name__': '__main__' if style == 'stdio' else '__candidate__', '__builtins__': builtins}
    if job.get('coverage'):
        bounds.reset()
        ns[bounds.NAME] = bounds.record
        sys.settrace(make_tracer(lines))
    phase = 'module'
    values = []
    notes: list[str] = []
    try:
        exec(code_obj, ns)
        phase = 'test'
        if 'holes' in call or 'steps' in call:
            steps = call['steps'] if 'steps' in call else [['eval', src] for src in call['holes']]
            for kind, src in steps:
                if kind == 'exec':
                    exec(compile(src, '<test>', 'exec'), ns)
                else:
                    value = eval(compile(src, '<test>', 'eval'), ns)
                    values.append(serial.encode(value, VALUE_CAP, notes))
            result = {'status': 'ok', 'values': values}
        elif 'assert' in call:
            try:
                exec(compile(call['assert'], '<test>', 'exec'), ns)
                result = {'status': 'assert', 'outcome': 'pass'}
            except AssertionError as e:
                result = {'status': 'assert', 'outcome': 'fail', 'message': _fail_text(call['assert'], e)}
        else:
            result = {'status': 'ok'}
    except serial.Unserialisable as e:
        result = {'status': 'error', 'message': 'the result cannot be serialised as data: %s' % e}
        if e.rigged:
            notes.append(str(e))
    except serial.TooLarge as e:
        result = {'status': 'error', 'message': str(e)}
    except SystemExit as e:
        if style == 'stdio' and e.code in (None, 0):
            result = {'status': 'ok'}
        elif style == 'stdio':
            result = {'status': 'error', 'message': 'the program exited with %s' % exit_code_text(e)}
        else:
            where = 'before the test ran' if phase == 'module' else 'during the test'
            result = {'status': 'error', 'message': 'the candidate called %s %s' % (exit_code_text(e), where)}
    except MemoryError as e:
        ns.clear()
        result = {'status': 'error', 'message': 'memory exhausted (%s)' % describe(e)}
    except BaseException as e:
        # An assert inside the candidate's own code is the candidate's error, not a failed test.
        result = {'status': 'raised', 'message': describe(e)}
    finally:
        sys.settrace(None)
    if values and 'values' not in result:
        result['values'] = values
    if notes:
        result['notes'] = notes
    if job.get('coverage'):
        real = set()
        segments = []
        for line in lines:
            if line >= inline.VIRTUAL_BASE:
                at = SEGMENTS[line - inline.VIRTUAL_BASE]
                real.add(at[0])
                segments.append('%d:%d' % at)
            else:
                real.add(line)
        result['lines'] = sorted(real)
        if segments:
            result['segments'] = sorted(segments)
        compared = bounds.report()
        if compared:
            result['bounds'] = compared
    return result


def _fail_text(test_code, exc):
    extra = str(exc)
    base = test_code.strip()[:300]
    return '%s — %s' % (base, extra[:300]) if extra else base


def prepare_worker(workdir):
    """What every test process needs and the worker can set once, before any fork: the environment,
    signal dispositions, the recursion limit, and sys.std* over fds 0-2, which the worker itself never
    uses (its protocol runs on private descriptors) and which each test process points at its own pipes."""
    os.environ.clear()
    os.environ.update({'HOME': workdir, 'TMPDIR': workdir, 'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8'})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long file write raises instead of killing
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.setrecursionlimit(1000)
    # the originals too: they are what the test process's code would fall back on
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, 'r', closefd=False), encoding='utf-8', errors='replace')  # type: ignore[misc]
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.FileIO(1, 'w', closefd=False), encoding='utf-8', errors='backslashreplace')  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(2, 'w', closefd=False), encoding='utf-8', errors='backslashreplace', line_buffering=True
    )


def main(job, call, code_obj, workdir, stdin_fd, out_fd, err_fd, result_fd, uid, gid, guard, libc):
    status = 0
    me = os.getpid()
    try:
        os.setsid()
        os.dup2(stdin_fd, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        os.dup2(result_fd, RESULT_FD)
        os.closerange(RESULT_FD + 1, 1 << 16)
        os.chdir(workdir)
        set_limits(job['limits'])
        drop_privileges(uid, gid)
        if libc is not None:
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, after the uid change that clears it
        seccomp.install(libc)  # where the kernel and architecture allow; the namespaces hold either way
        if guard:
            install_write_guard(workdir)
        result = run(job, call, code_obj)
        if os.getpid() != me:
            os._exit(0)  # a process the candidate forked has run on into the harness: it does not report
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        data = (json.dumps(result) + '\n').encode()
        while data:
            data = data[os.write(RESULT_FD, data) :]
    except BaseException as e:  # the harness itself failed: report it rather than a silent exit
        if os.getpid() != me:
            os._exit(0)
        status = 70
        try:
            os.write(RESULT_FD, (json.dumps({'status': 'error', 'message': 'sandbox setup failed: %s' % describe(e)}) + '\n').encode())
        except BaseException:
            pass
    finally:
        os._exit(status)
