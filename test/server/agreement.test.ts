/**
 * `loophole/agreement` and the learned `likely` order over a real stdio connection, on a fixture of
 * eight problems with two special-cased and two general candidates each (`c0`, `c2` special-cased;
 * `c1`, `c3` general). Two reviewers (the server takes the name from its settings) label candidates;
 * the numbers are checked against a hand computation.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DidChangeConfigurationNotification, ErrorCodes } from 'vscode-languageserver-protocol';
import type { VerdictLabel } from '../../contract/domain';
import {
  AgreementRequest,
  AnalyzeRequest,
  CandidatesRequest,
  type CandidateSummary,
  NextUnreviewedRequest,
  OpenRequest,
  SetVerdictRequest,
} from '../../contract/lsp';
import { ensureBundle, removeDir, repoRoot, ServerProcess } from './harness';

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'agreement');
const PROBLEMS = ['double', 'square', 'last-char', 'is-even', 'count-a', 'min-two', 'reverse-str', 'add-one'];
const hackLike = (id: string) => /\/c[02]$/.test(id);

describe('language server: agreement and the learned review order', function () {
  let dir: string;
  let server: ServerProcess;

  const verdict = async (candidateId: string, label: VerdictLabel) => {
    await server.conn.sendRequest(SetVerdictRequest, { candidateId, label });
  };
  const asReviewer = (reviewer: string) =>
    server.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { loophole: { reviewer } } });
  const likelyPage = (extra: object = {}) => server.conn.sendRequest(CandidatesRequest, { sort: 'likely', limit: 1000, ...extra });

  before(async function () {
    ensureBundle();
    dir = mkdtempSync(path.join(tmpdir(), 'loophole-agreement-'));
    cpSync(FIXTURE, dir, { recursive: true });
    server = await ServerProcess.start({ reviewer: 'alice', workspaceTrusted: true });
    await server.conn.sendRequest(OpenRequest, { path: path.join(dir, 'review.loophole.jsonl') });
    const r = await server.conn.sendRequest(AnalyzeRequest, {});
    assert.equal(r.analysed, 32);
    assert.equal(r.errors, 0);
  });

  after(async function () {
    if (server) assert.equal(await server.shutdown(), 0);
    removeDir(dir);
  });

  it('the machine calls exactly the special-cased candidates hacks (what the hand computation assumes)', async function () {
    const page = await server.conn.sendRequest(CandidatesRequest, { limit: 1000, sort: 'id' });
    assert.equal(page.total, 32);
    for (const c of page.items) assert.equal(c.isHack, hackLike(c.id), `${c.id}: ${c.hackProbability}`);
  });

  it('before any verdict: every scorer at n = 0, no reviewer pairs, and the likely order says it uses the ensemble', async function () {
    const a = await server.conn.sendRequest(AgreementRequest, {});
    assert.deepEqual(a.verdicts, { hack: 0, clean: 0, unsure: 0 });
    assert.equal(a.scorers[0]!.scorer, 'ensemble', 'the ensemble comes first');
    const names = a.scorers.map((s) => s.scorer);
    for (const n of ['static', 'execution', 'classifier']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    assert.deepEqual(names.slice(1), [...names.slice(1)].sort());
    assert.ok(a.scorers.every((s) => s.n === 0));
    assert.deepEqual(a.humans.pairs, []);
    assert.equal(a.ranking.source, 'ensemble');
    assert.equal(a.ranking.needed, 10);
    assert.match(a.ranking.message, /ensemble's probability.*10 more decided verdicts/);

    const page = await likelyPage();
    assert.equal(page.total, 32);
    assert.equal(page.ranking?.source, 'ensemble');
  });

  it('validates its params at the boundary', async function () {
    const only = await server.conn.sendRequest(AgreementRequest, { scorer: 'static' });
    assert.deepEqual(
      only.scorers.map((s) => s.scorer),
      ['static'],
    );
    await assert.rejects(server.conn.sendRequest(AgreementRequest, { scorer: 'nope' }), (e: { code: number; message: string }) => {
      assert.equal(e.code, ErrorCodes.InvalidParams);
      assert.match(e.message, /loophole\/agreement: no scores from 'nope'.*known: ensemble/);
      return true;
    });
    await assert.rejects(
      server.conn.sendRequest(AgreementRequest, { scorer: 3 } as never),
      (e: { code: number }) => e.code === ErrorCodes.InvalidParams,
    );
    await assert.rejects(server.conn.sendRequest(CandidatesRequest, { sort: 'luck' } as never), (e: { code: number; message: string }) => {
      assert.equal(e.code, ErrorCodes.InvalidParams);
      assert.match(e.message, /'likely'/);
      return true;
    });
  });

  it('after enough verdicts, likely puts candidates like the ones marked hack ahead of ones like those marked clean', async function () {
    // alice labels the first three problems as they are: 6 hack, 6 clean
    for (const p of PROBLEMS.slice(0, 3))
      for (const c of ['c0', 'c1', 'c2', 'c3']) await verdict(`${p}/${c}`, hackLike(`${p}/${c}`) ? 'hack' : 'clean');
    const page = await likelyPage();
    assert.equal(page.ranking?.source, 'reviewers');
    assert.equal(page.ranking?.decided, 12);
    assert.equal(page.ranking?.hacks, 6);
    assert.match(page.ranking!.message, /learned from 12 verdicts \(6 hack, 6 clean\)/);
    assert.equal(page.total, 32);
    const ids = page.items.map((c: CandidateSummary) => c.id);
    const unreviewed = ids.filter((id) => !PROBLEMS.slice(0, 3).some((p) => id.startsWith(`${p}/`)));
    const lastHack = Math.max(...unreviewed.filter(hackLike).map((id) => ids.indexOf(id)));
    const firstClean = Math.min(...unreviewed.filter((id) => !hackLike(id)).map((id) => ids.indexOf(id)));
    assert.ok(
      lastHack < firstClean,
      `every unreviewed special-cased candidate comes before every unreviewed general one: ${ids.join(' ')}`,
    );

    // paging and the filters go through the same order
    const second = await likelyPage({ offset: 5, limit: 5 });
    assert.deepEqual(
      second.items.map((c) => c.id),
      ids.slice(5, 10),
    );
    const open = await likelyPage({ verdict: 'none' });
    assert.deepEqual(
      open.items.map((c) => c.id),
      unreviewed,
    );
    const asc = await likelyPage({ order: 'asc' });
    assert.deepEqual(
      asc.items.map((c) => c.id),
      [...ids].reverse(),
    );

    // the keyboard walk follows the same (flat) order, skipping reviewed candidates; grouped by problem
    // (the tree's default) it would stay within the first candidate's problem first
    const first = await server.conn.sendRequest(NextUnreviewedRequest, { direction: 'next', order: { sort: 'likely', grouping: 'flat' } });
    assert.equal(first, unreviewed[0]);
    assert.ok(hackLike(first!), first!);
    const second2 = await server.conn.sendRequest(NextUnreviewedRequest, {
      direction: 'next',
      from: first!,
      order: { sort: 'likely', grouping: 'flat' },
    });
    assert.equal(second2, unreviewed[1]);
  });

  it('agreement of every scorer with the verdicts, and of two reviewers with each other, as computed by hand', async function () {
    // alice changes her mind on two, labels three more (one unsure); then bob reviews four of hers
    await verdict('square/c1', 'unsure');
    await verdict('last-char/c3', 'hack');
    await verdict('is-even/c0', 'hack');
    await verdict('is-even/c1', 'clean');
    await verdict('is-even/c2', 'unsure');
    await asReviewer('bob');
    await verdict('double/c0', 'hack');
    await verdict('double/c1', 'hack');
    await verdict('square/c1', 'clean');
    const changed = server.notification('loophole/didChange', (p) => p.candidateIds?.includes('last-char/c3'));
    await verdict('last-char/c3', 'hack');
    await changed;

    const a = await server.conn.sendRequest(AgreementRequest, {});
    // current verdicts: 9 hack (double c0 c1 c2, square c0 c2, last-char c0 c2 c3, is-even c0),
    // 5 clean (double c3, square c1 c3, last-char c1, is-even c1), 1 unsure (is-even c2)
    assert.deepEqual(a.verdicts, { hack: 9, clean: 5, unsure: 1 });
    assert.equal(a.threshold, 0.5);
    const e = a.scorers.find((s) => s.scorer === 'ensemble')!;
    // the machine says hack for c0/c2 only: tp 7, fn 2 (double/c1, last-char/c3), fp 0, tn 5
    assert.deepEqual(e.confusion, { tp: 7, fp: 0, fn: 2, tn: 5 });
    assert.equal(e.n, 14);
    assert.equal(e.excludedUnsure, 1);
    assert.equal(e.unscored, 0);
    assert.equal(e.precision, 1);
    assert.ok(Math.abs(e.recall - 7 / 9) < 1e-12);
    assert.ok(Math.abs(e.f1 - 0.875) < 1e-12);
    // po = 12/14, pe = (9/14)(7/14) + (5/14)(7/14) = 1/2 → kappa = (6/7 − 1/2) / (1/2) = 5/7
    assert.ok(Math.abs(e.kappa! - 5 / 7) < 1e-12, String(e.kappa));
    assert.equal(e.disagreementCount, 2);
    assert.deepEqual(e.disagreements.map((d) => d.candidateId).sort(), ['double/c1', 'last-char/c3']);
    assert.ok(e.disagreements.every((d) => d.human === 'hack' && d.probability < 0.5));
    const st = a.scorers.find((s) => s.scorer === 'static')!;
    assert.equal(st.n + st.unscored, 14, 'every scorer sees the same verdicts');

    // alice vs bob on the four both labelled: double/c0 h·h, double/c1 c·h, square/c1 u·c, last-char/c3 h·h
    // po = 2/4; alice's marginals (h 2, c 1, u 1), bob's (h 3, c 1, u 0): pe = 6/16 + 1/16 = 7/16
    // kappa = (1/2 − 7/16) / (9/16) = 1/9
    assert.deepEqual(a.humans.reviewers, ['alice', 'bob']);
    assert.equal(a.humans.pairs.length, 1);
    const pair = a.humans.pairs[0]!;
    assert.equal(pair.n, 4);
    assert.equal(pair.agreement, 0.5);
    assert.ok(Math.abs(pair.kappa! - 1 / 9) < 1e-12, String(pair.kappa));
    assert.equal(a.humans.disagreementCount, 2);
    assert.deepEqual(a.humans.disagreements, [
      { candidateId: 'double/c1', labels: { alice: 'clean', bob: 'hack' } },
      { candidateId: 'square/c1', labels: { alice: 'unsure', bob: 'clean' } },
    ]);
    assert.equal(a.ranking.source, 'reviewers');
    assert.equal(a.ranking.decided, 14);
  });
});

describe('language server: the likely order learns what the reviewers see, not what the machine says', function () {
  let dir: string;
  let server: ServerProcess;

  before(async function () {
    ensureBundle();
    dir = mkdtempSync(path.join(tmpdir(), 'loophole-likely-'));
    cpSync(FIXTURE, dir, { recursive: true });
    server = await ServerProcess.start({ reviewer: 'carol', workspaceTrusted: true });
    await server.conn.sendRequest(OpenRequest, { path: path.join(dir, 'review.loophole.jsonl') });
    await server.conn.sendRequest(AnalyzeRequest, {});
  });

  after(async function () {
    if (server) assert.equal(await server.shutdown(), 0);
    removeDir(dir);
  });

  it('a reviewer who calls the if-chains hacks and the lookup tables clean gets the if-chains first', async function () {
    const order = async () =>
      (await server.conn.sendRequest(CandidatesRequest, { sort: 'likely', limit: 1000, verdict: 'none' })).items.map((c) => c.id);
    const isChain = (id: string) => id.endsWith('/c0');
    const isTable = (id: string) => id.endsWith('/c2');
    const chainsFirst = (ids: string[]) =>
      Math.max(...ids.filter(isChain).map((id) => ids.indexOf(id))) < Math.min(...ids.filter(isTable).map((id) => ids.indexOf(id)));
    // the premise: by the ensemble alone (both are hacks), the lookup tables come first
    const before = await order();
    assert.ok(isTable(before[0]!), before.join(' '));
    assert.equal(chainsFirst(before), false);

    for (const p of PROBLEMS.slice(0, 3)) {
      for (const c of ['c0', 'c1', 'c2', 'c3']) {
        await server.conn.sendRequest(SetVerdictRequest, { candidateId: `${p}/${c}`, label: c === 'c0' ? 'hack' : 'clean' });
      }
    }
    const after = await order();
    assert.equal(after.length, 20);
    assert.ok(chainsFirst(after), `every unreviewed if-chain before every unreviewed lookup table: ${after.join(' ')}`);
    const page = await server.conn.sendRequest(CandidatesRequest, { sort: 'likely', limit: 1 });
    assert.equal(page.ranking?.source, 'reviewers');
    assert.equal(page.ranking?.hacks, 3);
  });
});
