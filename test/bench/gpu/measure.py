#!/usr/bin/env python3
"""GPU measurements of the worker against plain `transformers`, in one run on one model.

    python test/bench/gpu/measure.py                 # CUDA: a random Qwen2-style 0.5B model
    python test/bench/gpu/measure.py --device cuda:1 # another GPU
    python test/bench/gpu/measure.py --device cpu    # anywhere: a 2-layer model on the CPU (exercise only;
                                                     # also what the default `auto` does without CUDA)

Figures (printed as a table, written as BenchRow JSON to --out, default test-output/gpu-bench.json):
  - SFT tokens/s through the worker's training path (`loophole_worker.train.run_train`, LoRA, EMA off)
    vs a plain PyTorch/transformers loop on the same LoRA model and the same batches; target >= 0.9x
  - generation tokens/s through the worker (`loophole_worker.generate.sample`) vs plain `generate()`
    on the same prompts; target >= 0.9x
  - EMA overhead: worker training tokens/s with EMA vs without; target < 5 %
  - local judge tokens/s (`loophole_worker.judge_local`, greedy, batched, fixed-length replies) vs plain
    greedy `generate()` on the same prompts; target >= 0.9x
  - activation extraction tokens/s (`loophole_worker.activations`, pooled at the last layer, no cache)
    vs a plain forward pass with `output_hidden_states` on the same batches; target >= 0.9x; and at the
    middle layer, where the worker stops the pass early
  - peak GPU memory of each phase
The model is randomly initialised (no weights are downloaded) with a tokenizer trained locally, so
only speed and memory mean anything here, not the loss or the text.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "server", "python"))

from loophole_worker.protocol import Channel


class RecordingChannel(Channel):
    """Stands in for the protocol channel: keeps the metrics instead of writing JSON lines."""

    def __init__(self) -> None:  # no super().__init__(): that would take over stdout for the protocol
        self.cancelled = threading.Event()
        self.metrics: list = []

    def send(self, msg_type: str, **fields) -> None:
        if msg_type == "metric":
            self.metrics.append(fields)

    def log(self, message: str, level: str = "info") -> None:
        print(f"  [{level}] {message}", file=sys.stderr)

    def progress(self, *a, **k) -> None:
        pass

    def artifact(self, *a, **k) -> None:
        pass


def sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)


def peak_reset(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)


def peak(device) -> float:
    import torch

    return torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else float("nan")


def write_rows(path: str, n: int, tokens: int) -> None:
    body = "def f(xs):\n    total = 0\n    for x in xs:\n        total += x * x\n    return total\n"
    reps = max(1, tokens // 40)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(
            json.dumps(
                {
                    "messages": [
                        {"role": "user", "content": f"Write function number {i} that sums squares."},
                        {"role": "assistant", "content": "```python\n" + body * reps + "```"},
                    ]
                }
            )
            + "\n"
            for i in range(n)
        )


def worker_train(model_dir: str, data: str, out: str, device: str, steps: int, batch: int, max_len: int, ema) -> float:
    from loophole_worker.train import run_train

    ch = RecordingChannel()
    run_train(
        {
            "model": model_dir,
            "data": data,
            "out_dir": out,
            "device": device,
            "max_steps": steps,
            "epochs": 1000,
            "batch_size": batch,
            "grad_accum": 1,
            "lr": 1e-4,
            "max_length": max_len,
            "checkpoint_every": 10**9,
            "keep_checkpoints": 1,
            "eval_rows": 1,
            "ema": ema,
            "lora": {"r": 16, "alpha": 32, "dropout": 0.0},
        },
        ch,
    )
    tps = [m["tokens_per_s"] for m in ch.metrics[2:]] or [m["tokens_per_s"] for m in ch.metrics]
    return statistics.median(tps)


def plain_train(model_dir: str, data: str, device_name: str, steps: int, batch: int, max_len: int) -> float:
    """The baseline: the same LoRA model and rows, a textbook loop, no masking bookkeeping or metrics."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from loophole_worker.dataset import collate, load_rows
    from loophole_worker.model import pick_device, pick_dtype

    device = pick_device(device_name)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=pick_dtype(device)).to(device)
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules="all-linear", task_type="CAUSAL_LM"))
    model.train()
    rows, _ = load_rows(data, tok, max_len, "truncate", RecordingChannel())
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4, fused=device.type == "cuda")
    rates = []
    for s in range(steps):
        chunk = [rows[(s * batch + i) % len(rows)] for i in range(batch)]
        x, y, m = collate(chunk, tok.pad_token_id, device)
        t0 = time.perf_counter()
        model(input_ids=x, attention_mask=m, labels=y).loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        sync(device)
        rates.append(int(m.sum()) / (time.perf_counter() - t0))
    return statistics.median(rates[2:] or rates)


def worker_generate(model_dir: str, device: str, prompts: list, n: int, max_new: int, out: str) -> float:
    from loophole_worker.generate import sample
    from loophole_worker.model import load

    model, tok, dev, _ = load({"model": model_dir, "device": device})
    cfg = {
        "n": n,
        "temperature": 0.7,
        "max_new_tokens": max_new,
        "min_new_tokens": max_new,
        "batch_size": len(prompts),
        "seed": 0,
        "out_dir": out,
    }
    sample(model, tok, dev, cfg, RecordingChannel(), prompts[:1])  # warm-up
    cfg["out_dir"] = out + "-timed"
    return sample(model, tok, dev, cfg, RecordingChannel(), prompts)["tokens_per_s"]


def plain_generate(model_dir: str, device_name: str, prompts: list, n: int, max_new: int) -> float:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from loophole_worker.model import pick_device, pick_dtype

    device = pick_device(device_name)
    tok = AutoTokenizer.from_pretrained(model_dir)
    tok.padding_side = "left"
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=pick_dtype(device)).to(device).eval()
    texts = [tok.apply_chat_template(p["messages"], add_generation_prompt=True, tokenize=False) for p in prompts]
    enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
    kw = {
        "max_new_tokens": max_new,
        "min_new_tokens": max_new,
        "num_return_sequences": n,
        "do_sample": True,
        "temperature": 0.7,
        "pad_token_id": tok.pad_token_id,
    }
    with torch.inference_mode():
        model.generate(**{k: v[:1] for k, v in enc.items()}, **kw)  # warm-up
        sync(device)
        t0 = time.perf_counter()
        out = model.generate(**enc, **kw)
        sync(device)
    new = out[:, enc["input_ids"].shape[1] :]
    return int((new != tok.pad_token_id).sum()) / (time.perf_counter() - t0)


def judge_requests(n_prompts: int, code_lines: int) -> list:
    code = "\n".join(f"    if x == {i}:\n        return {i * i}" for i in range(code_lines))
    return [
        {
            "messages": [
                {"role": "system", "content": "You review Python solutions for special-casing of tests. Reply with JSON."},
                {"role": "user", "content": f"## Problem {i}\nSquare x.\n## Solution\ndef f(x):\n{code}\n    return x * x\n"},
            ],
            "schema": {"type": "object"},
        }
        for i in range(n_prompts)
    ]


def worker_judge(model_dir: str, device: str, requests: list, max_new: int) -> float:
    from loophole_worker.judge_local import TransformersGenerator

    gen = TransformersGenerator({"model": model_dir, "device": device}, RecordingChannel())
    reqs = [dict(r, max_tokens=max_new, min_tokens=max_new) for r in requests]
    gen.generate(reqs[:1], max_new)  # warm-up
    sync(gen.device)
    t0 = time.perf_counter()
    out = gen.generate(reqs, max_new)
    sync(gen.device)
    return sum(r["completion_tokens"] for r in out) / (time.perf_counter() - t0)


def plain_judge(model_dir: str, device_name: str, requests: list, max_new: int) -> float:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from loophole_worker.model import pick_device, pick_dtype

    device = pick_device(device_name)
    tok = AutoTokenizer.from_pretrained(model_dir)
    tok.padding_side = "left"
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=pick_dtype(device)).to(device).eval()
    texts = [tok.apply_chat_template(r["messages"], add_generation_prompt=True, tokenize=False) + "{" for r in requests]
    enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
    kw = {"max_new_tokens": max_new, "min_new_tokens": max_new, "do_sample": False, "pad_token_id": tok.pad_token_id}
    with torch.inference_mode():
        model.generate(**{k: v[:1] for k, v in enc.items()}, **kw)  # warm-up
        sync(device)
        t0 = time.perf_counter()
        out = model.generate(**enc, **kw)
        sync(device)
    new = out[:, enc["input_ids"].shape[1] :]
    return int((new != tok.pad_token_id).sum()) / (time.perf_counter() - t0)


def activation_items(n: int, lines: int) -> list:
    body = "\n".join(f"    total += x * {i}" for i in range(lines))
    return [
        {
            "id": f"a{i}",
            "messages": [{"role": "user", "content": f"Write function number {i}."}],
            "completion": f"def f{i}(x):\n    total = 0\n{body}\n    return total\n",
        }
        for i in range(n)
    ]


def worker_activations(model_dir: str, device: str, items: list, layer, batch: int, max_tokens: int) -> float:
    from loophole_worker.activations import make_extractor

    ex = make_extractor(
        {"model": model_dir, "device": device, "batch_size": batch, "max_tokens": max_tokens, "max_prompt_tokens": max_tokens},
        RecordingChannel(),
        layer,
    )
    ex.vectors(items[:batch])  # warm-up (and the model load)
    ex.stats.update(tokens=0, seconds=0.0, computed=0)
    ex.vectors(items)
    sync(ex.device)
    return ex.stats["tokens"] / ex.stats["seconds"]


def plain_forward(model_dir: str, device_name: str, items: list, batch: int, max_tokens: int) -> float:
    """The baseline: the whole model with output_hidden_states over the same padded batches."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from loophole_worker.model import pick_device, pick_dtype

    device = pick_device(device_name)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=pick_dtype(device)).to(device).eval()
    texts = [tok.apply_chat_template(it["messages"], add_generation_prompt=True, tokenize=False) + it["completion"] for it in items]
    tokens, seconds = 0, 0.0
    with torch.inference_mode():
        for warm in (True, False):
            for b in range(0, batch if warm else len(texts), batch):
                enc = tok(
                    texts[b : b + batch],
                    return_tensors="pt",
                    padding=True,
                    truncation=True,
                    max_length=2 * max_tokens,
                    add_special_tokens=False,
                ).to(device)
                sync(device)
                t0 = time.perf_counter()
                out = model(**enc, output_hidden_states=True, use_cache=False)
                _ = [h.float().mean(1) for h in out.hidden_states[-1:]]
                sync(device)
                if not warm:
                    seconds += time.perf_counter() - t0
                    tokens += int(enc["attention_mask"].sum())
    return tokens / seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--device", default="auto", help="auto (CUDA if there is one, else the CPU fallback), cuda, cuda:N, or cpu (tiny models)"
    )
    ap.add_argument("--cpu-tiny", action="store_true", help="the same as --device cpu")
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "..", "test-output", "gpu-bench.json"))
    a = ap.parse_args()

    import torch

    from loophole_worker.tiny import make_model

    requested = "cpu" if a.cpu_tiny else a.device.strip().lower()
    if requested == "auto":
        requested = "cuda:0" if torch.cuda.is_available() else "cpu"
        if requested == "cpu":
            print("no CUDA device: the CPU fallback (a 2-layer model; it exercises the script, its figures are no GPU's)", file=sys.stderr)
    if requested == "cuda":
        requested = "cuda:0"
    if requested.startswith("cuda"):
        index = requested.partition(":")[2]
        if not torch.cuda.is_available() or not index.isdigit() or int(index) >= torch.cuda.device_count():
            print(
                f"{requested}: no such CUDA device ({torch.cuda.device_count()} visible); use --device cpu for the CPU fallback",
                file=sys.stderr,
            )
            return 2
    elif requested != "cpu":
        print(f"unknown device {a.device!r}: use auto, cuda, cuda:N or cpu", file=sys.stderr)
        return 2
    tiny = requested == "cpu"
    device = requested
    dev = torch.device(device)
    steps = a.steps or (6 if tiny else 30)
    batch, max_len, row_tokens = (2, 128, 80) if tiny else (8, 1024, 900)
    n, max_new, n_prompts = (2, 16, 4) if tiny else (8, 256, 16)

    work = tempfile.mkdtemp(prefix="loophole-gpu-bench-")
    model_dir = make_model(os.path.join(work, "model"), "tiny" if tiny else "0.5b")
    data = os.path.join(work, "rows.jsonl")
    write_rows(data, 64, row_tokens)
    prompts = [
        {"id": f"p{i}", "messages": [{"role": "user", "content": f"Write function number {i} that sums squares."}]}
        for i in range(n_prompts)
    ]
    print(
        f"model {'tiny' if tiny else 'Qwen2-0.5B shape'} on {device}; {steps} steps of batch {batch}, rows of ~{row_tokens} tokens",
        file=sys.stderr,
    )

    # Each side runs twice, interleaved, and keeps its best: a shared machine's noise hits both alike.
    base_train = w_train = w_train_ema = base_gen = w_gen = 0.0
    base_judge = w_judge = base_fwd = w_acts = w_acts_mid = 0.0
    mem_plain = mem_worker = mem_ema = mem_gen = mem_judge = mem_acts = float("nan")
    judge_reqs = judge_requests(4 if tiny else 16, 4 if tiny else 40)
    judge_new = 16 if tiny else 256
    act_items = activation_items(8 if tiny else 128, 6 if tiny else 60)
    act_batch, act_tokens = (4, 64) if tiny else (16, 512)
    n_layers = 2 if tiny else 24
    for r in range(2):
        peak_reset(dev)
        base_train = max(base_train, plain_train(model_dir, data, device, steps, batch, max_len))
        mem_plain = peak(dev)
        peak_reset(dev)
        w_train = max(w_train, worker_train(model_dir, data, os.path.join(work, f"run-noema-{r}"), device, steps, batch, max_len, None))
        mem_worker = peak(dev)
        peak_reset(dev)
        w_train_ema = max(
            w_train_ema, worker_train(model_dir, data, os.path.join(work, f"run-ema-{r}"), device, steps, batch, max_len, {"decay": 0.999})
        )
        mem_ema = peak(dev)
        peak_reset(dev)
        base_gen = max(base_gen, plain_generate(model_dir, device, prompts, n, max_new))
        w_gen = max(w_gen, worker_generate(model_dir, device, prompts, n, max_new, os.path.join(work, f"gen-{r}")))
        mem_gen = peak(dev)
        peak_reset(dev)
        base_judge = max(base_judge, plain_judge(model_dir, device, judge_reqs, judge_new))
        w_judge = max(w_judge, worker_judge(model_dir, device, judge_reqs, judge_new))
        mem_judge = peak(dev)
        peak_reset(dev)
        base_fwd = max(base_fwd, plain_forward(model_dir, device, act_items, act_batch, act_tokens))
        w_acts = max(w_acts, worker_activations(model_dir, device, act_items, n_layers, act_batch, act_tokens))
        w_acts_mid = max(w_acts_mid, worker_activations(model_dir, device, act_items, n_layers // 2, act_batch, act_tokens))
        mem_acts = peak(dev)

    rows: list[dict[str, Any]] = [
        {
            "name": "SFT tokens/s, worker vs plain loop",
            "value": w_train,
            "unit": "tok/s",
            "baseline": base_train,
            "baselineName": "plain transformers loop",
            "target": ">= 0.9x",
        },
        {
            "name": "generation tokens/s, worker vs plain generate()",
            "value": w_gen,
            "unit": "tok/s",
            "baseline": base_gen,
            "baselineName": "plain generate()",
            "target": ">= 0.9x",
        },
        {
            "name": "SFT tokens/s with EMA vs without",
            "value": w_train_ema,
            "unit": "tok/s",
            "baseline": w_train,
            "baselineName": "worker without EMA",
            "target": "overhead < 5% (ratio > 0.95x)",
        },
        {"name": "EMA overhead", "value": max(0.0, 1 - w_train_ema / w_train) * 100, "unit": "%", "target": "< 5 %"},
        {
            "name": "local judge tokens/s vs plain greedy generate()",
            "value": w_judge,
            "unit": "tok/s",
            "baseline": base_judge,
            "baselineName": "plain generate()",
            "target": ">= 0.9x",
        },
        {
            "name": "activation extraction tokens/s (last layer) vs plain forward",
            "value": w_acts,
            "unit": "tok/s",
            "baseline": base_fwd,
            "baselineName": "plain forward, output_hidden_states",
            "target": ">= 0.9x",
        },
        {
            "name": "activation extraction tokens/s (middle layer) vs plain forward",
            "value": w_acts_mid,
            "unit": "tok/s",
            "baseline": base_fwd,
            "baselineName": "plain forward, output_hidden_states",
        },
    ]
    if dev.type == "cuda":
        rows += [
            {
                "name": "peak GPU memory, worker SFT",
                "value": mem_worker,
                "unit": "GiB",
                "baseline": mem_plain,
                "baselineName": "plain loop",
            },
            {
                "name": "peak GPU memory, worker SFT with EMA",
                "value": mem_ema,
                "unit": "GiB",
                "baseline": mem_worker,
                "baselineName": "without EMA",
            },
            {"name": "peak GPU memory, generation", "value": mem_gen, "unit": "GiB"},
            {"name": "peak GPU memory, local judge", "value": mem_judge, "unit": "GiB"},
            {"name": "peak GPU memory, activation extraction", "value": mem_acts, "unit": "GiB"},
        ]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu", "tiny": tiny, "rows": rows}, f, indent=2)
    for row in rows:
        ratio = f"  {row['value'] / row['baseline']:.3f}x of {row['baseline']:.1f} ({row['baselineName']})" if row.get("baseline") else ""
        print(f"{row['name']:<50} {row['value']:>10.2f} {row['unit']}{ratio}  target {row.get('target', '-')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
