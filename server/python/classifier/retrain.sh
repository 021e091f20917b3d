#!/usr/bin/env bash
# Regenerates the classifier's data, retrains the shipped model with its card, and refits the ensemble's
# weights on the same sources (the weights depend on the classifier), from the repository root:
#   server/python/classifier/retrain.sh [DATA_DIR] [--no-calibrate]
# DATA_DIR holds the labelled development sets (default ../shared/data); each present set becomes a
# source, joined by its clean counterparts from test/bench/data/ (files named after the set; rows
# without a label count as clean). Needs numpy and onnx.
set -euo pipefail
DATA=../shared/data
CALIBRATE=1
for a in "$@"; do
  case "$a" in
    --no-calibrate) CALIBRATE=0 ;;
    *) DATA="$a" ;;
  esac
done
OUT=out/classifier
SOURCES=()
add() { [ -f "$2" ] && SOURCES+=("$1=$2${3:+:$3}${4:-}") || true; }
add mbpp "$DATA/mbpp-incorrect-test-dev.jsonl" mbpp
add codeforces "$DATA/codeforces-pairs-dev.jsonl" stdio
add hardcoding "$DATA/hardcoding-realistic-dev.jsonl" chat
add sorh "$DATA/sorh-coding-dev.jsonl" chat
for f in test/bench/data/*.jsonl; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in
    hardcoding*) add hardcoding "$f" "" @clean ;;
    sorh*) add sorh "$f" "" @clean ;;
    codeforces*) add codeforces "$f" "" @clean ;;
    mbpp*) add mbpp "$f" "" @clean ;;
  esac
done
npx tsx server/src/scoring/classifier/makeDataset.ts --out "$OUT/dataset.jsonl" --fixture test/fixtures/scoring/classifier-eval.jsonl
ARGS=()
if [ ${#SOURCES[@]} -gt 0 ]; then
  npx tsx server/src/scoring/classifier/makeSources.ts --out "$OUT/sources.jsonl" "${SOURCES[@]}"
  ARGS=(--sources "$OUT/sources.jsonl" --loso-predictions "$OUT/loso-predictions.jsonl")
fi
python3 server/python/classifier/train.py "$OUT/dataset.jsonl" "${ARGS[@]}" --out media/models
if [ "$CALIBRATE" = 1 ] && [ ${#SOURCES[@]} -gt 0 ]; then
  npx tsx server/src/scoring/calibrateEnsemble.ts --write --predictions "$OUT/loso-predictions.jsonl" "${SOURCES[@]}"
fi
