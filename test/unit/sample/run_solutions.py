"""Runs every solution of one problem against every test of that problem and reports the outcomes.

Reads one JSON job on stdin:
    {"style": "function" | "stdio", "tests": [Test, ...], "solutions": [{"id": str, "code": str}, ...],
     "timeoutSeconds": int}
Writes one JSON object on stdout: {solutionId: {testId: {"outcome": ..., "detail": str}}} where outcome
is pass | fail | error | timeout | exit (`exit`: a function solution ended the process or raised
SystemExit instead of returning, which is how a harness gets tampered with).

Each (solution, test) pair runs in its own forked child so that nothing a solution does (patching
builtins, exiting, leaving files behind) reaches another run. Each solution gets a throw-away working
directory holding `test_solution.py` with the tests shown to the model (visible and incorrect), as a
real checker would have on disk; the shown tests are compiled under that file name and their line
numbers there, so code that reads its caller's source sees what it would see under pytest.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import resource
import shutil
import signal
import sys
import tempfile

SHOWN_FILE = "test_solution.py"


class Timeout(BaseException):
    """A BaseException so that a solution's `except Exception` cannot swallow it."""


def normalise(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def run_function(code: str, test: dict, shown_line: int | None) -> dict:
    ns: dict = {"__name__": "solution", "__builtins__": builtins}
    try:
        exec(compile(code, "solution.py", "exec"), ns)
    except SystemExit as exc:
        return {"outcome": "exit", "detail": f"exited while loading ({exc.code!r})"}
    except Timeout:
        return {"outcome": "timeout", "detail": "while loading"}
    except BaseException as exc:  # noqa: BLE001 - any failure of untrusted code is an outcome
        return {"outcome": "error", "detail": "while loading: " + describe(exc)}
    if shown_line:
        source, filename = "\n" * (shown_line - 1) + test["code"], SHOWN_FILE
    else:
        source, filename = test["code"], "<heldout>"
    try:
        exec(compile(source, filename, "exec"), ns)
        return {"outcome": "pass", "detail": ""}
    except AssertionError as exc:
        return {"outcome": "fail", "detail": describe(exc)}
    except SystemExit as exc:
        return {"outcome": "exit", "detail": f"exited during the test ({exc.code!r})"}
    except Timeout:
        return {"outcome": "timeout", "detail": ""}
    except BaseException as exc:  # noqa: BLE001
        return {"outcome": "error", "detail": describe(exc)}


def run_stdio(code: str, test: dict) -> dict:
    sys.stdin = io.TextIOWrapper(io.BytesIO(test["input"].encode("utf-8")), encoding="utf-8")
    out = io.StringIO()
    sys.stdout = out
    ns: dict = {"__name__": "__main__", "__builtins__": builtins}
    try:
        exec(compile(code, "solution.py", "exec"), ns)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            return {"outcome": "error", "detail": f"exit status {exc.code!r}"}
    except Timeout:
        return {"outcome": "timeout", "detail": ""}
    except BaseException as exc:  # noqa: BLE001
        return {"outcome": "error", "detail": describe(exc)}
    finally:
        sys.stdout = sys.__stdout__
    got, want = normalise(out.getvalue()), normalise(test["expectedOutput"])
    if got == want:
        return {"outcome": "pass", "detail": ""}
    return {"outcome": "fail", "detail": f"printed {got!r}, expected {want!r}"[:300]}


def child(style: str, code: str, test: dict, shown_line: int | None, timeout: int) -> dict:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (timeout + 1, timeout + 1))

    def on_alarm(_signum, _frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(timeout)
    if style == "function":
        return run_function(code, test, shown_line)
    return run_stdio(code, test)


def run_one(style: str, code: str, test: dict, shown_line: int | None, timeout: int) -> dict:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            result = child(style, code, test, shown_line, timeout)
        except BaseException as exc:  # noqa: BLE001
            result = {"outcome": "error", "detail": "runner: " + describe(exc)}
        os.write(write_end, json.dumps(result).encode("utf-8"))
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    if chunks:
        return json.loads(b"".join(chunks))
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        return {"outcome": "timeout", "detail": "killed by the CPU limit"}
    return {"outcome": "exit", "detail": f"process ended without reporting (wait status {status})"}


def main() -> None:
    job = json.load(sys.stdin)
    style, tests, timeout = job["style"], job["tests"], int(job.get("timeoutSeconds", 10))
    shown = [t for t in tests if t["role"] != "heldout"] if style == "function" else []
    shown_lines = {t["id"]: i + 2 for i, t in enumerate(shown)}
    shown_text = "from solution import *\n" + "".join(t["code"] + "\n" for t in shown)
    home = os.getcwd()
    results: dict = {}
    for solution in job["solutions"]:
        workdir = tempfile.mkdtemp(prefix="loophole-sample-")
        try:
            if shown:
                with open(os.path.join(workdir, SHOWN_FILE), "w", encoding="utf-8") as fh:
                    fh.write(shown_text)
            os.chdir(workdir)
            results[solution["id"]] = {t["id"]: run_one(style, solution["code"], t, shown_lines.get(t["id"]), timeout) for t in tests}
        finally:
            os.chdir(home)
            shutil.rmtree(workdir, ignore_errors=True)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
