"""An exponential moving average of the trainable weights, in parameter space.

shadow <- decay * shadow + (1 - decay) * weight after every optimizer step. Only the trainable
tensors (the LoRA matrices) are averaged: the frozen base weights never move, so their average is
themselves. Updates use fused `torch._foreach_*` calls so the cost is a few kernel launches per step.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Dict, List


class Ema:
    def __init__(self, model: Any, decay: float) -> None:
        if not 0.0 < decay < 1.0:
            raise ValueError(f"EMA decay must be between 0 and 1, got {decay}")
        self.decay = decay
        self.names: List[str] = [n for n, p in model.named_parameters() if p.requires_grad]
        self.params = [p for _, p in model.named_parameters() if p.requires_grad]
        self.shadow = [p.detach().clone().float() for p in self.params]

    def update(self) -> None:
        import torch

        with torch.no_grad():
            cur = [p.detach().float() for p in self.params] if self.params and self.params[0].dtype != torch.float32 else [p.detach() for p in self.params]
            torch._foreach_mul_(self.shadow, self.decay)
            torch._foreach_add_(self.shadow, cur, alpha=1.0 - self.decay)

    def state_dict(self) -> Dict[str, Any]:
        return {"decay": self.decay, "shadow": dict(zip(self.names, self.shadow))}

    def load_state_dict(self, state: Dict[str, Any]) -> None:
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
