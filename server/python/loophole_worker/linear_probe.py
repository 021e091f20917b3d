"""Linear probes on pooled activations: `probe-train` and `probe-score`.

Training: standardise each feature (mean/std of the training rows), then fit a logistic regression
with class-balanced weights (each class carries half the loss whatever its size) and an L2 penalty,
by L-BFGS in float64. With enough rows, a stratified k-fold cross-validated AUROC is reported beside
the training AUROC, so a reviewer sees how much of the fit is memorisation.

Calibration: with hundreds of dimensions and a few hundred rows the fit separates its training rows,
so its raw probabilities sit near 0 and 1 whatever it will do on new candidates. The probe's output is
therefore Platt-scaled on the out-of-fold logits of the same cross-validation (class-balanced, so it
stays a likelihood ratio at even odds, as the ensemble reads every scorer): `p = sigmoid(a * z + b)`
with the slope `a` kept in [0, 1] — calibration only softens the fit, and a probe no better than chance
out of fold (a = 0) says 0.5 for everything. Without enough rows for the cross-validation (fewer than 5
of a class) the logit is halved instead (a = 0.5, b = 0).

The probe file (JSON) records the model's identity, the layer, the pooling and the token caps; scoring
refuses a model other than the probe's. Counts are checked before any model is loaded and the file is
written to a temporary name and renamed, so a refused or failed run leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from typing import Any

from .activations import POOLING, _rates, make_extractor, model_identity, validate_items
from .protocol import Channel, WorkerError

PROBE_FORMAT = "loophole-probe-1"
MIN_PER_CLASS = 5
DEFAULT_L2 = 0.05


def auroc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Mann-Whitney AUROC with ties counted half; None without both classes."""
    pos = [s for s, y in zip(scores, labels) if y == 1]
    neg = [s for s, y in zip(scores, labels) if y == 0]
    if not pos or not neg:
        return None
    ranked = sorted((s, i) for i, s in enumerate(scores))
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k][1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = sum(r for r, y in zip(ranks, labels) if y == 1)
    return (r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def check_counts(labels: Sequence[int], min_per_class: int = MIN_PER_CLASS) -> None:
    hacks = sum(1 for y in labels if y == 1)
    cleans = len(labels) - hacks
    if hacks >= min_per_class and cleans >= min_per_class:
        return
    need = []
    if hacks < min_per_class:
        need.append(f"{min_per_class - hacks} more hack")
    if cleans < min_per_class:
        need.append(f"{min_per_class - cleans} more clean")
    one_class = " (only one class)" if hacks == 0 or cleans == 0 else ""
    raise WorkerError(
        "bad_input",
        f"too few labels to train a probe{one_class}: {hacks} hack and {cleans} clean; a probe needs at least {min_per_class} of each",
        f"label {' and '.join(need)} candidate(s), or add a labelled data set",
    )


def fit_logistic(x: Any, y: Any, l2: float = DEFAULT_L2) -> tuple[Any, float, Any, Any]:
    """(weights, bias, mean, scale) of a class-balanced L2 logistic regression on standardised x."""
    import torch

    X = torch.as_tensor(x, dtype=torch.float64)
    Y = torch.as_tensor(y, dtype=torch.float64)
    mean = X.mean(0)
    scale = X.std(0, unbiased=False).clamp_min(1e-6)
    Z = (X - mean) / scale
    n_pos = float(Y.sum())
    n_neg = float(len(Y)) - n_pos
    sample_w = torch.where(Y > 0.5, 0.5 / n_pos, 0.5 / n_neg)
    w = torch.zeros(Z.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS(
        [w, b], lr=1.0, max_iter=300, tolerance_grad=1e-9, tolerance_change=1e-12, history_size=20, line_search_fn="strong_wolfe"
    )

    def closure():
        opt.zero_grad()
        logits = Z @ w + b
        loss = (sample_w * torch.nn.functional.binary_cross_entropy_with_logits(logits, Y, reduction="none")).sum()
        loss = loss + 0.5 * l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach().numpy(), float(b.detach()), mean.numpy(), scale.numpy()


def logits(probe: dict[str, Any], x: Any) -> Any:
    """The raw (uncalibrated) log-odds of the fit."""
    import numpy as np

    Z = (np.asarray(x, dtype=np.float64) - np.asarray(probe["mean"])) / np.asarray(probe["scale"])
    return Z @ np.asarray(probe["weights"]) + float(probe["bias"])


def predict(probe: dict[str, Any], x: Any, calibrated: bool = True) -> list[float]:
    """Probabilities; through the probe's calibration when it has one (probes written before it had none)."""
    import numpy as np

    z = logits(probe, x)
    cal = probe.get("calibration") if calibrated else None
    if cal:
        z = float(cal["slope"]) * z + float(cal["intercept"])
    return [float(v) for v in 1.0 / (1.0 + np.exp(-z))]


def fit_platt(z: Sequence[float], y: Sequence[int]) -> tuple[float, float]:
    """(slope, intercept) of a class-balanced logistic fit of y on z, the slope kept in [0, 1]."""
    import torch

    Z = torch.as_tensor(list(z), dtype=torch.float64)
    Y = torch.as_tensor(list(y), dtype=torch.float64)
    n_pos = float(Y.sum())
    n_neg = float(len(Y)) - n_pos
    sample_w = torch.where(Y > 0.5, 0.5 / n_pos, 0.5 / n_neg)

    def fit(slope: float | None) -> tuple[float, float]:
        a = torch.tensor(1.0 if slope is None else slope, dtype=torch.float64, requires_grad=slope is None)
        b = torch.zeros((), dtype=torch.float64, requires_grad=True)
        params = [a, b] if slope is None else [b]
        opt = torch.optim.LBFGS(params, lr=1.0, max_iter=200, tolerance_grad=1e-10, history_size=10, line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            loss = (sample_w * torch.nn.functional.binary_cross_entropy_with_logits(a * Z + b, Y, reduction="none")).sum()
            loss = loss + 1e-4 * a * a  # separable out-of-fold logits: a finite slope
            loss.backward()
            return loss

        opt.step(closure)
        return float(a.detach()), float(b.detach())

    a, b = fit(None)
    if not 0.0 <= a <= 1.0:
        a, b = fit(min(1.0, max(0.0, a)))
    return a, b


def out_of_fold_logits(x: Any, y: Sequence[int], l2: float, folds: int = 5, seed: int = 0) -> list[float] | None:
    """Each row's raw logit from a fit on the other folds (stratified); None with too few rows."""
    import numpy as np

    y = list(y)
    if min(sum(y), len(y) - sum(y)) < folds:
        return None
    rng = np.random.default_rng(seed)
    fold_of = [0] * len(y)
    for cls in (0, 1):
        idx = [i for i, v in enumerate(y) if v == cls]
        rng.shuffle(idx)
        for k, i in enumerate(idx):
            fold_of[i] = k % folds
    scores = [0.0] * len(y)
    X = np.asarray(x)
    for f in range(folds):
        tr = [i for i in range(len(y)) if fold_of[i] != f]
        te = [i for i in range(len(y)) if fold_of[i] == f]
        w, b, mean, scale = fit_logistic(X[tr], [y[i] for i in tr], l2)
        for i, z in zip(te, logits({"weights": w, "bias": b, "mean": mean, "scale": scale}, X[te])):
            scores[i] = float(z)
    return scores


def cross_validated_auroc(x: Any, y: Sequence[int], l2: float, folds: int = 5, seed: int = 0) -> float | None:
    scores = out_of_fold_logits(x, y, l2, folds, seed)
    return None if scores is None else auroc(scores, list(y))


def _labelled(config: dict) -> tuple[list[dict], list[int]]:
    items = validate_items(config.get("items"))
    labels = []
    for i, it in enumerate(items):
        lab = it.get("label")
        if lab not in ("hack", "clean"):
            raise WorkerError("bad_input", f"item #{i + 1} ({it['id']}) needs a label 'hack' or 'clean', got {lab!r}", None)
        labels.append(1 if lab == "hack" else 0)
    return items, labels


def write_json_atomic(path: str, value: Any) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f)
    os.replace(tmp, path)


def run_probe_train(config: dict, ch: Channel) -> dict:
    items, labels = _labelled(config)
    min_per_class = int(config.get("min_per_class") or MIN_PER_CLASS)
    check_counts(labels, min_per_class)
    out = config.get("out")
    if not out or not str(out).endswith(".json"):
        raise WorkerError("bad_input", "probe-train needs 'out', the probe file to write (a .json path)", None)
    l2_given = config.get("l2")
    l2 = float(l2_given) if l2_given is not None else DEFAULT_L2
    ex = make_extractor(config, ch)
    vecs = ex.vectors(items, "activations for training")
    import numpy as np

    X = np.stack([vecs[it["id"]] for it in items])
    started = time.perf_counter()
    w, b, mean, scale = fit_logistic(X, labels, l2)
    probe = {
        "format": PROBE_FORMAT,
        "model": {"spec": str(config.get("model")), "identity": ex.ident, **ex.shape},
        "layer": ex.layer,
        "pooling": POOLING,
        "max_tokens": ex.max_tokens,
        "max_prompt_tokens": ex.max_prompt_tokens,
        "l2": l2,
        "counts": {"hack": sum(labels), "clean": len(labels) - sum(labels)},
        "weights": [float(v) for v in w],
        "bias": b,
        "mean": [float(v) for v in mean],
        "scale": [float(v) for v in scale],
    }
    probe["train_auroc"] = auroc(predict(probe, X, calibrated=False), labels)
    oof = out_of_fold_logits(X, labels, l2) if config.get("cross_validate", True) else None
    probe["cv_auroc"] = None if oof is None else auroc(oof, labels)
    if oof is not None:
        slope, intercept = fit_platt(oof, labels)
        probe["calibration"] = {"method": "platt-out-of-fold", "slope": slope, "intercept": intercept}
    else:
        probe["calibration"] = {"method": "fixed-softening", "slope": 0.5, "intercept": 0.0}
    probe["trained_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    fit_s = time.perf_counter() - started
    write_json_atomic(out, probe)
    ch.artifact("probe", out, count=len(items))
    return {
        "probe": out,
        "layer": ex.layer,
        "model": ex.ident,
        "counts": probe["counts"],
        "train_auroc": probe["train_auroc"],
        "cv_auroc": probe["cv_auroc"],
        "calibration": probe["calibration"],
        "fit_seconds": fit_s,
        "stats": _rates(ex.stats),
    }


def read_probe(path: Any) -> dict[str, Any]:
    if not isinstance(path, str) or not path:
        raise WorkerError("bad_input", "probe-score needs 'probe', the probe file `loophole probe train` wrote", None)
    try:
        with open(path, encoding="utf-8") as f:
            probe = json.load(f)
    except FileNotFoundError:
        raise WorkerError("bad_input", f"probe not found: {path}", "train one with `loophole probe train`") from None
    except (OSError, ValueError) as e:
        raise WorkerError("bad_input", f"{path} is not a probe file: {e}", None) from None
    if not isinstance(probe, dict) or probe.get("format") != PROBE_FORMAT:
        raise WorkerError("bad_input", f"{path} is not a probe file (expected format {PROBE_FORMAT})", None)
    if len(probe.get("weights", [])) != probe.get("model", {}).get("hidden_size"):
        raise WorkerError("bad_input", f"{path}: the weights do not match the recorded hidden size", None)
    return probe


def _probe_extractor(config: dict, ch: Channel) -> tuple:
    """The probe and an extractor of its model and layer; refuses another model than the probe's."""
    probe = read_probe(config.get("probe"))
    model_config = dict(config)
    model_config["model"] = config.get("model") or probe["model"]["spec"]
    ident = model_identity(model_config)
    if ident != probe["model"]["identity"]:
        raise WorkerError(
            "bad_input",
            f"the probe was trained on activations of {probe['model']['identity']} (layer {probe['layer']}), "
            f"not of {ident}; a probe only reads the model and layer it was trained on",
            "score with the probe's own model, or train a probe for this model",
        )
    if config.get("layer") is not None and config.get("layer") != probe["layer"]:
        raise WorkerError("bad_input", f"the probe reads layer {probe['layer']}, not layer {config.get('layer')}", None)
    model_config.update(layer=probe["layer"], max_tokens=probe["max_tokens"], max_prompt_tokens=probe["max_prompt_tokens"])
    ex = make_extractor(model_config, ch)
    if ex.shape["hidden_size"] != probe["model"]["hidden_size"]:
        raise WorkerError(
            "bad_input", f"the model's width {ex.shape['hidden_size']} differs from the probe's {probe['model']['hidden_size']}", None
        )
    return probe, ex


def _score(probe: dict[str, Any], ex: Any, items: list[dict]) -> list[dict]:
    import numpy as np

    vecs = ex.vectors(items, "activations for scoring")
    probs = predict(probe, np.stack([vecs[it["id"]] for it in items])) if items else []
    return [{"id": it["id"], "probability": p} for it, p in zip(items, probs)]


def run_probe_score(config: dict, ch: Channel) -> dict:
    """One-shot: scores `items` and returns."""
    probe, ex = _probe_extractor(config, ch)
    scores = _score(probe, ex, validate_items(config.get("items")))
    return {"scores": scores, "layer": probe["layer"], "model": probe["model"]["spec"], "stats": _rates(ex.stats)}


def run_probe_serve(config: dict, ch: Channel) -> dict:
    """Serving: after `ready`, answers `score` requests (`{"type":"score","id",items}`) with `reply`
    (`{id, scores}` or `{id, error}`) until stdin closes; the model loads on the first uncached item."""
    probe, ex = _probe_extractor(config, ch)
    ch.send("ready", layer=probe["layer"], model=probe["model"]["spec"])
    while True:
        msg = ch.requests.get()
        if msg is None:
            break
        try:
            ch.send("reply", id=msg.get("id"), scores=_score(probe, ex, validate_items(msg.get("items"))))
        except WorkerError as e:
            if ch.cancelled.is_set():
                break
            ch.send("reply", id=msg.get("id"), error=e.message)
    return {"layer": probe["layer"], "model": probe["model"]["spec"], "stats": _rates(ex.stats)}
