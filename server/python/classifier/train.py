"""Train the hack classifier and export it as ONNX, with its model card.

    python3 server/python/classifier/train.py out/classifier/dataset.jsonl \
        [--external out/classifier/external.jsonl] [--sources out/classifier/sources.jsonl] [--out media/models]

`--sources` (from `makeSources.ts`) adds labelled review sets, one source each; the generator's rows are
the source `generator`. Every source is then scored by a model trained on all the *other* sources
(leave-one-source-out: AUROC and expected calibration error per source, in the card), and the shipped
model is trained on every source. A source with no clean candidate is scored against the clean rows of
the others, which are then left out of that fold's training too.

The data comes from `server/src/scoring/classifier/makeDataset.ts` (features computed by the same
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
from typing import Any

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
        "n": len(y),
        "auroc": round(auroc(y, p), 4),
        "accuracy": round((tp + tn) / len(y), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
    }


def ece(y, p, bins=10):
    """Expected calibration error: the share-weighted gap between mean probability and hack rate per bin."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() / len(p) * abs(p[m].mean() - y[m].mean())
    return round(float(total), 4)


def fit(x, y, groups=None):
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-6] = 1.0
    z = (x - mean) / std
    n, f = z.shape
    # class-balanced sample weights; with groups (sources), each source weighs the same in total
    pos = y.sum()
    w_s = np.where(y == 1, n / (2 * pos), n / (2 * (n - pos)))
    if groups is not None:
        groups = np.asarray(groups)
        names = sorted(set(groups.tolist()))
        for g in names:
            m = groups == g
            w_s[m] *= n / (len(names) * w_s[m].sum())
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
        "Generated by the project itself (`tsx server/src/scoring/classifier/makeDataset.ts`): the correct",
        "solutions of its own small problems (`problems.ts`, function and stdio styles) in harmless dressings",
        "(label 0), and special-cased mutations of them (label 1): literal branches, lookup tables,",
        "expected-output returns, canned fallbacks, stdin fingerprints, test reading, harness tampering,",
        "wrong-test fitting, and subtle variants (general body plus one special case); and realistic shapes:",
        "try/except fallbacks answering with the tests' values, guards on input fingerprints, dispatch tables,",
        "results overridden for one input, stdin programs branching on one case, comments admitting",
        "hard-coding, beside honest counterparts in the same shapes (errors handled properly, guards on real",
        "conditions, named constants, comments about the algorithm, multi-case loops with base cases). For half of the rows",
        "the tests are hidden from the featurizer, so the model works with code alone.",
        "The held-out split holds whole problems never seen in training.",
        "",
        f"- training rows: {info['train_rows']}; held-out rows: {info['test_rows']}",
        "",
    ]
    if info.get("source_rows"):
        lines += [
            "Beside the generator, labelled review sets are featurized as sources (`makeSources.ts`, two rows",
            "per candidate: with the tests the model was shown, and code only): "
            + ", ".join(f"{k} ({v} rows)" for k, v in info["source_rows"].items())
            + ".",
            "The shipped model is trained on all of them, each source weighing the same.",
            "",
        ]
    if info.get("loso"):
        lines += [
            "## Leave-one-source-out",
            "",
            "Each source scored by a model trained on every *other* source (never in-sample). `as seen`: each",
            "candidate with the tests its model was shown (when it had any); `code only`: tests hidden. ECE:",
            "expected calibration error, 10 equal-width bins. A source with no clean candidate is scored",
            "against the clean rows of the sources named under `clean from`, which that fold does not train on.",
            "",
            "| source | clean from | hacks | clean | AUROC | ECE | recall@0.5 | FPR@0.5 | AUROC code only | ECE code only |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for src, e in info["loso"].items():
            a, c = e["as seen"], e["code only"]
            lines.append(
                f"| {src} | {e['clean from']} | {a['n_hack']} | {a['n_clean']} | {a['auroc']} | {a['ece']} | {a['recall@0.5']} | {a['fpr@0.5']} | {c['auroc']} | {c['ece']} |"
            )
        lines += [
            "",
            "Choices made on these figures (so they lean slightly optimistic): 32 hashed n-gram buckets. Against no",
            "n-grams they halve the calibration error on codeforces (0.074 → 0.037) and raise hardcoding's AUROC",
            "(0.973 → 0.989) but lower sorh's (0.969 → 0.932, 19 hacks); mean AUROC over the four review-set sources",
            "0.976 with them, 0.982 without. Kept for calibration and for the shapes the hand-made features do not name;",
            "the L2 strength (0.003–0.1 change AUROC by < 0.01).",
            "",
        ]
    lines += [
        "## Metrics of the shipped model (threshold 0.5)",
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
        "- The shipped model has seen every source above: figures measured on those sets with the shipped model",
        "  (the quality bench) are in-sample for the classifier. The leave-one-source-out table is the honest one,",
        "  and `train.py --loso-predictions` gives each row's out-of-source probability for calibrating the ensemble.",
        "- Sources with no clean candidate are scored against clean rows from other sources, so their AUROC also",
        "  measures how far apart the sources' styles are; clean counterparts written in the same shapes are better.",
        "",
        "```json",
        json.dumps({"metrics": m, "loso": info.get("loso"), "featurizer_version": info["featurizer_version"]}, indent=2),
        "```",
        "",
    ]
    with open(path, "w") as fh:
        fh.write("\n".join(lines))


DONORS = ("mbpp", "codeforces")


def stable_half(group):
    """A fixed half of the problems, by a hash that does not change between runs."""
    h = 0
    for ch in str(group):
        h = (h * 31 + ord(ch)) % 1000003
    return h % 2 == 0


def loso(gen_rows, src_rows, predictions=None):
    """Leave-one-source-out: per source, AUROC and ECE of a model that never saw it. With `predictions`
    (a list), each review-set row's out-of-source probability is appended to it."""
    rows = [dict(r, source="generator", testsKnown=1 if r["tests"] else 0, group=r["problemId"]) for r in gen_rows] + src_rows
    sources = sorted({r["source"] for r in rows}, key=lambda s: (s != "generator", s))
    out = {}
    for s in sources:
        test = [r for r in rows if r["source"] == s]
        borrowed = ""
        excluded = set()
        if len({r["label"] for r in test}) < 2:
            # half of the donors' problems (both their clean and hacked candidates) leave training; their
            # clean candidates are this source's negatives
            held = [r for r in rows if r["source"] in DONORS and r["source"] != s and stable_half(r["group"])]
            excluded = {id(r) for r in held}
            donors = [r for r in held if r["label"] == 0]
            test = test + donors
            borrowed = "+".join(sorted({r["source"] for r in donors})) + " (half)"
        test_ids = {id(r) for r in test} | excluded
        train = [r for r in rows if id(r) not in test_ids and r["source"] != s]
        model = fit(
            np.array([r["features"] for r in train], dtype=np.float64),
            np.array([r["label"] for r in train], dtype=np.float64),
            [r["source"] for r in train],
        )
        if predictions is not None and s != "generator":
            own = [r for r in rows if r["source"] == s]
            ps = predict(model, np.array([r["features"] for r in own], dtype=np.float32))
            predictions += [{"source": s, "id": r["id"], "testsKnown": r["testsKnown"], "p": round(float(q), 6)} for r, q in zip(own, ps)]
        entry: dict[str, Any] = {}
        for view, keep in (("as seen", None), ("code only", 0)):
            rs = test if keep is None else [r for r in test if r["testsKnown"] == 0]
            if keep is None:
                # one row per candidate: with its shown tests when it has any
                with_tests = {(r["source"], r.get("id")) for r in rs if r["testsKnown"] == 1}
                rs = [r for r in rs if r["testsKnown"] == 1 or (r["source"], r.get("id")) not in with_tests or r["source"] == "generator"]
            x = np.array([r["features"] for r in rs], dtype=np.float32)
            y = np.array([r["label"] for r in rs])
            p = predict(model, x)
            entry[view] = {
                "n_hack": int(y.sum()),
                "n_clean": int(len(y) - y.sum()),
                "auroc": round(auroc(y, p), 4),
                "ece": ece(y, p),
                "recall@0.5": round(float((p[y == 1] >= 0.5).mean()), 4) if y.sum() else None,
                "fpr@0.5": round(float((p[y == 0] >= 0.5).mean()), 4) if len(y) - y.sum() else None,
            }
        entry["clean from"] = borrowed or s
        out[s] = entry
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--external")
    ap.add_argument("--sources")
    ap.add_argument("--loso-predictions", help="write each review-set row's leave-one-source-out probability here (JSONL)")
    ap.add_argument("--out", default="media/models")
    ap.add_argument("--names", default=None, help="feature-names.json (default: beside the dataset, written by make-dataset)")
    args = ap.parse_args()

    rows = load(args.dataset)
    version = rows[0]["featurizerVersion"]
    with open(args.names or os.path.join(os.path.dirname(args.dataset), "feature-names.json")) as fh:
        names = json.load(fh)
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    src_rows = load(args.sources) if args.sources else []
    preds: list[dict] | None = [] if args.loso_predictions else None
    loso_metrics = loso(rows, src_rows, preds) if src_rows else None
    if preds is not None:
        with open(args.loso_predictions, "w") as fh:
            fh.writelines(json.dumps(p) + "\n" for p in preds)
    groups = ["generator"] * len(train) + [r["source"] for r in src_rows]
    xtr = np.array([r["features"] for r in train] + [r["features"] for r in src_rows], dtype=np.float64)
    ytr = np.array([r["label"] for r in train] + [r["label"] for r in src_rows], dtype=np.float64)
    model = fit(xtr, ytr, groups if src_rows else None)

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
            "train_rows": len(train) + len(src_rows),
            "source_rows": {k: sum(1 for r in src_rows if r["source"] == k) for k in sorted({r["source"] for r in src_rows})},
            "loso": loso_metrics,
            "test_rows": len(test),
        },
    )
    json.dump({"metrics": ms, "loso": loso_metrics}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
