"""Pooled hidden states of candidates, the input of activation probes.

A candidate is a prompt (chat messages, rendered with the model's template) and a completion. The
model reads prompt + completion once; the residual stream after `layer` decoder layers is averaged
over the completion's tokens. Layer k means "after k decoder layers": 0 is the token embeddings, L
(the model's layer count) the last layer's output before the final norm; -1 is L, -2 is L-1, ….
The forward pass stops at the chosen layer, so early layers cost less than a full pass.

Token caps: the prompt keeps its last `max_prompt_tokens` tokens, the completion its first
`max_tokens`. Vectors are cached as `<cache_dir>/<sha256>.npy`, keyed by the model's identity, the
layer, both caps and the rendered text, so a re-run reads instead of recomputing, and a vector of one
model or layer is never read for another. Files are written to a temporary name and renamed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from typing import Any

from .protocol import Channel, WorkerError

POOLING = "mean-completion"
DEFAULT_MAX_TOKENS = 256
DEFAULT_MAX_PROMPT_TOKENS = 256


def model_identity(config: dict) -> str:
    """What a model is for caches and probes: the resolved weights file or folder (+ adapter)."""
    from .model import resolve_model

    folder, gguf = resolve_model(str(config.get("model") or ""))
    ident = os.path.realpath(os.path.join(folder, gguf) if gguf else folder)
    if config.get("adapter"):
        ident += "+" + os.path.realpath(str(config["adapter"]))
    return ident


def model_shape(config: dict) -> dict[str, Any]:
    """Layer count and width from the model's config alone (no weights are loaded)."""
    from transformers import AutoConfig

    from .model import resolve_model

    folder, gguf = resolve_model(str(config.get("model") or ""))
    cfg = AutoConfig.from_pretrained(folder, **({"gguf_file": gguf} if gguf else {}))
    text = getattr(cfg, "text_config", None) or cfg
    return {
        "num_layers": int(text.num_hidden_layers),
        "hidden_size": int(text.hidden_size),
        "model_type": str(getattr(cfg, "model_type", "unknown")),
    }


def resolve_layer(layer: Any, num_layers: int, model: str) -> int:
    """A layer index in [0, L], or a clear `bad_input`. Default: the middle of the model."""
    if layer is None:
        return num_layers // 2
    if isinstance(layer, bool) or not isinstance(layer, int):
        raise WorkerError("bad_input", f"layer must be an integer, got {layer!r}", None)
    k = layer + num_layers + 1 if layer < 0 else layer
    if not 0 <= k <= num_layers:
        raise WorkerError(
            "bad_input",
            f"layer {layer} is out of range: {model} has {num_layers} layers "
            f"(valid: 0..{num_layers}, or -{num_layers + 1}..-1 from the end)",
            f"pick a layer between 0 and {num_layers}; the middle ({num_layers // 2}) is a good start",
        )
    return k


def validate_items(items: Any, what: str = "items") -> list[dict]:
    if not isinstance(items, list):
        raise WorkerError("bad_input", f"'{what}' must be a list", None)
    seen = set()
    for i, it in enumerate(items):
        if (
            not isinstance(it, dict)
            or not isinstance(it.get("id"), str)
            or not isinstance(it.get("completion"), str)
            or not isinstance(it.get("messages"), list)
        ):
            raise WorkerError("bad_input", f"{what} #{i + 1} needs an 'id' string, a 'messages' list and a 'completion' string", None)
        if it["id"] in seen:
            raise WorkerError("bad_input", f"{what} #{i + 1}: id {it['id']!r} appears twice", None)
        seen.add(it["id"])
    return items


def _decoder_layers(model: Any, num_layers: int) -> Any:
    import torch

    for _, module in model.named_modules():
        if isinstance(module, torch.nn.ModuleList) and len(module) == num_layers:
            return module
    raise WorkerError("bad_input", "cannot find the decoder layers of this model", "use a decoder-only causal LM")


class _Stop(Exception):
    pass


class Extractor:
    """Loads the model on first need; `vectors(items)` returns one float32 vector per item."""

    def __init__(self, config: dict, ch: Channel, layer: int, ident: str, shape: dict[str, Any]):
        self.config = config
        self.ch = ch
        self.layer = layer
        self.ident = ident
        self.shape = shape
        self.max_tokens = int(config.get("max_tokens") or DEFAULT_MAX_TOKENS)
        self.max_prompt_tokens = int(config.get("max_prompt_tokens") or DEFAULT_MAX_PROMPT_TOKENS)
        self.batch_size = max(1, int(config.get("batch_size") or 8))
        self.cache_dir: str | None = config.get("cache_dir") or None
        self.model: Any = None
        self.tok: Any = None
        self.device: Any = None
        self.stats = {"cached": 0, "computed": 0, "tokens": 0, "seconds": 0.0, "load_seconds": 0.0}

    def key(self, item: dict) -> str:
        h = hashlib.sha256()
        for part in (
            self.ident,
            str(self.layer),
            str(self.max_tokens),
            str(self.max_prompt_tokens),
            POOLING,
            json.dumps(item["messages"], sort_keys=True, ensure_ascii=False),
            item["completion"],
        ):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

    def _load(self) -> None:
        from .model import load

        started = time.perf_counter()
        self.model, self.tok, self.device, dtype = load(self.config)
        self.stats["load_seconds"] = time.perf_counter() - started
        self.ch.log(f"model loaded on {self.device} as {str(dtype).replace('torch.', '')} for activations at layer {self.layer}")

    def _encode(self, item: dict) -> tuple:
        from .chat import prompt_text

        p_ids = self.tok(prompt_text(self.tok, item["messages"]), add_special_tokens=False)["input_ids"][-self.max_prompt_tokens :]
        c_ids = self.tok(item["completion"], add_special_tokens=False)["input_ids"][: self.max_tokens]
        if not c_ids:  # an empty completion: pool over the last prompt token instead of nothing
            return p_ids, 1
        return p_ids + c_ids, len(c_ids)

    def _forward(self, batch: list[dict]) -> list[Any]:
        import torch

        encoded = [self._encode(it) for it in batch]
        width = max(len(ids) for ids, _ in encoded)
        pad = self.tok.pad_token_id if self.tok.pad_token_id is not None else 0
        ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for r, (row, _) in enumerate(encoded):
            ids[r, : len(row)] = torch.tensor(row)
            mask[r, : len(row)] = 1
        captured: dict = {}

        def hook(_module: Any, _inputs: Any, output: Any) -> None:
            captured["h"] = output[0] if isinstance(output, (tuple, list)) else output
            raise _Stop()

        target = (
            self.model.get_input_embeddings() if self.layer == 0 else _decoder_layers(self.model, self.shape["num_layers"])[self.layer - 1]
        )
        handle = target.register_forward_hook(hook)
        try:
            with torch.inference_mode():
                self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device), use_cache=False)
        except _Stop:
            pass
        finally:
            handle.remove()
        h = captured["h"].float()
        out = []
        for r, (row, n_completion) in enumerate(encoded):
            out.append(h[r, len(row) - n_completion : len(row)].mean(dim=0).cpu().numpy())
            self.stats["tokens"] += len(row)
        return out

    def vectors(self, items: Sequence[dict], progress: str = "activations") -> dict[str, Any]:
        import numpy as np

        out: dict[str, Any] = {}
        todo: list[tuple] = []
        for it in items:
            k = self.key(it)
            path = os.path.join(self.cache_dir, k + ".npy") if self.cache_dir else None
            if path and os.path.exists(path):
                try:
                    v = np.load(path)
                    if v.shape == (self.shape["hidden_size"],):
                        out[it["id"]] = v
                        self.stats["cached"] += 1
                        continue
                except (OSError, ValueError):
                    pass  # unreadable: recompute and overwrite
            todo.append((it, path))
        if todo and self.model is None:
            self._load()
        # Similar lengths together: less padding per batch.
        todo.sort(key=lambda t: len(t[0]["completion"]))
        started = time.perf_counter()
        done = len(items) - len(todo)
        self.ch.progress(done, len(items), progress)
        for b in range(0, len(todo), self.batch_size):
            if self.ch.cancelled.is_set():
                raise WorkerError("internal", "cancelled before every activation was computed; nothing was written", None)
            chunk = todo[b : b + self.batch_size]
            for (it, path), v in zip(chunk, self._forward([c[0] for c in chunk])):
                v = v.astype("float32")
                out[it["id"]] = v
                self.stats["computed"] += 1
                if path:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    tmp = f"{path}.{os.getpid()}.tmp"
                    with open(tmp, "wb") as f:
                        np.save(f, v)
                    os.replace(tmp, path)
            done += len(chunk)
            self.ch.progress(done, len(items), progress)
        self.stats["seconds"] += time.perf_counter() - started
        return out


def make_extractor(config: dict, ch: Channel, layer_request: Any = None) -> Extractor:
    ident = model_identity(config)
    shape = model_shape(config)
    layer = resolve_layer(
        layer_request if layer_request is not None else config.get("layer"), shape["num_layers"], str(config.get("model"))
    )
    return Extractor(config, ch, layer, ident, shape)


def run_activations(config: dict, ch: Channel) -> dict:
    """`activations`: pooled vectors for `items`, written as JSON lines to `out` (id, vector)."""
    items = validate_items(config.get("items"))
    out = config.get("out")
    if not out:
        raise WorkerError("bad_input", "activations needs 'out' (a .jsonl file to write)", None)
    ex = make_extractor(config, ch)
    vecs = ex.vectors(items)
    tmp = f"{out}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": it["id"], "vector": [round(float(x), 6) for x in vecs[it["id"]]]}) + "\n" for it in items)
    os.replace(tmp, out)
    return {
        "out": out,
        "count": len(items),
        "layer": ex.layer,
        "model": ex.ident,
        "hidden_size": ex.shape["hidden_size"],
        "stats": _rates(ex.stats),
    }


def _rates(stats: dict) -> dict:
    s = dict(stats)
    timed = stats["computed"] > 0 and stats["seconds"] > 0
    s["candidates_per_s"] = stats["computed"] / stats["seconds"] if timed else None
    s["tokens_per_s"] = stats["tokens"] / stats["seconds"] if timed else None
    return s
