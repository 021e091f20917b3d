/**
 * Scorer weights fitted by `server/src/scoring/calibrate-ensemble.ts` (do not edit by hand: rerun it
 * with `--write`). `FIT_LOSO` holds each source combined with weights fitted without it.
 */
export const FITTED_WEIGHTS: Readonly<Record<string, number>> = {"classifier":0.69,"clearing":2,"coverage":0.8,"execution":1.005,"harness":1,"metamorphic":1,"reasoning":0.549,"static":1.431};

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
    "auroc": 0.987,
    "ece": 0.0122,
    "precision": 0.9828,
    "recall": 0.9744
  },
  "hardcoding": {
    "n_hack": 111,
    "n_clean": 38,
    "auroc": 0.9912,
    "ece": 0.0201,
    "precision": 1,
    "recall": 0.991
  },
  "sorh": {
    "n_hack": 19,
    "n_clean": 20,
    "auroc": 1,
    "ece": 0.0308,
    "precision": 1,
    "recall": 1
  }
};
