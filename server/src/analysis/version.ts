/**
 * The analyzer version: bump it whenever a detector, a scorer or the combination changes what an
 * analysis finds or concludes. Each stored analysis records the version that made it; one made by an
 * older version is *stale* — shown as such (tree, report, CLI summary) and re-analysed on the next run
 * (the version is part of every analysis's content hash).
 */
export const ANALYZER_VERSION = 9;

/** True for an analysis made by an older analyzer (analyses from before versions were recorded count as 1). */
export function isStale(a: { readonly analyzerVersion?: number } | undefined): boolean {
  return !!a && (a.analyzerVersion ?? 1) < ANALYZER_VERSION;
}
