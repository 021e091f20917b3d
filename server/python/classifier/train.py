"""Train the hack classifier and export it as ONNX, with its model card.

    python3 server/python/classifier/train.py out/classifier/dataset.jsonl \
        [--external out/classifier/external.jsonl] [--out media/models]

The data comes from `server/src/scoring/classifier/make-dataset.ts` (features computed by the same
TypeScript featurizer that scores candidates). The model is an L2-regularised, class-balanced logistic
regression fitted by full-batch gradient descent in numpy. The exported graph is

    x[N,F] -> Sub(mean) -> Div(std) -> MatMul(W[F,1]) -> Add(b) -> Sigmoid -> probability[N,1]

so the standardisation travels inside the model and the TypeScript side feeds raw features.
Needs: numpy, onnx.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

L2 = 1e-2
EPOCHS = 4000
LR = 0.2


def load(path):
    with open(path) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def auroc(y, p):
    """Probability that a random positive outranks a random negative (ties count half)."""
    y = np.asarray(y)
    p = np.asarray(p)
    pos = p[y == 1]
    neg = p[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def metrics(y, p, threshold=0.5):
    y = np.asarray(y)
    pred = (np.asarray(p) >= threshold).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    tn = int(((pred == 0) & (y == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": int(len(y)),
        "auroc": round(auroc(y, p), 4),
        "accuracy": round((tp + tn) / len(y), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
    }


def fit(x, y):
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-6] = 1.0
    z = (x - mean) / std
    n, f = z.shape
    # class-balanced sample weights
    pos = y.sum()
    w_s = np.where(y == 1, n / (2 * pos), n / (2 * (n - pos)))
    w = np.zeros(f)
    b = 0.0
    for _ in range(EPOCHS):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = w_s * (p - y)
        w -= LR * (z.T @ g / n + L2 * w)
        b -= LR * g.mean()
    return mean.astype(np.float32), std.astype(np.float32), w.astype(np.float32), np.float32(b)


def predict(model, x):
    mean, std, w, b = model
    return 1 / (1 + np.exp(-(((x - mean) / std) @ w + b)))


def export(model, names, path, version):
    mean, std, w, b = model
    f = len(names)
    inits = [
        numpy_helper.from_array(mean.reshape(1, f), "mean"),
        numpy_helper.from_array(std.reshape(1, f), "std"),
        numpy_helper.from_array(w.reshape(f, 1), "weights"),
        numpy_helper.from_array(np.array([b], dtype=np.float32), "bias"),
    ]
    nodes = [
        helper.make_node("Sub", ["features", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["standardised"]),
        helper.make_node("MatMul", ["standardised", "weights"], ["logit_raw"]),
        helper.make_node("Add", ["logit_raw", "bias"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["probability"]),
    ]
    graph = helper.make_graph(
        nodes,
        "hack_classifier",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", f])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["batch", 1])],
        inits,
    )
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="loophole-train")
    m.ir_version = 8
    m.metadata_props.append(onnx.StringStringEntryProto(key="feature_names", value=json.dumps(names)))
    m.metadata_props.append(onnx.StringStringEntryProto(key="featurizer_version", value=str(version)))
    onnx.checker.check_model(m)
    onnx.save(m, path)


def card(path, info):
    m = info["metrics"]
    lines = [
        "# Hack classifier — model card",
        "",
        "`hack-classifier.onnx` scores how likely a Python candidate is special-cased (a reward hack) from",
        "features of its code, computed in TypeScript by `server/src/scoring/classifier/features.ts`.",
        "It runs in-process through `onnxruntime-node` (CPU; CUDA when installed).",
        "",
        "## Model",
        f"- L2-regularised (lambda={L2}), class-balanced logistic regression, {EPOCHS} full-batch gradient steps (numpy).",
        "- ONNX graph: `features[N,F]` → Sub(mean) → Div(std) → MatMul → Add → Sigmoid → `probability[N,1]`;",
        "  the standardisation is inside the model, so callers feed raw features.",
        f"- featurizer version: {info['featurizer_version']}; {len(info['feature_names'])} features.",
        "",
        "## Data",
        "Generated by the project itself (`tsx server/src/scoring/classifier/make-dataset.ts`): the correct",
        "solutions of its own small problems (`problems.ts`, function and stdio styles) in harmless dressings",
        "(label 0), and special-cased mutations of them (label 1): literal branches, lookup tables,",
        "expected-output returns, canned fallbacks, stdin fingerprints, test reading, harness tampering,",
        "wrong-test fitting, and subtle variants (general body plus one special case). For half of the rows",
        "the tests are hidden from the featurizer, so the model works with code alone.",
        "The held-out split holds whole problems never seen in training.",
        "",
        f"- training rows: {info['train_rows']}; held-out rows: {info['test_rows']}",
        "",
        "## Metrics (threshold 0.5)",
        "",
        "| split | n | AUROC | accuracy | precision | recall | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, v in m.items():
        lines.append(f"| {name} | {v['n']} | {v['auroc']} | {v['accuracy']} | {v['precision']} | {v['recall']} | {v['f1']} |")
    lines += [
        "",
        "`held-out` is the committed fixture `test/fixtures/scoring/classifier-eval.jsonl`; a unit test",
        "checks that the shipped model reproduces that row. `external (code only)` is an MBPP-derived dev set",
        "(correct vs. special-cased solutions) with the tests hidden, when given to the trainer.",
        "",
        "## Weights (standardised features)",
        "",
        "| feature | weight |",
        "|---|---|",
    ]
    for name, wv in sorted(zip(info["feature_names"], info["weights"]), key=lambda t: -abs(t[1])):
        lines.append(f"| {name} | {wv:+.3f} |")
    lines += [
        "",
        "## Limits",
        "- Trained on synthetic mutations of small problems: it knows the *shapes* of special-casing, not",
        "  the semantics of a task. A special case hidden in arithmetic (no literal comparison) escapes it.",
        "- A correct solution full of legitimate literal tables or base cases scores higher than it should;",
        "  the ensemble combines it with the static, execution and judge evidence for that reason.",
        "",
        "```json",
        json.dumps({"metrics": m, "featurizer_version": info["featurizer_version"]}, indent=2),
        "```",
        "",
    ]
    with open(path, "w") as fh:
        fh.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--external")
    ap.add_argument("--out", default="media/models")
    ap.add_argument("--names", default=None, help="feature-names.json (default: beside the dataset, written by make-dataset)")
    args = ap.parse_args()

    rows = load(args.dataset)
    version = rows[0]["featurizerVersion"]
    with open(args.names or os.path.join(os.path.dirname(args.dataset), "feature-names.json")) as fh:
        names = json.load(fh)
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    xtr = np.array([r["features"] for r in train], dtype=np.float64)
    ytr = np.array([r["label"] for r in train], dtype=np.float64)
    model = fit(xtr, ytr)

    def eval_rows(rs):
        x = np.array([r["features"] for r in rs], dtype=np.float32)
        y = np.array([r["label"] for r in rs])
        return metrics(y, predict(model, x))

    ms = {
        "train": eval_rows(train),
        "held-out": eval_rows(test),
        "held-out (code only)": eval_rows([r for r in test if not r["tests"]]),
        "held-out (tests known)": eval_rows([r for r in test if r["tests"]]),
    }
    if args.external:
        ext = load(args.external)
        ms["external (code only)"] = eval_rows([r for r in ext if r["testsKnown"] == 0])
        ms["external (tests known)"] = eval_rows([r for r in ext if r["testsKnown"] == 1])

    os.makedirs(args.out, exist_ok=True)
    export(model, names, os.path.join(args.out, "hack-classifier.onnx"), version)
    card(
        os.path.join(args.out, "MODEL_CARD.md"),
        {
            "metrics": ms,
            "featurizer_version": version,
            "feature_names": names,
            "weights": [float(v) for v in model[2]],
            "train_rows": len(train),
            "test_rows": len(test),
        },
    )
    json.dump(ms, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
