/**
 * The curation requests over a real stdio connection, on the curation fixture: counts under two filter
 * settings, the recontextualization preview, export with work-done progress, and an export refused
 * because its files exist (the first files left as they were) until it is forced.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResponseError } from 'vscode-jsonrpc/node';
import {
  ErrorCodes,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import {
  AnalyzeRequest,
  CurationCountsRequest,
  CurationExportRequest,
  CurationPreviewRequest,
  OpenRequest,
  type CurationOutputExists,
} from '../../contract/lsp';
import { ensureBundle, removeDir, repoRoot, ServerProcess } from './harness';

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'curation-panel');

function stage(stats: { stages: readonly { stage: string; removed: number }[] }, name: string): number {
  return stats.stages.find((s) => s.stage === name)!.removed;
}

describe('language server: curation', function () {
  let dir: string;
  let server: ServerProcess;

  before(async function () {
    ensureBundle();
    dir = mkdtempSync(path.join(tmpdir(), 'loophole-curation-'));
    cpSync(FIXTURE, dir, { recursive: true });
    server = await ServerProcess.start({ reviewer: 'alice', workspaceTrusted: true });
  });

  after(async function () {
    if (server) assert.equal(await server.shutdown(), 0);
    removeDir(dir);
  });

  it('refuses curation before a set is open', async function () {
    await assert.rejects(
      server.conn.sendRequest(CurationCountsRequest, {}),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidRequest,
    );
  });

  it('opens and analyses the fixture', async function () {
    const r = await server.conn.sendRequest(OpenRequest, { path: path.join(dir, 'review.loophole.jsonl') });
    assert.equal(r.candidates, 5);
    const a = await server.conn.sendRequest(AnalyzeRequest, {});
    assert.equal(a.analysed, 5);
    assert.equal(a.hacks, 2, 'both special-cased candidates are called hacks');
  });

  it('counts per filter, and a reasoning filter removes the clean candidate that talks of the tests', async function () {
    const plain = await server.conn.sendRequest(CurationCountsRequest, {});
    assert.equal(plain.stats.candidates, 5);
    assert.equal(plain.stats.hacks, 2);
    assert.equal(stage(plain.stats, 'ensemble'), 2);
    assert.equal(plain.stats.selected, 3, 'one clean candidate per problem');
    assert.equal(plain.stats.problemsSkipped, 0);
    assert.equal(plain.stats.selectedHackRate, 0);
    assert.ok(plain.stats.stages[0]!.hackRateBefore! > 0.3);
    assert.ok(plain.scorers.length > 0, 'the scorers found in the analyses are listed');
    assert.deepEqual([...plain.variants], ['discourage', 'neutral', 'permit']);

    const strict = await server.conn.sendRequest(CurationCountsRequest, {
      curation: { dropReasoningFlags: ['mention', 'intent', 'notice'] },
    });
    assert.equal(stage(strict.stats, 'reasoning'), 1, 'square/c0 says "the first test expects"');
    assert.equal(strict.stats.selected, 2);
    assert.equal(strict.stats.problemsSkipped, 1, 'square has no clean candidate left and is skipped, never filled with its hack');

    const all = await server.conn.sendRequest(CurationCountsRequest, { curation: { maxScore: 1, select: 'all' } });
    assert.equal(stage(all.stats, 'ensemble'), 0, 'a threshold of 1 lets every candidate through');
    assert.equal(all.stats.selected, 5);
  });

  it('answers ill-typed knobs with InvalidParams naming the field', async function () {
    await assert.rejects(
      server.conn.sendRequest(CurationCountsRequest, { curation: { dropReasoningFlags: ['loud'] } } as never),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams && /dropReasoningFlags/.test(e.message),
    );
    await assert.rejects(
      server.conn.sendRequest(CurationPreviewRequest, { curation: { mapping: ['discourage=lenient'] } }),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams && /unknown prompt variant "lenient"/.test(e.message),
    );
  });

  it('previews the same completion under the generation prompt and the training prompt', async function () {
    const p = await server.conn.sendRequest(CurationPreviewRequest, {
      curation: { mapping: ['discourage=permit'] },
      limit: 5,
      format: 'chat',
    });
    assert.equal(p.selected, 3);
    assert.deepEqual(p.counts, { 'discourage → permit': 2, 'neutral → neutral': 1 });
    const s = p.samples.find((x) => x.candidateId === 'reverse-words/c0')!;
    assert.equal(s.generationVariant, 'discourage');
    assert.equal(s.trainingVariant, 'permit');
    assert.notDeepEqual(s.generated, s.trained, 'the prompts differ');
    assert.match(s.generated.map((m) => m.content).join('\n'), /Never special-case the tests/);
    assert.match(s.trained.map((m) => m.content).join('\n'), /Special-casing them .* is acceptable/);
    assert.equal(
      s.generated.find((m) => m.role === 'user')!.content.split('\n')[0],
      s.trained.find((m) => m.role === 'user')!.content.split('\n')[0],
      'same statement',
    );
    assert.match(s.completion, /<think>/, 'the completion is the candidate’s own, unchanged');
    const row = p.rows[0] as { messages: { role: string; content: string }[] };
    assert.equal(row.messages.at(-1)!.content, p.samples[0]!.completion, 'the row trains that same completion');

    const stripped = await server.conn.sendRequest(CurationPreviewRequest, {
      curation: { mapping: ['discourage=permit'], stripReasoning: true },
      limit: 1,
    });
    assert.doesNotMatch(stripped.samples[0]!.completion, /<think>/);
    assert.equal(stripped.samples[0]!.completion, s.completion.replace(/<think>[\s\S]*?<\/think>\s*/, ''));
  });

  it('exports the files with work-done progress, and refuses to overwrite them unless forced', async function () {
    const token = 'export-1';
    const values: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
    const sub = server.conn.onProgress(WorkDoneProgress.type, token, (v) => void values.push(v));
    const r = await server.conn.sendRequest(CurationExportRequest, {
      format: 'chat',
      out: 'curated/train.jsonl',
      split: 0.34,
      curation: { mapping: ['discourage=neutral'] },
      workDoneToken: token,
    });
    sub.dispose();
    assert.equal(r.files.train, path.join(dir, 'curated', 'train.jsonl'), 'relative to the review set folder');
    for (const f of [r.files.train, r.files.validation!, r.files.provenance, r.files.card]) assert.ok(existsSync(f), f);
    assert.equal(r.rows.train + r.rows.validation, 3);
    assert.deepEqual(r.recontextualized, { 'discourage → neutral': 2, 'neutral → neutral': 1 });
    const rows = [r.files.train, r.files.validation!].flatMap((f) =>
      readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    );
    assert.equal(rows.length, 3);
    for (const row of rows)
      assert.doesNotMatch(JSON.stringify(row.messages), /Never special-case the tests/, 'trained under neutral, not discourage');
    assert.match(readFileSync(r.files.card, 'utf8'), /discourage → neutral/);
    assert.equal(values[0]?.kind, 'begin');
    assert.equal((values[0] as WorkDoneProgressBegin).title, 'Loophole: exporting');
    assert.equal(values.at(-1)?.kind, 'end');

    const before = readFileSync(r.files.train, 'utf8');
    await assert.rejects(
      server.conn.sendRequest(CurationExportRequest, { format: 'trl', out: 'curated/train.jsonl', split: 0.34 }),
      (e: ResponseError<CurationOutputExists>) =>
        e.code === ErrorCodes.InvalidParams &&
        /already exists/.test(e.message) &&
        e.data?.kind === 'outputExists' &&
        e.data.path === r.files.train,
    );
    assert.equal(readFileSync(r.files.train, 'utf8'), before, 'the first export is left intact');
    assert.ok(existsSync(r.files.card));

    const forced = await server.conn.sendRequest(CurationExportRequest, {
      format: 'trl',
      out: 'curated/train.jsonl',
      split: 0.34,
      force: true,
    });
    const first = JSON.parse(readFileSync(forced.files.train, 'utf8').split('\n')[0]!);
    assert.ok('prompt' in first && 'completion' in first, 'overwritten in the trl format');
  });

  it('says why nothing can be exported when every candidate is filtered out', async function () {
    await assert.rejects(
      server.conn.sendRequest(CurationExportRequest, { format: 'chat', out: 'none/train.jsonl', curation: { maxScore: 0 } }),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams && /every candidate was filtered out/.test(e.message),
    );
    assert.ok(!existsSync(path.join(dir, 'none')), 'no file, and no folder made for it');
  });
});
