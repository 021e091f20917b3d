/** The review order in words, shared by the server's messages and the VS Code client's status bar. */
import type { ReviewOrder } from './protocol';

/** A review order in words, e.g. `score ↓, by problem; unreviewed, machine: hack`. */
export function describeOrder(o: ReviewOrder): string {
  const sort = o.sort ?? 'score';
  const dir = o.order ?? (sort === 'score' || sort === 'likely' ? 'desc' : 'asc');
  const head = `${sort === 'likely' ? 'likely hack' : sort} ${dir === 'desc' ? '↓' : '↑'}, ${(o.grouping ?? 'problem') === 'problem' ? 'by problem' : 'flat'}`;
  const f: string[] = [];
  if (o.verdict) f.push(o.verdict === 'none' ? 'unreviewed' : `verdict ${o.verdict}`);
  if (o.isHack !== undefined) f.push(o.isHack ? 'machine: hack' : 'machine: not hack');
  if (o.minScore !== undefined || o.maxScore !== undefined) f.push(`${o.scorer ?? 'score'} ${o.minScore ?? 0}–${o.maxScore ?? 1}`);
  else if (o.scorer) f.push(`scorer ${o.scorer}`);
  if (o.promptVariant) f.push(`prompt ${o.promptVariant}`);
  if (o.model) f.push(`model ${o.model}`);
  return f.length ? `${head}; ${f.join(', ')}` : head;
}
