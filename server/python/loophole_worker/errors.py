"""Turns exceptions into typed worker errors with suggestions."""

from __future__ import annotations

import errno
import os

from .protocol import WorkerError

REQUIREMENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "requirements-worker.txt")

# import name -> pip distribution name
PIP_NAMES = {
    "torch": "torch",
    "transformers": "transformers",
    "peft": "peft",
    "accelerate": "accelerate",
    "gguf": "gguf",
    "tokenizers": "tokenizers",
    "safetensors": "safetensors",
}


def missing_package(name: str) -> WorkerError:
    pip = PIP_NAMES.get(name, name)
    return WorkerError(
        "missing_package",
        f"the Python package '{pip}' is not installed for this interpreter",
        f"pip install {pip}   (or everything the worker needs: pip install -r {REQUIREMENTS})",
    )


def classify(exc: BaseException) -> WorkerError:
    if isinstance(exc, WorkerError):
        return exc
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return missing_package(exc.name.split(".")[0])
    text = f"{type(exc).__name__}: {exc}"
    if type(exc).__name__ == "OutOfMemoryError" or "CUDA out of memory" in str(exc):
        return WorkerError(
            "oom",
            f"the GPU ran out of memory: {str(exc).splitlines()[0]}",
            "lower batch_size (raise grad_accum to keep the effective batch), lower max_length, "
            "or use a smaller model; the last checkpoint is kept and the job can be resumed",
        )
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return WorkerError("disk_full", f"the disk is full: {exc}", "free space or keep fewer checkpoints (keep_checkpoints)")
    return WorkerError("internal", text, None)
