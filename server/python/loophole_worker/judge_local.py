"""`judge`: chat completions from a locally loaded model, for the LLM judge.

Unlike the other commands this one serves: after `start` it loads the model once, then answers `chat`
requests from stdin (`{"type":"chat","id",messages,schema?,max_tokens?}`) with `reply` messages
(`{"type":"reply","id",content,prompt_tokens,completion_tokens}` or `{"type":"reply","id",error}`)
until stdin closes or `cancel` arrives; its `result` is the token count of the session. The rubric,
the schema validation, the retry and the cache stay with the server's judge: this is only its model.

Requests that arrive together are generated together (one batch). Greedy decoding. With vLLM
installed and a Hugging Face folder, vLLM generates under the reply's JSON schema (structured
output); otherwise transformers generates and the reply is primed with `{` so a small model starts
its JSON at once. Either way the server validates every reply.
"""

from __future__ import annotations

import importlib.util
import queue
import time
from typing import Any

from .chat import prompt_text
from .protocol import Channel, WorkerError

DEFAULT_MAX_NEW_TOKENS = 512


def _backend(config: dict) -> str:
    wanted = config.get("backend") or "auto"
    if wanted not in ("auto", "vllm", "transformers"):
        raise WorkerError("bad_input", f"unknown judge backend {wanted!r}", "use auto, vllm or transformers")
    has_vllm = importlib.util.find_spec("vllm") is not None
    if wanted == "vllm" and not has_vllm:
        raise WorkerError("missing_package", "the judge backend 'vllm' was asked for but vllm is not installed", "pip install vllm")
    if wanted == "transformers":
        return "transformers"
    return "vllm" if has_vllm else "transformers"


class TransformersGenerator:
    def __init__(self, config: dict, ch: Channel):
        from .model import load

        self.model, self.tok, self.device, dtype = load(config)
        self.tok.padding_side = "left"
        ch.log(f"judge model loaded on {self.device} as {str(dtype).replace('torch.', '')} (transformers)")

    def generate(self, requests: list[dict], default_max: int) -> list[dict]:
        import torch

        primes = ["{" if r.get("schema") else "" for r in requests]
        texts = [prompt_text(self.tok, r["messages"]) + p for r, p in zip(requests, primes)]
        enc = self.tok(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        max_new = max(int(r.get("max_tokens") or default_max) for r in requests)
        kw: dict = {"max_new_tokens": max_new, "do_sample": False, "pad_token_id": self.tok.pad_token_id}
        if any(r.get("min_tokens") for r in requests):  # fixed-length replies, for throughput measurements
            kw["min_new_tokens"] = max(int(r.get("min_tokens") or 0) for r in requests)
        with torch.inference_mode():
            seqs = self.model.generate(**enc, **kw)
        new = seqs[:, enc["input_ids"].shape[1] :]
        out = []
        for j, r in enumerate(requests):
            ids = new[j]
            if self.tok.pad_token_id is not None:
                ids = ids[ids != self.tok.pad_token_id]
            prompt_tokens = int(enc["attention_mask"][j].sum())
            out.append(
                {
                    "content": primes[j] + self.tok.decode(ids, skip_special_tokens=True),
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": int(ids.numel()),
                }
            )
        return out


class VllmGenerator:
    def __init__(self, config: dict, ch: Channel):
        from vllm import LLM

        from .model import resolve_model

        folder, gguf = resolve_model(str(config.get("model")))
        if gguf:
            raise WorkerError(
                "bad_input",
                "the vllm judge backend takes a Hugging Face folder, not a .gguf file",
                "pass backend 'transformers' for GGUF models, or a model folder",
            )
        kw: dict = {"model": folder, "seed": int(config.get("seed", 0))}
        if config.get("gpu_memory_utilization"):
            kw["gpu_memory_utilization"] = float(config["gpu_memory_utilization"])
        self.llm = LLM(**kw)
        ch.log(f"judge model loaded in vLLM from {folder}")

    def _params(self, r: dict, default_max: int) -> Any:
        from vllm import SamplingParams

        kw: dict = {"temperature": 0.0, "max_tokens": int(r.get("max_tokens") or default_max)}
        schema = r.get("schema")
        if schema:
            try:  # newer vLLM
                from vllm.sampling_params import StructuredOutputsParams

                kw["structured_outputs"] = StructuredOutputsParams(json=schema)
            except ImportError:
                from vllm.sampling_params import GuidedDecodingParams

                kw["guided_decoding"] = GuidedDecodingParams(json=schema)
        return SamplingParams(**kw)

    def generate(self, requests: list[dict], default_max: int) -> list[dict]:
        outs = self.llm.chat([r["messages"] for r in requests], [self._params(r, default_max) for r in requests], use_tqdm=False)
        return [
            {"content": o.outputs[0].text, "prompt_tokens": len(o.prompt_token_ids or []), "completion_tokens": len(o.outputs[0].token_ids)}
            for o in outs
        ]


def _valid(msg: dict) -> str | None:
    if not isinstance(msg.get("id"), (str, int)):
        return "a chat request needs an 'id'"
    ms = msg.get("messages")
    if not isinstance(ms, list) or not ms or not all(isinstance(m, dict) and isinstance(m.get("content"), str) for m in ms):
        return "a chat request needs a non-empty 'messages' list of {role, content}"
    return None


def run_judge(config: dict, ch: Channel) -> dict:
    backend = _backend(config)
    gen = VllmGenerator(config, ch) if backend == "vllm" else TransformersGenerator(config, ch)
    default_max = int(config.get("max_new_tokens") or DEFAULT_MAX_NEW_TOKENS)
    batch = max(1, int(config.get("batch_size") or 4))
    totals = {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0, "seconds": 0.0}
    ch.send("ready", backend=backend)
    while True:
        msg = ch.requests.get()
        if msg is None:
            break
        pending = [msg]
        while len(pending) < batch:
            try:
                nxt = ch.requests.get_nowait()
            except queue.Empty:
                break
            if nxt is None:
                ch.requests.put(None)  # end after this batch
                break
            pending.append(nxt)
        good = []
        for m in pending:
            err = _valid(m)
            if err:
                ch.send("reply", id=m.get("id"), error=err)
            else:
                good.append(m)
        if not good:
            continue
        started = time.perf_counter()
        try:
            replies = gen.generate(good, default_max)
        except Exception as e:  # noqa: BLE001 - one failed batch answers its requests; the session goes on
            from .errors import classify

            failure = classify(e)
            for m in good:
                ch.send("reply", id=m["id"], error=failure.message)
            if failure.kind == "oom":
                raise failure
            continue
        totals["seconds"] += time.perf_counter() - started
        for m, r in zip(good, replies):
            totals["requests"] += 1
            totals["prompt_tokens"] += r["prompt_tokens"]
            totals["completion_tokens"] += r["completion_tokens"]
            ch.send("reply", id=m["id"], **r)
    return {"backend": backend, **totals}
