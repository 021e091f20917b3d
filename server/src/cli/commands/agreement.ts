import path from 'node:path';
import { defineCommand, type CliCommand } from '../command';
import { UsageError } from '../command';
import { num, parse } from '../args';
import type { ScorerAgreement } from '../../../../contract/agreement';
import { DEFAULT_THRESHOLD } from '../../scoring/ensemble';
import { agreementReport, openAnalysedStore } from '../../service';

const pct = (x: number) => (x * 100).toFixed(1) + '%';

function scorerLine(a: ScorerAgreement): string {
  const c = a.confusion;
  return `${a.scorer.padEnd(12)} n=${String(a.n).padStart(4)}  P ${pct(a.precision).padStart(6)}  R ${pct(a.recall).padStart(6)}  F1 ${a.f1.toFixed(3)}  kappa ${a.kappa === null ? 'n/a' : a.kappa.toFixed(3)}  [tp ${c.tp} fp ${c.fp} fn ${c.fn} tn ${c.tn}]  unsure ${a.excludedUnsure}, unscored ${a.unscored}`;
}

export const agreementCommand: CliCommand = defineCommand({
  name: 'agreement',
  summary: 'how far the scorers agree with reviewers, and reviewers with each other',
  usage: `Usage: loophole agreement <review-set> [--scorer NAME] [--threshold P] [--json]

Compares each scorer's decision (probability >= threshold) with the current human verdicts:
precision, recall, F1, Cohen's kappa and the confusion matrix (hack is positive; 'unsure' verdicts are
left out and counted). 'ensemble' is the combined probability. Where several reviewers labelled the
same candidates, prints their pairwise kappa and the candidates they disagree on, to adjudicate.

Options:
  --scorer NAME   only this scorer (ensemble, static, execution, classifier, judge, …)
  --threshold P   decision threshold (default 0.5)
  --json          print everything as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, { scorer: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('expects one review set (file or folder)');
    const threshold = num(values.threshold, '--threshold', 0, 1) ?? DEFAULT_THRESHOLD;
    const { store } = openAnalysedStore(path.resolve(ctx.cwd, positionals[0]!), { label: positionals[0]! });
    try {
      const report = agreementReport(store, { threshold, ...(values.scorer ? { scorer: values.scorer } : {}) });
      const { scorers, humans } = report;
      if (values.json) {
        ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return 0;
      }
      ctx.stdout.write(`${report.verdicts} candidate(s) with a verdict; threshold ${threshold}\n\n`);
      for (const a of scorers) ctx.stdout.write(scorerLine(a) + '\n');
      if (humans.pairs.length) {
        ctx.stdout.write(`\nreviewers: ${humans.reviewers.join(', ')}\n`);
        for (const p of humans.pairs)
          ctx.stdout.write(
            `  ${p.a} vs ${p.b}: n=${p.n} agreement ${pct(p.agreement)} kappa ${p.kappa === null ? 'n/a' : p.kappa.toFixed(3)}\n`,
          );
        if (humans.disagreements.length) {
          ctx.stdout.write(`to adjudicate (${humans.disagreements.length}):\n`);
          for (const d of humans.disagreements)
            ctx.stdout.write(
              `  ${d.candidateId}: ${Object.entries(d.labels)
                .map(([r, l]) => `${r}=${l}`)
                .join(' ')}\n`,
            );
        }
      }
      return 0;
    } finally {
      store.close();
    }
  },
});
