"""An exponential moving average of the trainable weights, in parameter space.

shadow <- d_t * shadow + (1 - d_t) * weight after the t-th optimizer step (t = 0, 1, ...), with the
warmed-up decay d_t = min(decay, (1 + t) / (10 + t)): early on the average follows the weights closely,
so the initial adapter (LoRA B = 0) does not dominate a short run. Without a decay, `auto_decay` picks
one from the number of optimizer steps (an averaging window of about a tenth of the run). Only the trainable
tensors (the LoRA matrices) are averaged: the frozen base weights never move, so their average is
themselves. Updates use fused `torch._foreach_*` calls so the cost is a few kernel launches per step.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any


def auto_decay(total_steps: int) -> float:
    """A decay whose averaging window 1 / (1 - decay) is about a tenth of the run, within [0.5, 0.9999]."""
    return min(0.9999, max(0.5, 1.0 - 10.0 / max(1, total_steps)))


def warmed_decay(decay: float, t: int) -> float:
    """The decay used at the t-th update (0-based)."""
    return min(decay, (1.0 + t) / (10.0 + t))


class Ema:
    def __init__(self, model: Any, decay: float) -> None:
        if not (isinstance(decay, (int, float)) and 0.0 < decay < 1.0):
            raise ValueError(f"EMA decay must be above 0 and below 1, got {decay!r}")
        self.decay = float(decay)
        self.updates = 0
        self.names: list[str] = [n for n, p in model.named_parameters() if p.requires_grad]
        self.params = [p for _, p in model.named_parameters() if p.requires_grad]
        self.shadow = [p.detach().clone().float() for p in self.params]

    def update(self) -> None:
        import torch

        with torch.no_grad():
            cur = (
                [p.detach().float() for p in self.params]
                if self.params and self.params[0].dtype != torch.float32
                else [p.detach() for p in self.params]
            )
            d = warmed_decay(self.decay, self.updates)
            torch._foreach_mul_(self.shadow, d)
            torch._foreach_add_(self.shadow, cur, alpha=1.0 - d)
        self.updates += 1

    def state_dict(self) -> dict[str, Any]:
        return {"decay": self.decay, "updates": self.updates, "shadow": dict(zip(self.names, self.shadow))}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.updates = int(state.get("updates", 0))
        for i, n in enumerate(self.names):
            self.shadow[i].copy_(state["shadow"][n])

    @contextmanager
    def applied(self):
        """Swaps the averaged weights in for evaluation or saving, and the raw ones back after."""
        import torch

        backup = [p.detach().clone() for p in self.params]
        with torch.no_grad():
            for p, s in zip(self.params, self.shadow):
                p.copy_(s.to(p.dtype))
        try:
            yield
        finally:
            with torch.no_grad():
                for p, b in zip(self.params, backup):
                    p.copy_(b)
