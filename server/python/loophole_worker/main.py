"""Entry point: `python -m loophole_worker` speaks the protocol; `python -m loophole_worker make-model
--out DIR [--size tiny|0.5b]` builds a random test model (no protocol)."""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from .errors import classify
from .protocol import Channel, WorkerError

COMMANDS = ("probe", "generate", "train", "eval", "judge", "activations", "probe-train", "probe-score", "probe-serve")


def _dispatch(command: str, config: dict, ch: Channel) -> dict:
    if command == "probe":
        from .probe import run_probe

        return run_probe(config, ch)
    if command == "judge":
        from .judge_local import run_judge

        return run_judge(config, ch)
    if command == "activations":
        from .activations import run_activations

        return run_activations(config, ch)
    if command in ("probe-train", "probe-score", "probe-serve"):
        from . import linear_probe

        return {
            "probe-train": linear_probe.run_probe_train,
            "probe-score": linear_probe.run_probe_score,
            "probe-serve": linear_probe.run_probe_serve,
        }[command](config, ch)
    if command in ("generate", "eval"):
        # eval is generate over prompts rendered under several variants; the server judges the samples.
        from .generate import run_generate

        return run_generate(config, ch)
    from .train import run_train

    return run_train(config, ch)


def serve() -> int:
    ch = Channel()
    ch.hello()
    ch.start_background(float(os.environ.get("LOOPHOLE_HEARTBEAT_S", "2")))
    start = ch.wait_start(float(os.environ.get("LOOPHOLE_START_TIMEOUT_S", "60")))
    if start is None:
        ch.send("error", kind="bad_input", message="no start message arrived on stdin", suggestion=None)
        return 2
    command, config = start.get("command"), start.get("config") or {}
    if command not in COMMANDS or not isinstance(config, dict):
        ch.send("error", kind="bad_input", message=f"unknown command {command!r} (known: {', '.join(COMMANDS)})", suggestion=None)
        return 2
    for name in config.get("debug_hide_packages") or []:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail, for tests
    try:
        data = _dispatch(command, config, ch)
        ch.send("result", command=command, data=data)
        return 0
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a typed message
        if isinstance(exc, KeyboardInterrupt):
            exc = WorkerError("internal", "interrupted", None)
        err = classify(exc)
        if err.kind == "internal":
            traceback.print_exc(file=sys.stderr)
        ch.send("error", kind=err.kind, message=err.message, suggestion=err.suggestion)
        return 1
    finally:
        sys.stderr.flush()
        ch.close()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "make-model":
        p = argparse.ArgumentParser(prog="loophole_worker make-model")
        p.add_argument("--out", required=True)
        p.add_argument("--size", default="tiny")
        p.add_argument("--seed", type=int, default=0)
        a = p.parse_args(argv[1:])
        from .tiny import make_model

        print(make_model(a.out, a.size, a.seed))
        return 0
    return serve()
