import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, type CliCommand, type CliContext } from '../command';
import { UsageError } from '../command';
import { parse } from '../args';
import { AtomicFile, commitAll } from '../../curation/export/atomicFile';
import { type ImportReport, importVerdicts, openAnalysedStore, requireAnalysed, type Store, verdictLines } from '../../service';

const usage = `Usage: loophole verdicts export <review-set> [--out FILE]
       loophole verdicts import <review-set> FILE... [--allow-changed]
       loophole verdicts merge <review-set> OTHER... [--allow-changed]

export   writes the verdict history stored beside <review-set> as JSONL (stdout without --out): one line
         per verdict with candidateId, action (set/retract), label, reviewer, at (ISO time), note, the
         sha256 of the candidate's code (contentHash) and its origin (where it was first recorded).
import   appends the verdicts of verdict files (JSONL as written by export) and label files (a JSON
         object from candidate id to {"label": "hack"|"clean"|"unsure", "note"?}, like the sample's
         labels.json; their verdicts are by "labels:<file name>", not by a person) to <review-set>'s store.
merge    appends the verdicts of other reviewers' stores: OTHER is a review set (file or folder) or a
         .loophole/loophole.db file. Reviewers, times, notes and origins are kept.

Import and merge skip records already present (running them twice changes nothing), verdicts a
reviewer undid, candidates this review set lacks, and verdicts given on different code (the content
hash differs) unless --allow-changed. Nothing is stored when an input line is bad.

Options:
  --out FILE         where export writes (default: stdout)
  --allow-changed    import verdicts even where the candidate's code has changed since
`;

/** The store of a review set, or a store file named directly. */
function storeOf(target: string, cwd: string): Store {
  return openAnalysedStore(path.resolve(cwd, target), { label: target, storeFile: true }).store;
}

function report(ctx: CliContext, r: ImportReport): void {
  const bySkip = new Map<string, number>();
  for (const s of r.skipped) bySkip.set(s.reason, (bySkip.get(s.reason) ?? 0) + 1);
  ctx.stderr.write(`added ${r.added} verdict record(s); ${r.duplicates} already present; ${r.skipped.length} skipped\n`);
  for (const [reason, n] of bySkip) ctx.stderr.write(`  skipped ${n}: ${reason}\n`);
  for (const s of r.skipped.slice(0, 10)) ctx.stderr.write(`    ${s.candidateId}\n`);
}

export const verdictsCommand: CliCommand = defineCommand({
  name: 'verdicts',
  summary: "export, import and merge reviewers' verdicts (JSONL with provenance), and import label files",
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const { values, positionals } = parse(rest, { out: { type: 'string' }, 'allow-changed': { type: 'boolean' } });
    const allowChanged = values['allow-changed'] === true;
    switch (sub) {
      case 'export': {
        if (positionals.length !== 1) throw new UsageError('export expects one review set');
        const store = storeOf(positionals[0]!, ctx.cwd);
        try {
          const lines = verdictLines({ store }, path.resolve(ctx.cwd, positionals[0]!));
          let n = -1;
          if (values.out) {
            // the file appears whole or not at all: an earlier export under that name survives a failure
            const target = path.resolve(ctx.cwd, values.out);
            if (existsSync(target) && statSync(target).isDirectory())
              throw new UsageError(`--out ${values.out} is a folder; give the path of the file to write`);
            if (!existsSync(path.dirname(target)) || !statSync(path.dirname(target)).isDirectory())
              throw new UsageError(`--out ${values.out}: the folder ${path.dirname(values.out)} does not exist`);
            const file = await AtomicFile.open(target, { force: true });
            try {
              for (const line of lines) {
                await file.write(`${line}\n`);
                n++;
              }
              await commitAll([file]);
            } catch (e) {
              await file.abort();
              throw e;
            }
          } else {
            for (const line of lines) {
              if (!ctx.stdout.write(`${line}\n`)) await new Promise<void>((r) => ctx.stdout.once('drain', () => r()));
              n++;
            }
          }
          ctx.stderr.write(`exported ${n} verdict record(s)${values.out ? ` to ${values.out}` : ''}\n`);
          return 0;
        } finally {
          store.close();
        }
      }
      case 'import':
      case 'merge': {
        if (positionals.length < 2)
          throw new UsageError(`${sub} expects a review set and at least one ${sub === 'import' ? 'file' : 'other store'}`);
        const [target, ...inputs] = positionals;
        for (const input of inputs) {
          if (sub === 'merge') requireAnalysed(path.resolve(ctx.cwd, input), { label: input, storeFile: true });
          else if (!existsSync(path.resolve(ctx.cwd, input))) throw new UsageError(`${input}: no such file or folder`);
        }
        const store = storeOf(target!, ctx.cwd);
        try {
          const paths = inputs.map((i) => path.resolve(ctx.cwd, i));
          report(ctx, importVerdicts({ store }, { kind: sub === 'merge' ? 'stores' : 'files', paths }, { allowChanged }));
          return 0;
        } finally {
          store.close();
        }
      }
      default:
        throw new UsageError(`expects export, import or merge, got ${sub === undefined ? 'nothing' : `'${sub}'`}`);
    }
  },
});
