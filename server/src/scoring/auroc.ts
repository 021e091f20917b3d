/** Area under the ROC curve by pairwise comparison of hacks (label 1) with clean items (label 0), ties
 *  counting half (as `server/python/classifier/train.py` computes it). NaN when a class is missing. */
export function auroc(labels: readonly number[], scores: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      den++;
      num += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return den ? num / den : NaN;
}
