"""Training rows: read, encode with the chat template, mask the prompt, truncate or drop long rows."""

from __future__ import annotations

import json
from typing import Any

from .chat import TargetMismatch, encode, split_row
from .protocol import Channel, WorkerError


def load_rows(path: str, tok: Any, max_length: int, overlong: str, ch: Channel) -> tuple[list[tuple[list[int], list[int]]], dict]:
    """Returns the encoded rows and counts {rows, used, truncated, dropped_overlong, bad}.

    `overlong`: `truncate` cuts the completion's tail to fit (a row whose prompt alone does not fit
    is dropped: it would teach nothing), `drop` drops every row longer than `max_length` tokens."""
    if overlong not in ("truncate", "drop"):
        raise WorkerError("bad_input", f"overlong must be truncate or drop, got '{overlong}'", None)
    try:
        f = open(path, encoding="utf-8")  # noqa: SIM115 - the with block below closes it; an open error is reported apart
    except OSError as e:
        raise WorkerError("bad_input", f"cannot read the training data {path}: {e.strerror}", "export a data set with `loophole export`")
    rows: list[tuple[list[int], list[int]]] = []
    counts = {"rows": 0, "used": 0, "truncated": 0, "dropped_overlong": 0, "bad": 0}
    with f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            counts["rows"] += 1
            try:
                parts = split_row(json.loads(line))
            except json.JSONDecodeError:
                parts = None
            if parts is None:
                counts["bad"] += 1
                if counts["bad"] <= 5:
                    ch.log(f"{path}:{lineno}: skipped: not a chat row ({{\"messages\"}}) or prompt/completion row", "warn")
                continue
            row_ids = json.loads(line).get("completion_token_ids")
            if row_ids is not None and not (
                isinstance(row_ids, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in row_ids)
            ):
                row_ids = None
                counts["bad"] += 1
                ch.log(f"{path}:{lineno}: skipped: completion_token_ids must be a list of token ids", "warn")
                continue
            try:
                ids, labels = encode(tok, *parts, completion_ids=row_ids)
            except TargetMismatch as e:
                counts["bad"] += 1
                if counts["bad"] <= 5:
                    ch.log(f"{path}:{lineno}: skipped: the trained tokens would not be the completion ({e})", "warn")
                continue
            if len(ids) > max_length:
                prompt_len = sum(1 for x in labels if x == -100)
                if overlong == "drop" or prompt_len >= max_length:
                    counts["dropped_overlong"] += 1
                    continue
                ids, labels = ids[:max_length], labels[:max_length]
                counts["truncated"] += 1
            rows.append((ids, labels))
    counts["used"] = len(rows)
    if not rows:
        raise WorkerError(
            "bad_input",
            f"no usable training row in {path} ({counts})",
            "raise max_length, use overlong=truncate, or check the file's format",
        )
    return rows, counts


def collate(batch: list[tuple[list[int], list[int]]], pad_id: int, device: Any):
    import torch

    width = max(len(ids) for ids, _ in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, (x, y) in enumerate(batch):
        ids[i, : len(x)] = torch.tensor(x)
        labels[i, : len(y)] = torch.tensor(y)
        mask[i, : len(x)] = 1
    return ids.to(device), labels.to(device), mask.to(device)
