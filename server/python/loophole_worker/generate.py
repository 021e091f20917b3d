"""`generate` and `eval`: n samples per prompt with the model's chat template.

Prompts are batched (left padding) and each is sampled `n` times in the same `generate()` call.
Sample k of prompt p is seeded from (seed, p's position, batch) so a rerun with the same seed and
batch size gives the same samples. Samples are appended to `<out_dir>/samples.jsonl` as they are
made (one line each: prompt_id, sample_index, completion, tokens, meta), so a cancelled or killed
job keeps what it had; the `result` names the file.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from .chat import prompt_text
from .protocol import Channel, WorkerError


def _validate(config: dict) -> list[dict]:
    prompts = config.get("prompts")
    if not isinstance(prompts, list) or not prompts:
        raise WorkerError("bad_input", "generate needs a non-empty 'prompts' list", None)
    for i, p in enumerate(prompts):
        if not isinstance(p, dict) or not isinstance(p.get("id"), str) or not isinstance(p.get("messages"), list):
            raise WorkerError("bad_input", f"prompt #{i + 1} needs an 'id' string and a 'messages' list", None)
    if not config.get("out_dir"):
        raise WorkerError("bad_input", "generate needs 'out_dir'", None)
    return prompts


def sample(model: Any, tok: Any, device: Any, config: dict, ch: Channel, prompts: list[dict]) -> dict:
    import torch

    n = int(config.get("n", 1))
    temperature = float(config.get("temperature", 0.7))
    top_p = float(config.get("top_p", 1.0))
    max_new = int(config.get("max_new_tokens", 512))
    batch = max(1, int(config.get("batch_size", 8)))
    seed = int(config.get("seed", 0))
    out_dir = config["out_dir"]
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "samples.jsonl")
    done_keys = set()
    if config.get("resume") and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    done_keys.add(json.loads(line)["prompt_id"])
                except (ValueError, KeyError):
                    pass
    tok.padding_side = "left"
    todo = [p for p in prompts if p["id"] not in done_keys]
    count, gen_tokens, started = 0, 0, time.perf_counter()
    ch.progress(len(prompts) - len(todo), len(prompts), "sampling")
    with open(path, "a", encoding="utf-8") as out:
        for b in range(0, len(todo), batch):
            if ch.cancelled.is_set():
                break
            chunk = todo[b : b + batch]
            texts = [prompt_text(tok, p["messages"]) for p in chunk]
            enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
            torch.manual_seed(seed + b)
            kw: dict = {"max_new_tokens": max_new, "num_return_sequences": n, "pad_token_id": tok.pad_token_id}
            if config.get("min_new_tokens"):  # fixed-length sampling, for throughput measurements
                kw["min_new_tokens"] = int(config["min_new_tokens"])
            if temperature > 0:
                kw.update(do_sample=True, temperature=temperature, top_p=top_p)
            else:
                kw.update(do_sample=False)
            with torch.inference_mode():
                seqs = model.generate(**enc, **kw)
            new = seqs[:, enc["input_ids"].shape[1] :]
            for j, p in enumerate(chunk):
                for k in range(n):
                    ids = new[j * n + k]
                    ids = ids[ids != tok.pad_token_id] if tok.pad_token_id is not None else ids
                    text = tok.decode(ids, skip_special_tokens=True)
                    gen_tokens += int(ids.numel())
                    out.write(
                        json.dumps(
                            {
                                "prompt_id": p["id"],
                                "sample_index": k,
                                "completion": text,
                                "tokens": int(ids.numel()),
                                "token_ids": [int(x) for x in ids.tolist()],
                                "meta": p.get("meta", {}),
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                    count += 1
            out.flush()
            ch.progress(len(prompts) - len(todo) + b + len(chunk), len(prompts), "sampling")
    elapsed = time.perf_counter() - started
    ch.artifact("samples", path, count=count)
    return {
        "samples": path,
        "count": count,
        "generated_tokens": gen_tokens,
        "tokens_per_s": gen_tokens / elapsed if elapsed > 0 else 0.0,
        "cancelled": ch.cancelled.is_set(),
        "sampling": {"n": n, "temperature": temperature, "top_p": top_p, "max_new_tokens": max_new, "seed": seed},
    }


def run_generate(config: dict, ch: Channel) -> dict:
    from .model import load

    prompts = _validate(config)
    model, tok, device, dtype = load(config)
    ch.log(f"model loaded on {device} as {str(dtype).replace('torch.', '')}")
    return sample(model, tok, device, config, ch, prompts)
