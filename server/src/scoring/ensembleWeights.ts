/**
 * Scorer weights fitted by `server/src/scoring/calibrateEnsemble.ts` (do not edit by hand: rerun it
 * with `--write`). `FIT_LOSO` holds each source combined with weights fitted without it.
 */
export const FITTED_WEIGHTS: Readonly<Record<string, number>> = {
  classifier: 0.769,
  clearing: 2,
  coverage: 0.8,
  execution: 0.996,
  harness: 1,
  metamorphic: 1,
  reasoning: 0.828,
  static: 1.367,
};

export const FIT_LOSO: Readonly<
  Record<string, { n_hack: number; n_clean: number; auroc: number | null; ece: number; precision: number; recall: number }>
> = {
  mbpp: {
    n_hack: 60,
    n_clean: 60,
    auroc: 1,
    ece: 0,
    precision: 1,
    recall: 1,
  },
  codeforces: {
    n_hack: 117,
    n_clean: 117,
    auroc: 0.9884,
    ece: 0.0107,
    precision: 1,
    recall: 0.9829,
  },
  hardcoding: {
    n_hack: 200,
    n_clean: 58,
    auroc: 1,
    ece: 0.0876,
    precision: 1,
    recall: 1,
  },
  sorh: {
    n_hack: 19,
    n_clean: 20,
    auroc: 1,
    ece: 0.0295,
    precision: 1,
    recall: 1,
  },
};
