"""The worker's side of the JSON-lines contract (`server/src/jobs/workerProtocol.ts`; as JSON Schema in
`protocol.schema.json`, which the tests in `server/python/tests/` hold the messages to).

stdout carries only protocol messages: at start-up the real stdout descriptor is kept for them and
descriptor 1 is pointed at stderr, so a library that prints cannot corrupt the stream; stderr is
captured by the server into the job log. stdin carries `start` once and then `cancel`.
"""

from __future__ import annotations

import json
import math
import os
import queue
import sys
import threading
import time
from typing import Any

from . import PROTOCOL_VERSION, WORKER_VERSION


class WorkerError(Exception):
    """A failure with a kind the server knows (`WorkerErrorKind`) and a suggestion a person can act on."""

    def __init__(self, kind: str, message: str, suggestion: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.suggestion = suggestion


def _clean(value: Any) -> Any:
    # JSON has no NaN/Infinity; the server would reject the line.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


class Channel:
    def __init__(self) -> None:
        out_fd = os.dup(1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        self._out = os.fdopen(out_fd, "w", encoding="utf-8", buffering=1)
        self._lock = threading.Lock()
        self.cancelled = threading.Event()
        self._start: dict | None = None
        self._start_ready = threading.Event()
        self._closed = False
        # `chat` / `score` requests for the serving commands (`judge`, `probe-serve`); None once stdin closes or `cancel` arrives.
        self.requests: queue.Queue[dict | None] = queue.Queue()

    def send(self, msg_type: str, **fields: Any) -> None:
        line = json.dumps(_clean({"type": msg_type, **fields}), ensure_ascii=False)
        with self._lock:
            if self._closed:
                return
            try:
                self._out.write(line + "\n")
                self._out.flush()
            except (BrokenPipeError, ValueError):
                self._closed = True

    def hello(self) -> None:
        self.send("hello", protocol=PROTOCOL_VERSION, worker=WORKER_VERSION, pid=os.getpid(), python=sys.version.split()[0])

    def log(self, message: str, level: str = "info") -> None:
        self.send("log", level=level, message=message)

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        self.send("progress", done=done, total=total, **({"message": message} if message else {}))

    def artifact(self, kind: str, path: str, **extra: Any) -> None:
        self.send("artifact", kind=kind, path=path, **extra)

    def start_background(self, heartbeat_s: float) -> None:
        threading.Thread(target=self._read_stdin, daemon=True, name="stdin").start()
        threading.Thread(target=self._beat, args=(heartbeat_s,), daemon=True, name="heartbeat").start()

    def wait_start(self, timeout: float = 60.0) -> dict | None:
        self._start_ready.wait(timeout)
        return self._start

    def _beat(self, every: float) -> None:
        while not self._closed:
            self.send("heartbeat", t=time.time())
            time.sleep(every)

    def _read_stdin(self) -> None:
        for raw in sys.stdin:
            raw = raw.strip()
            if not raw:
                continue
            try:
                msg = json.loads(raw)
            except json.JSONDecodeError:
                self.log(f"ignored a line that is not JSON on stdin: {raw[:80]}", "warn")
                continue
            if msg.get("type") == "start" and self._start is None:
                self._start = msg
                self._start_ready.set()
            elif msg.get("type") == "cancel":
                self.cancelled.set()
                self.requests.put(None)
            elif msg.get("type") in ("chat", "score"):
                self.requests.put(msg)
        # stdin closed: the server is gone or wants us to stop.
        self.cancelled.set()
        self.requests.put(None)
        self._start_ready.set()

    def close(self) -> None:
        with self._lock:
            self._closed = True
