import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { agreementCommand } from '../../../server/src/cli/commands/agreement';
import type { CliContext } from '../../../server/src/cli/command';
import { analysedStore } from './reviewStore';

function context(cwd: string): { ctx: CliContext; out: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const ctx: CliContext = {
    stdout,
    stderr: new PassThrough(),
    cwd,
    signal: new AbortController().signal,
    progress: () => ({ total() {}, update() {}, done() {} }),
  };
  return { ctx, out: () => Buffer.concat(chunks).toString('utf8') };
}

describe('loophole agreement', () => {
  it('reports each scorer against the verdicts and reviewers against each other', async () => {
    const { dir, store, ids } = analysedStore(1);
    for (const { id, hack } of ids) store.addVerdict({ candidateId: id, label: hack ? 'hack' : 'clean', reviewer: 'ana', at: '' });
    store.addVerdict({ candidateId: ids[0]!.id, label: 'clean', reviewer: 'bo', at: '' });
    store.addVerdict({ candidateId: ids[1]!.id, label: 'hack', reviewer: 'bo', at: '' });
    store.close();
    try {
      const { ctx, out } = context(dir);
      assert.equal(await agreementCommand.run([path.join(dir, 'set.jsonl'), '--json'], ctx), 0);
      const r = JSON.parse(out()) as {
        scorers: { scorer: string; n: number; confusion: Record<string, number> }[];
        humans: { pairs: unknown[]; disagreements: { candidateId: string }[] };
      };
      const judge = r.scorers.find((s) => s.scorer === 'judge')!;
      // current verdicts: the latest per candidate (bo's on the first two)
      assert.equal(judge.n, ids.length);
      assert.deepEqual(judge.confusion, { tp: 4, fp: 1, fn: 0, tn: 2 }); // bo overruled the first hack as clean
      assert.ok(r.scorers.some((s) => s.scorer === 'ensemble'));
      assert.equal(r.humans.pairs.length, 1);
      assert.deepEqual(
        r.humans.disagreements.map((d) => d.candidateId),
        [ids[0]!.id],
      );

      const text = context(dir);
      assert.equal(await agreementCommand.run([dir, '--scorer', 'static'], text.ctx), 0);
      assert.match(text.out(), /static\s+n=\s*7/);
      assert.match(text.out(), /to adjudicate \(1\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown scorer and an unanalysed folder', async () => {
    const { dir, store } = analysedStore(1);
    store.close();
    try {
      await assert.rejects(agreementCommand.run([dir, '--scorer', 'nope'], context(dir).ctx), /no scores from 'nope'/);
      await assert.rejects(agreementCommand.run([path.join(dir, '..')], context(dir).ctx), /not analysed yet/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
