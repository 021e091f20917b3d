#!/usr/bin/env bash
# Regenerates the classifier's data and retrains the shipped model with its card, from the repository root:
#   server/python/classifier/retrain.sh [DATA_DIR]
# DATA_DIR holds the labelled development sets (default ../shared/data); each present set becomes a
# source, with its clean counterparts from test/bench/data/ when those exist. Needs numpy and onnx.
set -euo pipefail
DATA="${1:-../shared/data}"
OUT=out/classifier
SOURCES=()
add() { [ -f "$2" ] && SOURCES+=("$1=$2${3:+:$3}") || true; }
add mbpp "$DATA/mbpp-incorrect-test-dev.jsonl" mbpp
add codeforces "$DATA/codeforces-pairs-dev.jsonl" stdio
add hardcoding "$DATA/hardcoding-realistic-dev.jsonl" chat
add sorh "$DATA/sorh-coding-dev.jsonl" chat
# clean counterparts written for the all-hack sets join the set they answer (file name starts with its name)
for f in test/bench/data/*.jsonl; do
  [ -f "$f" ] || continue
  base=$(basename "$f")
  case "$base" in
    hardcoding*) add hardcoding "$f" chat ;;
    sorh*) add sorh "$f" chat ;;
    codeforces*) add codeforces "$f" stdio ;;
    mbpp*) add mbpp "$f" mbpp ;;
  esac
done
npx tsx server/src/scoring/classifier/make-dataset.ts --out "$OUT/dataset.jsonl" --fixture test/fixtures/scoring/classifier-eval.jsonl
ARGS=()
if [ ${#SOURCES[@]} -gt 0 ]; then
  npx tsx server/src/scoring/classifier/make-sources.ts --out "$OUT/sources.jsonl" "${SOURCES[@]}"
  ARGS=(--sources "$OUT/sources.jsonl")
fi
[ ${#SOURCES[@]} -gt 0 ] && ARGS+=(--loso-predictions "$OUT/loso-predictions.jsonl")
python3 server/python/classifier/train.py "$OUT/dataset.jsonl" "${ARGS[@]}" --out media/models
