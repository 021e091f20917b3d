"""`train`: LoRA supervised fine-tuning on chat rows, loss on completion tokens only.

The loop is plain PyTorch (no `Trainer`) so that it can stop at any optimizer step: cancel saves a
checkpoint and returns, a NaN loss stops *without* saving (the last good checkpoint stays the newest),
and `resume` continues from the newest checkpoint with the optimizer, scheduler, EMA, data position
and RNG restored.

Defaults are conservative on purpose (see `DEFAULTS`): a small learning rate, few epochs and a
modest rank change the model little, which keeps the base model's good behaviour (the point of the
recontextualization recipe is to change *which* behaviour is reinforced, not to move the model far).

Several GPUs: start the same module with `torchrun --nproc_per_node N -m loophole_worker` (or
`accelerate launch -m loophole_worker`) with the same config; each rank takes every N-th
micro-batch, gradients are averaged by DDP, and only rank 0 speaks the protocol and writes files.
The single-process path is the tested one.
"""

from __future__ import annotations

import contextlib
import glob
import json
import math
import os
import random
import shutil
import time
from typing import Any

from .dataset import collate, load_rows
from .protocol import Channel, WorkerError

DEFAULTS: dict[str, Any] = {
    "lr": 1e-5,  # small: LoRA at 1e-5 barely moves a model in a few hundred steps
    "scheduler": "cosine",
    "warmup_ratio": 0.05,
    "weight_decay": 0.0,
    "epochs": 1,
    "max_steps": None,  # a cap on optimizer steps, over the epochs
    "batch_size": 1,
    "grad_accum": 8,
    "max_length": 2048,
    "overlong": "truncate",
    "checkpoint_every": 50,
    "keep_checkpoints": 2,
    "max_grad_norm": 1.0,
    "lora": {"r": 16, "alpha": 32, "dropout": 0.05, "target_modules": "all-linear"},
    "ema": None,  # {} (decay from the step count) or {"decay": 0.999} to keep an EMA of the weights
    "eval_rows": 64,  # rows of the validation file (else of the training data) for the final loss
}


def _cfg(config: dict, key: str) -> Any:
    v = config.get(key)
    return DEFAULTS[key] if v is None else v


def _checkpoints(out_dir: str) -> list[str]:
    return sorted(glob.glob(os.path.join(out_dir, "checkpoints", "step-*[0-9]")))


def _rng_state() -> dict:
    """This process's random state: Python's, the CPU generator's and every CUDA device's (dropout on a
    GPU draws from the CUDA generator, so without it a resumed run would drop different units)."""
    import torch

    state = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict) -> None:
    import torch

    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    if state.get("cuda") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _save_checkpoint(
    out_dir: str,
    step: int,
    model: Any,
    opt: Any,
    sched: Any,
    ema: Any,
    extra: dict,
    keep: int,
    ch: Channel,
    rank_rng: list | None = None,
) -> str:
    import torch

    final = os.path.join(out_dir, "checkpoints", f"step-{step:07d}")
    tmp = final + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    model.save_pretrained(os.path.join(tmp, "adapter"))
    state = {"step": step, "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "rng": _rng_state(), **extra}
    if rank_rng is not None:
        state["rank_rng"] = rank_rng
    if ema is not None:
        state["ema"] = ema.state_dict()
    torch.save(state, os.path.join(tmp, "trainer.pt"))
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)  # a checkpoint exists whole or not at all
    for old in _checkpoints(out_dir)[: -max(1, keep)]:
        shutil.rmtree(old, ignore_errors=True)
    ch.artifact("checkpoint", final, step=step)
    return final


def _eval_loss(model: Any, rows: list, pad_id: int, device: Any) -> float | None:
    import torch

    if not rows:
        return None
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for ids, labels in rows:
            x, y, m = collate([(ids, labels)], pad_id, device)
            n = int((y[:, 1:] != -100).sum())
            if n == 0:
                continue
            total += float(model(input_ids=x, attention_mask=m, labels=y).loss) * n
            count += n
    model.train()
    return total / count if count else None


def run_train(config: dict, ch: Channel) -> dict:
    import torch
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import get_scheduler

    from .ema import Ema, auto_decay
    from .model import load

    out_dir = config.get("out_dir")
    if not out_dir:
        raise WorkerError("bad_input", "train needs 'out_dir'", None)
    if not config.get("data"):
        raise WorkerError("bad_input", "train needs 'data' (a chat or prompt/completion JSONL file)", "export one with `loophole export`")
    os.makedirs(out_dir, exist_ok=True)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        import torch.distributed as dist

        local = int(os.environ.get("LOCAL_RANK", "0"))
        # GPUs talk over NCCL; `device: cpu` (tests, CPU-only machines) over gloo
        if str(config.get("device", "")) == "cpu":
            dist.init_process_group("gloo")
        else:
            config = {**config, "device": f"cuda:{local}"}
            dist.init_process_group("nccl")
    seed = int(config.get("seed", 0))
    random.seed(seed)
    torch.manual_seed(seed)

    model, tok, device, _dtype = load({**config, "adapter": None}, for_training=True)
    max_length = int(_cfg(config, "max_length"))
    rows, counts = load_rows(config["data"], tok, max_length, str(_cfg(config, "overlong")), ch)
    ch.log(
        f"training rows: {counts['used']} used of {counts['rows']} "
        f"({counts['truncated']} truncated, {counts['dropped_overlong']} dropped as longer than {max_length} tokens, {counts['bad']} unreadable)"
    )
    val_rows: list = []
    if config.get("validation"):
        val_rows, _ = load_rows(config["validation"], tok, max_length, "truncate", ch)
    eval_rows = (val_rows or rows)[: int(_cfg(config, "eval_rows"))]

    lora = {**DEFAULTS["lora"], **(config.get("lora") or {})}
    resume_from = _checkpoints(out_dir)[-1] if config.get("resume") and _checkpoints(out_dir) else None
    if resume_from:
        model = PeftModel.from_pretrained(model, os.path.join(resume_from, "adapter"), is_trainable=True)
    else:
        model = get_peft_model(
            model,
            LoraConfig(
                r=int(lora["r"]),
                lora_alpha=int(lora["alpha"]),
                lora_dropout=float(lora["dropout"]),
                target_modules=lora["target_modules"],
                task_type="CAUSAL_LM",
            ),
        )
    model.to(device)
    if config.get("gradient_checkpointing"):
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    ch.log(
        f"LoRA r={lora['r']} alpha={lora['alpha']} dropout={lora['dropout']}: {sum(p.numel() for p in trainable):,} trainable parameters"
    )
    net = model
    if world > 1:
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)

    batch, accum = int(_cfg(config, "batch_size")), int(_cfg(config, "grad_accum"))
    micro_per_epoch = math.ceil(len(rows) / batch)
    steps_per_epoch = max(1, math.ceil(micro_per_epoch / (accum * world)))
    epochs = float(_cfg(config, "epochs"))
    total_steps = max(1, math.ceil(steps_per_epoch * epochs))
    if _cfg(config, "max_steps") is not None:
        total_steps = min(total_steps, int(_cfg(config, "max_steps")))
    lr = float(_cfg(config, "lr"))
    if config.get("debug_lr_scale") is not None:
        lr *= float(config["debug_lr_scale"])
    opt = torch.optim.AdamW(trainable, lr=lr, weight_decay=float(_cfg(config, "weight_decay")), fused=device.type == "cuda")
    sched = get_scheduler(
        str(_cfg(config, "scheduler")),
        opt,
        num_warmup_steps=round(float(_cfg(config, "warmup_ratio")) * total_steps),
        num_training_steps=total_steps,
    )
    ema_cfg = config.get("ema")
    ema = None
    if ema_cfg is not None and not isinstance(ema_cfg, dict):
        raise WorkerError("bad_input", f"ema must be an object such as {{\"decay\": 0.99}} or null, got {ema_cfg!r}")
    if isinstance(ema_cfg, dict):
        decay = ema_cfg.get("decay")
        if decay is None:
            decay = auto_decay(total_steps)
        if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not 0.0 < float(decay) < 1.0:
            raise WorkerError(
                "bad_input",
                f"the EMA decay must be above 0 and below 1, got {decay!r}",
                "give e.g. --ema 0.99, or --no-ema to train without an EMA",
            )
        ema = Ema(model, float(decay))
        ch.log(
            f"EMA of the weights: decay {ema.decay:.4g}{' (chosen from ' + str(total_steps) + ' optimizer steps)' if ema_cfg.get('decay') is None else ''}, warmed up as min(decay, (1+t)/(10+t))"
        )

    step = 0
    if resume_from:
        state = torch.load(os.path.join(resume_from, "trainer.pt"), weights_only=False)
        step = int(state["step"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        per_rank = state.get("rank_rng")
        _set_rng_state(per_rank[rank] if per_rank and rank < len(per_rank) else state["rng"])
        if ema is not None and "ema" in state:
            ema.load_state_dict(state["ema"])
        ch.log(f"resumed from {resume_from} at step {step} of {total_steps}")
        ch.artifact("resumed", resume_from, step=step)

    every = int(_cfg(config, "checkpoint_every"))
    keep = int(_cfg(config, "keep_checkpoints"))
    nan_at = config.get("debug_nan_at_step")
    max_norm = float(_cfg(config, "max_grad_norm"))
    last_ckpt = resume_from
    last_loss: float | None = None
    status = "completed"
    speak = rank == 0

    def order(epoch: int) -> list[int]:
        idx = list(range(len(rows)))
        random.Random(seed * 1_000_003 + epoch).shuffle(idx)
        return idx

    ch.progress(step, total_steps, "training")
    while step < total_steps:
        epoch, in_epoch = divmod(step, steps_per_epoch)
        idx = order(epoch)
        micro = [idx[i : i + batch] for i in range(0, len(idx), batch)]
        step_micro = micro[in_epoch * accum * world : (in_epoch + 1) * accum * world]
        if not step_micro:  # the epoch's last partial step already ran
            step += 1
            continue
        # Every rank knows every rank's share (same rows, same order), so all of them run the same number
        # of backward passes (a rank with fewer micro-batches pads with zero-weight ones: DDP reduces
        # gradients at each backward, and a rank that skipped one would leave the others waiting), and
        # all weight their tokens by the step's global completion-token count: the loss is a token mean
        # over the whole step, not a mean of per-rank means.
        shares = [step_micro[r::world] for r in range(world)]
        group = shares[rank]
        passes = max(len(g) for g in shares)
        n_tokens = sum(1 for g in step_micro for i in g for y in rows[i][1][1:] if y != -100)
        t0 = time.perf_counter()
        seen_tokens = 0
        loss_sum = 0.0
        for p in range(passes):
            real = p < len(group)
            g = group[p] if real else step_micro[0]
            x, y, m = collate([rows[i] for i in g], tok.pad_token_id, device)
            k = int((y[:, 1:] != -100).sum())
            sync = world > 1 and p < passes - 1
            with net.no_sync() if sync else contextlib.nullcontext():
                out = net(input_ids=x, attention_mask=m, labels=y)
                loss = out.loss
                if nan_at is not None and step + 1 == int(nan_at):
                    loss = loss * float("nan")
                # DDP averages gradients over ranks: scale by world so the sum over ranks is the token mean
                weight = (k / max(1, n_tokens)) * world if real else 0.0
                (loss * weight).backward()
            if real:
                seen_tokens += int(m.sum())
                loss_sum += float(loss.detach()) * k
        if world > 1:
            import torch.distributed as dist

            totals = torch.tensor([loss_sum, float(seen_tokens)], dtype=torch.float64)
            dist.all_reduce(totals)
            loss_sum, seen_tokens = float(totals[0]), int(totals[1])
        step_loss = loss_sum / max(1, n_tokens)
        if not math.isfinite(step_loss):
            opt.zero_grad(set_to_none=True)
            where = f"the last good checkpoint is {last_ckpt}" if last_ckpt else "no checkpoint was written before it"
            raise WorkerError(
                "nan_loss",
                f"the loss became {step_loss} at step {step + 1}; training stopped and nothing from this step was saved ({where})",
                "lower the learning rate (lr) or raise warmup_ratio, check the data for empty completions, then resume",
            )
        if max_norm > 0:
            torch.nn.utils.clip_grad_norm_(trainable, max_norm)
        step_lr = sched.get_last_lr()[0]  # the rate this step used
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if ema is not None:
            ema.update()
        step += 1
        last_loss = step_loss
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        dt = time.perf_counter() - t0
        if speak:
            ch.send(
                "metric",
                step=step,
                loss=step_loss,
                lr=step_lr,
                tokens_per_s=seen_tokens / dt if dt > 0 else 0.0,
                epoch=step / steps_per_epoch,
            )
            ch.progress(step, total_steps, "training")
        stop = ch.cancelled.is_set()
        scheduled = step % every == 0 or step == total_steps
        rank_rng = None
        if world > 1 and scheduled:  # every rank reaches this together: gather each one's random state
            import torch.distributed as dist

            rank_rng = [None] * world
            dist.all_gather_object(rank_rng, _rng_state())
        if speak and (stop or scheduled):
            last_ckpt = _save_checkpoint(out_dir, step, model, opt, sched, ema, {"counts": counts}, keep, ch, rank_rng)
        if stop:
            status = "cancelled"
            break

    result: dict = {"status": status, "step": step, "total_steps": total_steps, "loss": last_loss, "rows": counts, "checkpoint": last_ckpt}
    if status == "completed" and speak:
        adapter_dir = os.path.join(out_dir, "adapter")
        model.save_pretrained(adapter_dir)
        tok.save_pretrained(adapter_dir)
        ch.artifact("adapter", adapter_dir, step=step)
        result["adapter"] = adapter_dir
        result["eval_loss"] = {"raw": _eval_loss(model, eval_rows, tok.pad_token_id, device)}
        if ema is not None:
            with ema.applied():
                ema_dir = os.path.join(out_dir, "adapter-ema")
                model.save_pretrained(ema_dir)
                tok.save_pretrained(ema_dir)
                ch.artifact("ema_adapter", ema_dir, step=step)
                result["ema_adapter"] = ema_dir
                result["ema_decay"] = ema.decay
                result["eval_loss"]["ema"] = _eval_loss(model, eval_rows, tok.pad_token_id, device)
        with open(os.path.join(out_dir, "train_result.json"), "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    if world > 1:
        import torch.distributed as dist

        dist.destroy_process_group()
    return result
