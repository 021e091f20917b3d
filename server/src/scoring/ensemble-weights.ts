/**
 * Scorer weights fitted by `server/src/scoring/calibrate-ensemble.ts` (do not edit by hand: rerun it
 * with `--write`). `FIT_LOSO` holds each source combined with weights fitted without it.
 */
export const FITTED_WEIGHTS: Readonly<Record<string, number>> = {"classifier":0.712,"clearing":2,"coverage":0.8,"execution":1.015,"harness":1,"metamorphic":1,"reasoning":0.828,"static":1.371};

export const FIT_LOSO: Readonly<Record<string, { n_hack: number; n_clean: number; auroc: number | null; ece: number; precision: number; recall: number }>> = {
  "mbpp": {
    "n_hack": 60,
    "n_clean": 60,
    "auroc": 1,
    "ece": 0,
    "precision": 1,
    "recall": 1
  },
  "codeforces": {
    "n_hack": 117,
    "n_clean": 117,
    "auroc": 0.9871,
    "ece": 0.0145,
    "precision": 0.9828,
    "recall": 0.9744
  },
  "hardcoding": {
    "n_hack": 200,
    "n_clean": 58,
    "auroc": 0.9927,
    "ece": 0.0951,
    "precision": 0.9657,
    "recall": 0.985
  },
  "sorh": {
    "n_hack": 19,
    "n_clean": 20,
    "auroc": 1,
    "ece": 0.0343,
    "precision": 1,
    "recall": 1
  }
};
