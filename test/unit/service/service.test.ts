/**
 * The service entries the language server and the CLI share, each on a real store in a throw-away
 * folder: opening and reopening sets, the data-folder layout, analysis, curation, agreement, jobs and
 * the classification of failures the adapters map.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CURATION_OPTIONS, OutputExistsError } from '../../../server/src/curation';
import { JobFailure } from '../../../server/src/jobs/queue';
import { WorkerFailure } from '../../../server/src/jobs/worker';
import {
  agreementReport,
  analyzeSet,
  BadInput,
  Cancelled,
  curationCounts,
  curationPreview,
  dataDirOf,
  dataDirOfStore,
  exportCurated,
  failureOf,
  finishedEvaluation,
  holdsReviewSet,
  importSet,
  JobService,
  NotFound,
  openAnalysedStore,
  openForReview,
  openStore,
  requireAnalysed,
  setAgreement,
  storeFileOf,
  Unavailable,
  importVerdicts,
  verdictLines,
} from '../../../server/src/service';
import { cancellable } from '../../../server/src/service/errors';

const FIXTURE = path.resolve(__dirname, '../../fixtures/pipeline/set.loophole.jsonl');

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'loophole-service-'));
}

/** A folder holding the pipeline fixture as `set.loophole.jsonl`. */
function dataFolder(): { dir: string; file: string } {
  const dir = tmp();
  const file = path.join(dir, 'set.loophole.jsonl');
  cpSync(FIXTURE, file);
  return { dir, file };
}

/** The fixture imported and analysed statically (no sandbox, no classifier model). */
async function analysed(): Promise<{ dir: string; file: string }> {
  const d = dataFolder();
  const set = await importSet(d.file);
  try {
    await analyzeSet(set, { execute: false, classifier: false });
  } finally {
    set.store.close();
  }
  return d;
}

describe('service: data folder and opening sets', () => {
  it('knows the layout both ways: a path to its data folder and store, a store to its data folder', async () => {
    const { dir, file } = dataFolder();
    try {
      assert.equal(dataDirOf(file), dir);
      assert.equal(dataDirOf(dir), dir);
      assert.equal(storeFileOf(dir), path.join(dir, '.loophole', 'loophole.db'));
      assert.ok(holdsReviewSet(dir), 'a Loophole JSONL file makes a review set');
      assert.ok(!holdsReviewSet(path.join(dir, 'nope')));
      const set = await importSet(file);
      try {
        assert.equal(dataDirOfStore(set.store), dir);
        assert.equal(set.dataDir, dir);
        assert.ok(set.candidates > 0);
      } finally {
        set.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens the store of an analysed set, a store file, or imports a data file; refuses the rest as bad input', async () => {
    const { dir, file } = dataFolder();
    try {
      assert.throws(
        () => openAnalysedStore(file, { label: 'set.loophole.jsonl' }),
        (e: Error) => {
          assert.ok(e instanceof BadInput);
          assert.match(
            e.message,
            /set\.loophole\.jsonl: not analysed yet \(no \.loophole\/loophole\.db\); run `loophole analyze set\.loophole\.jsonl` first/,
          );
          return true;
        },
      );
      assert.throws(() => requireAnalysed(path.join(dir, 'missing'), { label: 'missing' }), /missing: no such file or folder/);
      await assert.rejects(openStore(dir, { need: 'import', label: 'here' }), /here: no review set here/);
      const imported = await openStore(file, { need: 'import' });
      imported.store.close();
      const again = openAnalysedStore(dir);
      assert.ok(again.store.candidateCount() > 0);
      again.store.close();
      const byFile = openAnalysedStore(storeFileOf(dir), { storeFile: true });
      assert.equal(byFile.dataDir, dir);
      byFile.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reopens an unchanged set from its import stamp, and imports again once a data file changes', async () => {
    const { dir, file } = dataFolder();
    try {
      const logs: string[] = [];
      const first = await openForReview(dir, { log: (_l, m) => logs.push(m) });
      const n = first.session.info().candidates;
      first.session.close();
      const second = await openForReview(dir);
      assert.equal(second.session.info().candidates, n);
      assert.deepEqual(second.issues, first.issues);
      second.session.close();
      writeFileSync(file, `${'{"record": "header", "format": "loophole", "version": 1, "name": "changed"}'}\nnot json\n`);
      const third = await openForReview(dir);
      assert.equal(third.issues.length, 1, 'the changed file was read again: its bad line is reported');
      third.session.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('service: analysis', () => {
  it('analyses an open set with the same entry for both adapters, and a cancelled run is Cancelled', async () => {
    const { dir, file } = dataFolder();
    try {
      const set = await importSet(file);
      try {
        const done = await analyzeSet(set, { execute: false, classifier: false });
        assert.equal(done.analysed, set.store.candidateCount());
        const again = await analyzeSet(set, { execute: false, classifier: false });
        assert.equal(again.analysed, 0, 'unchanged candidates are not analysed again');
        const abort = new AbortController();
        abort.abort();
        await assert.rejects(analyzeSet(set, { execute: false, classifier: false, force: true, signal: abort.signal }), (e: Error) => {
          assert.ok(e instanceof Cancelled);
          assert.equal(e.message, 'cancelled; finished analyses are kept');
          return true;
        });
      } finally {
        set.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('service: curation, agreement and jobs', () => {
  let dir = '';
  before(async function () {
    this.timeout(60_000);
    dir = (await analysed()).dir;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts, previews and exports through one set; a folder made for a failed export goes again', async () => {
    const set = openAnalysedStore(dir);
    try {
      const { stats, scorers } = await curationCounts(set, DEFAULT_CURATION_OPTIONS);
      assert.equal(stats.candidates, set.store.candidateCount());
      assert.ok(scorers.includes('static'));
      const preview = await curationPreview(set, { curation: DEFAULT_CURATION_OPTIONS, mapping: ['neutral'], limit: 1, format: 'chat' });
      assert.equal(preview.report.selected, stats.selected);
      assert.ok(preview.rows.length <= 1);
      await assert.rejects(curationPreview(set, { curation: DEFAULT_CURATION_OPTIONS, mapping: ['nosuch'], limit: 1 }), (e: Error) => {
        assert.equal(failureOf(e)?.kind, 'badInput');
        return true;
      });

      const out = path.join(dir, 'exports', 'deep', 'train.jsonl');
      const request = { format: 'chat' as const, out, split: 0, seed: 0, curation: DEFAULT_CURATION_OPTIONS, mapping: [] };
      const r = await exportCurated(set, request);
      assert.ok(existsSync(r.files.train));
      await assert.rejects(exportCurated(set, request), (e: Error) => {
        assert.ok(e instanceof OutputExistsError);
        assert.deepEqual(failureOf(e), { kind: 'outputExists', message: e.message, path: e.target });
        return true;
      });
      const failed = path.join(dir, 'made', 'for', 'it.jsonl');
      await assert.rejects(exportCurated(set, { ...request, out: failed, mapping: ['nosuch'] }));
      assert.ok(!existsSync(path.join(dir, 'made')), 'the folders made for the failed export are gone');
    } finally {
      set.store.close();
    }
  });

  it("reports agreement for the CLI and the language server's panel; an unknown scorer is NotFound", async () => {
    const set = openAnalysedStore(dir);
    try {
      const ids = [...set.store.iterateAnalyses()].map((a) => a.candidateId);
      set.store.addVerdict({ candidateId: ids[0]!, label: 'hack', reviewer: 'ana', at: '' });
      set.store.addVerdict({ candidateId: ids[0]!, label: 'clean', reviewer: 'bo', at: '' });
      const report = agreementReport(set.store, { threshold: 0.5 });
      assert.equal(report.verdicts, 1);
      assert.equal(report.scorers[0]!.scorer, 'ensemble');
      assert.equal(report.humans.pairs.length, 1);
      assert.throws(() => agreementReport(set.store, { scorer: 'nope' }), NotFound);
    } finally {
      set.store.close();
    }
    const opened = await openForReview(dir);
    try {
      const ranking = await opened.session.likelyRanking();
      const r = setAgreement(opened.session, {}, ranking);
      assert.equal(r.verdicts.clean, 1);
      assert.equal(r.ranking.source, 'ensemble');
      assert.throws(() => setAgreement(opened.session, { scorer: 'nope' }, ranking), NotFound);
    } finally {
      opened.session.close();
    }
  });

  it('answers job requests over the queue: unknown ids are NotFound, bad requests bad input, a closed queue Unavailable', async () => {
    const opened = await openForReview(dir);
    const jobs = new JobService(opened.session);
    try {
      assert.deepEqual(jobs.list({}).jobs, []);
      assert.throws(() => jobs.detail({ id: 'nope' }), NotFound);
      assert.throws(() => jobs.cancel('nope'), NotFound);
      assert.throws(
        () => jobs.submit({ kind: 'train', config: {} }),
        (e: Error) => e instanceof BadInput && /config\.model/.test(e.message),
      );
      assert.throws(
        () => jobs.submit({ kind: 'train', config: { model: 'builtin:smollm2-135m' } }),
        (e: Error) => e instanceof BadInput && /config\.data/.test(e.message),
      );
      assert.throws(
        () => finishedEvaluation(opened.session.store, 'nope'),
        (e: Error) => e instanceof BadInput && /no job nope/.test(e.message),
      );
    } finally {
      await jobs.close();
      opened.session.close();
    }
    assert.throws(() => jobs.list({}), Unavailable);
    jobs.events.off('event', () => undefined); // unsubscribing after close is harmless
  });
});

describe('service: verdict transfer', () => {
  it('exports the history as lines, imports them from a file or straight from the other store, once', async function () {
    this.timeout(60_000);
    const a = await analysed();
    const b = await analysed();
    try {
      const from = openAnalysedStore(a.dir);
      let lines: string[];
      try {
        const id = [...from.store.iterateAnalyses()][0]!.candidateId;
        from.store.addVerdict({ candidateId: id, label: 'hack', reviewer: 'ana', at: '2026-01-01T00:00:00.000Z', note: 'n' });
        lines = [...verdictLines(from, a.dir)];
      } finally {
        from.store.close();
      }
      assert.equal(lines.length, 2, 'a header and one verdict');
      const file = path.join(b.dir, 'verdicts.jsonl');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const to = openAnalysedStore(b.dir);
      try {
        assert.equal(importVerdicts(to, { kind: 'files', paths: [file] }).added, 1);
        assert.equal(importVerdicts(to, { kind: 'stores', paths: [a.dir] }).added, 0, 'already present');
        assert.equal(to.store.currentVerdicts().size, 1);
        writeFileSync(file, 'not json\n');
        assert.throws(
          () => importVerdicts(to, { kind: 'files', paths: [file] }),
          (e: Error) => failureOf(e)?.kind === 'badInput',
        );
      } finally {
        to.store.close();
      }
    } finally {
      rmSync(a.dir, { recursive: true, force: true });
      rmSync(b.dir, { recursive: true, force: true });
    }
  });
});

describe('service: failures the adapters map', () => {
  it('classifies every domain error once', () => {
    assert.equal(failureOf(new NotFound('x'))?.kind, 'notFound');
    assert.equal(failureOf(new BadInput('x'))?.kind, 'badInput');
    assert.equal(failureOf(new JobFailure('bad_input', 'x'))?.kind, 'badInput');
    assert.deepEqual(failureOf(new WorkerFailure('bad_input', 'x', 'do y')), { kind: 'badInput', message: 'x', suggestion: 'do y' });
    assert.equal(failureOf(new WorkerFailure('crashed', 'x'))?.kind, 'failed');
    assert.equal(failureOf(new WorkerFailure('cancelled', 'x'))?.kind, 'cancelled');
    assert.equal(failureOf(new Unavailable('x'))?.kind, 'unavailable');
    assert.equal(failureOf(Object.assign(new Error('stop'), { name: 'AbortError' }))?.kind, 'cancelled');
    assert.equal(failureOf(new TypeError('a bug')), undefined);
    assert.equal(failureOf('a string'), undefined);
  });

  it('reports whatever fails after the signal is aborted as Cancelled, and passes the rest through', async () => {
    const abort = new AbortController();
    await assert.rejects(
      cancellable(abort.signal, () => {
        abort.abort();
        throw new TypeError('torn');
      }),
      (e: Error) => e instanceof Cancelled && e.message === 'cancelled',
    );
    await assert.rejects(
      cancellable(new AbortController().signal, () => {
        throw new TypeError('a bug');
      }),
      TypeError,
    );
    assert.equal(await cancellable(undefined, () => 3), 3);
  });
});
