import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { UsageError, type CliCommand, type CliContext } from '../../../server/src/cli/command';
import { curateCommand } from '../../../server/src/cli/commands/curate';
import { exportCommand } from '../../../server/src/cli/commands/export';
import { recontextualizeCommand } from '../../../server/src/cli/commands/recontextualize';
import { Store } from '../../../server/src/store/store';
import { analyses, candidates, picks, problems, verdicts } from '../../fixtures/curation/reviewSet';

/** A review-set folder with the fixture already analysed into its store. */
function analysedSet(filter: (id: string) => boolean = () => true): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curation-cli-'));
  writeFileSync(path.join(dir, 'set.jsonl'), '');
  const store = Store.open(dir);
  const cands = candidates.filter((c) => filter(c.id));
  const probs = problems.filter((p) => cands.some((c) => c.problemId === p.id));
  store.putReviewSet({ name: 'fixture', problems: probs, candidates: cands });
  for (const a of analyses) if (filter(a.candidateId)) store.putAnalysis(a);
  for (const v of verdicts) if (filter(v.candidateId)) store.addVerdict(v);
  for (const [p, c] of Object.entries(picks)) if (filter(c)) store.setPick(p, c, 'ana');
  store.close();
  return dir;
}

async function run(cmd: CliCommand, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const ctx: CliContext = {
    stdout: out,
    stderr: err,
    cwd,
    signal: new AbortController().signal,
    progress: () => ({ total() {}, update() {}, done() {} }),
  };
  // as the dispatcher does: a UsageError is its message and exit code 2
  try {
    const code = await cmd.run(args, ctx);
    return { code, stdout, stderr };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, stdout, stderr: stderr + e.message };
    throw e;
  }
}

describe('curation: CLI', () => {
  it('curate --json prints the counts over the store', async () => {
    const dir = analysedSet();
    const r = await run(curateCommand, ['set.jsonl', '--json'], dir);
    assert.equal(r.code, 0);
    const { stats } = JSON.parse(r.stdout) as {
      stats: { candidates: number; selected: number; problemsSkipped: number; picksHonoured: number };
    };
    assert.deepEqual([stats.candidates, stats.selected, stats.problemsSkipped, stats.picksHonoured], [11, 3, 1, 1]);
  });

  it('curate prints a table, with the filters given', async () => {
    const dir = analysedSet();
    const r = await run(
      curateCommand,
      ['set.jsonl', '--select', 'all', '--drop-reasoning-flags', 'mention,notice', '--max-score-for', 'classifier=0.7'],
      dir,
    );
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^reasoning\s+5\s+2\s+3/m);
    assert.match(r.stdout, /^scorer\s+6\s+1\s+5/m);
    assert.match(
      r.stdout,
      /selected 3 candidates from 2 problems \(hack rate 0.0% by Loophole's labels; expected residual \d+\.\d% from the scores\); 2 problems skipped/,
    );
    assert.match(r.stdout, /labels of the selected: \d+ from a person's verdict, \d+ from the scorers, \d+ from neither/);
  });

  it('recontextualize previews the prompt before and after, completion unchanged', async () => {
    const dir = analysedSet();
    const r = await run(recontextualizeCommand, ['set.jsonl', '--from', 'discourage', '--to', 'permit', '--preview', '1', '--json'], dir);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.stdout) as {
      counts: Record<string, number>;
      samples: { before: { content: string }[]; after: { content: string }[]; completion: string; candidateId: string }[];
    };
    assert.deepEqual(j.counts, { 'discourage → permit': 2, 'neutral → neutral': 1 });
    assert.equal(j.samples.length, 1);
    assert.match(j.samples[0]!.before[1]!.content, /Never special-case/);
    assert.match(j.samples[0]!.after[1]!.content, /is acceptable/);
    assert.equal(j.samples[0]!.completion, candidates.find((c) => c.id === j.samples[0]!.candidateId)!.completion);
  });

  it('export writes the data, provenance and card; refuses to overwrite; --force does', async () => {
    const dir = analysedSet();
    const args = ['set.jsonl', '--format', 'trl', '--out', 'out/sft.jsonl', '--train-variant', 'discourage=neutral', '--split', '0.3'];
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(dir, 'out')));
    const first = await run(exportCommand, args, dir);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(readdirSync(path.join(dir, 'out')).sort(), ['sft.card.md', 'sft.jsonl', 'sft.provenance.jsonl', 'sft.val.jsonl']);
    const before = readFileSync(path.join(dir, 'out', 'sft.jsonl'), 'utf8');
    const again = await run(exportCommand, args, dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /sft\.jsonl already exists; pass --force/);
    assert.equal(readFileSync(path.join(dir, 'out', 'sft.jsonl'), 'utf8'), before);
    assert.equal((await run(exportCommand, [...args, '--force'], dir)).code, 0);
  });

  it('bad input: exit code 2 with a clear message, and no file written', async () => {
    const dir = analysedSet();
    const cases: [CliCommand, string[], RegExp][] = [
      [
        exportCommand,
        ['set.jsonl', '--format', 'chat', '--out', 'x.jsonl', '--train-variant', 'discourage=lenient'],
        /unknown prompt variant "lenient"/,
      ],
      [exportCommand, ['set.jsonl', '--format', 'csv', '--out', 'x.jsonl'], /--format expects one of chat, trl, pairs, kto/],
      [exportCommand, ['set.jsonl', '--format', 'chat'], /--out FILE is required/],
      [recontextualizeCommand, ['set.jsonl', '--from', 'good', '--to', 'neutral'], /unknown prompt variant "good"/],
      [curateCommand, ['set.jsonl', '--drop-reasoning-flags', 'mentions'], /--drop-reasoning-flags expects one of mention, intent, notice/],
      [curateCommand, ['set.jsonl', '--max-score-for', 'classifier'], /SCORER=P/],
      [curateCommand, ['nothing-here.jsonl'], /no such file or folder/],
    ];
    for (const [cmd, args, message] of cases) {
      const r = await run(cmd, args, dir);
      assert.equal(r.code, 2, `${cmd.name} ${args.join(' ')}`);
      assert.match(r.stderr, message);
    }
    writeFileSync(path.join(dir, 'bad-variants.json'), JSON.stringify({ variants: [{ name: 'mine', suffix: 'Use {foo}.' }] }));
    const r = await run(exportCommand, ['set.jsonl', '--format', 'chat', '--out', 'x.jsonl', '--variants-file', 'bad-variants.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad-variants\.json: variant "mine": unknown placeholder \{foo\}/);
    assert.doesNotMatch(r.stderr, /deprecated/);
    // the old spelling still names the file, with a note
    for (const cmd of [exportCommand, recontextualizeCommand]) {
      const args = cmd === exportCommand ? ['--format', 'chat', '--out', 'x.jsonl'] : ['--from', 'neutral', '--to', 'permit'];
      const old = await run(cmd, ['set.jsonl', ...args, '--variants', 'bad-variants.json'], dir);
      assert.equal(old.code, 2, cmd.name);
      assert.match(old.stderr, new RegExp(`loophole ${cmd.name}: --variants FILE is deprecated here; use --variants-file FILE`));
      assert.match(old.stderr, /unknown placeholder \{foo\}/);
    }
    const both = await run(
      exportCommand,
      ['set.jsonl', '--format', 'chat', '--out', 'x.jsonl', '--variants', 'a.json', '--variants-file', 'b.json'],
      dir,
    );
    assert.equal(both.code, 2);
    assert.match(both.stderr, /old spelling of --variants-file; give one/);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('x')),
      [],
    );
  });

  it('a set where every candidate hacks: exit code 2, no file', async () => {
    const dir = analysedSet((id) => id.startsWith('echo'));
    const r = await run(exportCommand, ['set.jsonl', '--format', 'chat', '--out', 'x.jsonl'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /every candidate is a hack/);
    assert.deepEqual(readdirSync(dir).sort(), ['.loophole', 'set.jsonl']);
    const c = await run(curateCommand, ['set.jsonl'], dir);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /every candidate is a hack/);
  });

  it('an unanalysed review set says to run analyze first', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'curation-cli-'));
    writeFileSync(path.join(dir, 'set.jsonl'), '');
    const r = await run(curateCommand, ['set.jsonl'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not analysed yet.*loophole analyze set\.jsonl/);
  });
});
