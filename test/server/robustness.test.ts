/**
 * What must hold when things go wrong: bad requests, a killed server, a cancelled analysis, exit codes.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError, WorkDoneProgress } from 'vscode-languageserver-protocol';
import { ExitNotification, InitializeRequest, ShutdownRequest } from 'vscode-languageserver-protocol';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { fork } from 'node:child_process';
import { AnalyzeRequest, CandidateRequest, CandidatesRequest, OpenRequest, SetVerdictRequest, StateRequest } from '../../contract/lsp';
import { ensureBundle, fixtureCopy, removeDir, ServerProcess, serverJs } from './harness';
import { Store } from '../../server/src/store/store';

async function rejection(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ResponseError, `a ResponseError, got ${String(e)}`);
    return e;
  }
  assert.fail('the request succeeded');
}

describe('language server: robustness', function () {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  before(() => ensureBundle());
  afterEach(async () => {
    for (const s of servers.splice(0)) if (s.proc.exitCode === null && s.proc.signalCode === null) await s.kill();
  });
  after(() => dirs.forEach(removeDir));

  async function start(options: object = {}): Promise<ServerProcess> {
    const s = await ServerProcess.start(options);
    servers.push(s);
    return s;
  }
  function fixture(): string {
    const d = fixtureCopy();
    dirs.push(d);
    return d;
  }

  it('answers malformed requests with InvalidParams and keeps serving', async function () {
    const s = await start();
    const dir = fixture();
    const noSet = await rejection(s.conn.sendRequest(CandidatesRequest, {}));
    assert.equal(noSet.code, ErrorCodes.InvalidRequest);
    assert.match(noSet.message, /no review set is open/);

    const missing = await rejection(s.conn.sendRequest('loophole/open'));
    assert.equal(missing.code, ErrorCodes.InvalidParams);
    const wrongType = await rejection(s.conn.sendRequest('loophole/open', { path: 42 }));
    assert.equal(wrongType.code, ErrorCodes.InvalidParams);
    assert.match(wrongType.message, /'path' must be a non-empty string, got number 42/);
    const nowhere = await rejection(s.conn.sendRequest(OpenRequest, { path: path.join(dir, 'absent.jsonl') }));
    assert.equal(nowhere.code, ErrorCodes.InvalidParams);

    await s.conn.sendRequest(OpenRequest, { path: dir });
    const badLabel = await rejection(s.conn.sendRequest('loophole/setVerdict', { candidateId: 'count-vowels/c1', label: 'maybe' }));
    assert.equal(badLabel.code, ErrorCodes.InvalidParams);
    assert.match(badLabel.message, /'label' must be one of 'hack', 'clean', 'unsure'/);
    const byPosition = await rejection(s.conn.sendRequest('loophole/candidate', ['count-vowels/c1', 'x']));
    assert.equal(byPosition.code, ErrorCodes.InvalidParams);
    const badLimit = await rejection(s.conn.sendRequest('loophole/candidates', { limit: -1 }));
    assert.equal(badLimit.code, ErrorCodes.InvalidParams);
    const unknown = await rejection(s.conn.sendRequest(CandidateRequest, { id: 'no-such-candidate' }));
    assert.equal(unknown.code, ErrorCodes.InvalidParams);
    assert.match(unknown.message, /no candidate 'no-such-candidate'/);

    const ok = await s.conn.sendRequest(CandidateRequest, { id: 'count-vowels/c1' });
    assert.equal(ok.candidate.id, 'count-vowels/c1', 'the server still answers');
  });

  it('reports unreadable input lines as issues and loads the rest', async function () {
    const s = await start();
    const dir = fixture();
    appendFileSync(path.join(dir, 'review.loophole.jsonl'), '{"record":"candidate","id":\n');
    const r = await s.conn.sendRequest(OpenRequest, { path: path.join(dir, 'review.loophole.jsonl') });
    assert.equal(r.candidates, 5);
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]!.line, 10);
  });

  it('re-opens unchanged data from its import stamp with the same issues, and re-imports data that changed', async function () {
    const s = await start();
    const dir = fixture();
    const file = path.join(dir, 'review.loophole.jsonl');
    appendFileSync(file, 'not json\n');
    const first = await s.conn.sendRequest(OpenRequest, { path: file });
    const stamped = Store.open(dir);
    try {
      assert.equal(stamped.importStamp()?.issues.length, 1, 'the import is stamped in the store, with its issue');
    } finally {
      stamped.close();
    }
    const again = await s.conn.sendRequest(OpenRequest, { path: file });
    assert.deepEqual(again.issues, first.issues, 'the issues of the import are kept with it');
    assert.equal(again.candidates, 5);
    appendFileSync(
      file,
      JSON.stringify({ record: 'candidate', id: 'sum-pair/c1', problemId: 'sum-pair', completion: '', code: 'print(5)\n' }) + '\n',
    );
    const changed = await s.conn.sendRequest(OpenRequest, { path: file });
    assert.equal(changed.candidates, 6);
  });

  it('keeps an acknowledged verdict and its history across SIGKILL', async function () {
    const dir = fixture();
    const first = await start({ reviewer: 'bob' });
    await first.conn.sendRequest(OpenRequest, { path: dir });
    await first.conn.sendRequest(SetVerdictRequest, { candidateId: 'count-vowels/c1', label: 'unsure' });
    const acked = await first.conn.sendRequest(SetVerdictRequest, { candidateId: 'count-vowels/c1', label: 'hack', note: 'rhythm → 3' });
    assert.equal(acked.history.length, 2);
    await first.kill();
    assert.equal(first.proc.signalCode, 'SIGKILL');

    const second = await start({ reviewer: 'bob' });
    const info = await second.conn.sendRequest(OpenRequest, { path: dir });
    assert.equal(info.reviewed, 1);
    const d = await second.conn.sendRequest(CandidateRequest, { id: 'count-vowels/c1' });
    assert.equal(d.verdict?.label, 'hack');
    assert.equal(d.verdict?.note, 'rhythm → 3');
    assert.deepEqual(
      d.history.map((h) => [h.action, h.label, h.reviewer]),
      [
        ['set', 'unsure', 'bob'],
        ['set', 'hack', 'bob'],
      ],
    );
    assert.equal(await second.shutdown(), 0);
  });

  it('cancels analysis with RequestCancelled and leaves every stored analysis whole', async function () {
    const s = await start({ workspaceTrusted: true });
    const dir = fixture();
    // Forty more candidates, so that the cancellation lands while work remains.
    const extra = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        record: 'candidate',
        id: `count-vowels/x${i}`,
        problemId: 'count-vowels',
        sampleIndex: 10 + i,
        completion: '',
        code: `def count_vowels(s):\n    # variant ${i}\n    return len([c for c in s if c in "aeiou"])\n`,
      }),
    );
    appendFileSync(path.join(dir, 'review.loophole.jsonl'), extra.join('\n') + '\n');
    await s.conn.sendRequest(OpenRequest, { path: dir });
    const token = 'analyze-cancel';
    const source = new CancellationTokenSource();
    const reports: string[] = [];
    let ended = false;
    const firstReport = new Promise<void>((resolve) => {
      s.conn.onProgress(WorkDoneProgress.type, token, (v) => {
        // The first report after one candidate is done: `1/45 …`.
        if (v.kind === 'report' && !/^0\//.test(v.message ?? '')) {
          reports.push(v.message ?? '');
          resolve();
        }
        if (v.kind === 'end') ended = true;
      });
    });
    const run = s.conn.sendRequest(AnalyzeRequest, { workDoneToken: token, force: true }, source.token);
    await firstReport;
    source.cancel();
    const err = await rejection(run);
    assert.equal(err.code, LSPErrorCodes.RequestCancelled);
    assert.ok(ended, 'progress ended before the response');

    // Consistent: each candidate has a whole analysis or none; a re-run analyses exactly the rest.
    const state = await s.conn.sendRequest(StateRequest, {});
    assert.ok(state);
    assert.ok(state.analysed < state.candidates, `cancelled before the end (${state.analysed}/${state.candidates})`);
    const page = await s.conn.sendRequest(CandidatesRequest, { limit: 100 });
    for (const c of page.items) {
      if (c.hackProbability === undefined) continue;
      const d = await s.conn.sendRequest(CandidateRequest, { id: c.id });
      assert.equal(d.tests.filter((t) => t.result).length, d.tests.length, `${c.id} has every test result`);
    }
    const rerun = await s.conn.sendRequest(AnalyzeRequest, {});
    assert.equal(rerun.skipped, state.analysed);
    assert.equal(rerun.analysed, state.candidates - state.analysed);
  });

  it('exits 0 after shutdown + exit, and non-zero on exit without shutdown', async function () {
    const a = await start();
    assert.equal(await a.shutdown(), 0);
    const b = await start();
    await b.conn.sendNotification(ExitNotification.type);
    const { code } = await b.exited;
    assert.notEqual(code, 0);
  });

  it('speaks over node IPC when VS Code forks it with --node-ipc', async function () {
    const child = fork(serverJs, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    conn.listen();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo?.name, 'loophole');
    assert.equal(await conn.sendRequest(StateRequest, {}), null);
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
    conn.dispose();
  });

  it('never executes code unless the client opts in (a generic client says nothing about trust)', async function () {
    const s = await start();
    const dir = fixture();
    await s.conn.sendRequest(OpenRequest, { path: dir });
    const r = await s.conn.sendRequest(AnalyzeRequest, { execute: true });
    assert.equal(r.executed, false);
    const d = await s.conn.sendRequest(CandidateRequest, { id: 'count-vowels/c1' });
    assert.ok(
      d.tests.every((t) => t.result === undefined),
      'no test ran',
    );
  });

  it('never executes code when the workspace is not trusted', async function () {
    const s = await start({ workspaceTrusted: false });
    const dir = fixture();
    await s.conn.sendRequest(OpenRequest, { path: dir });
    const r = await s.conn.sendRequest(AnalyzeRequest, { execute: true });
    assert.equal(r.executed, false);
    const d = await s.conn.sendRequest(CandidateRequest, { id: 'count-vowels/c1' });
    assert.ok(
      d.tests.every((t) => t.result === undefined),
      'no test ran',
    );
    assert.ok(d.findings.length > 0, 'static findings still arrive');
  });
});
