/**
 * The language server over a real stdio connection, on the fixture review set: open, analyse with
 * work-done progress, page candidates, show a hacked candidate (diagnostics, hover, code lens, code
 * actions), verdicts and navigation, the review panel and picks.
 */
import assert from 'node:assert/strict';
import type { Diagnostic, Hover, CodeLens, CodeAction, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import {
  CodeActionRequest,
  CodeLensRequest,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import {
  AnalyzeRequest,
  CandidateRequest,
  CandidatesRequest,
  candidateUri,
  Commands,
  DocumentRequest,
  NextUnreviewedRequest,
  OpenRequest,
  parseCandidateUri,
  PickRequest,
  ProblemPanelRequest,
  ProblemsRequest,
  SetVerdictRequest,
  UndoVerdictRequest,
} from '../../server/src/lsp/protocol';
import { ensureBundle, fixtureCopy, removeDir, ServerProcess } from './harness';

const HACK = 'count-vowels/c1';
/** The hacked candidate's document URI as the server names it (set by the candidate test). */
let HACK_URI = '';

/** A URI as VS Code passes it on: the path decoded, then every character but `A-Za-z0-9-._~` and `/` percent-encoded. */
function asVsCodeSendsIt(uri: string): string {
  const at = uri.indexOf(':') + 1;
  const path = decodeURIComponent(uri.slice(at));
  return (
    uri.slice(0, at) +
    path
      .split('/')
      .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
      .join('/')
  );
}

describe('language server: review flow', function () {
  let dir: string;
  let server: ServerProcess;

  before(async function () {
    ensureBundle();
    dir = fixtureCopy();
    server = await ServerProcess.start({ reviewer: 'alice', workspaceTrusted: true, clientCommands: true });
  });

  after(async function () {
    if (server) assert.equal(await server.shutdown(), 0, 'shutdown + exit ends with 0');
    removeDir(dir);
  });

  it('opens the set beside the data and counts it', async function () {
    const r = await server.conn.sendRequest(OpenRequest, { path: `${dir}/review.loophole.jsonl` });
    assert.equal(r.problems, 3);
    assert.equal(r.candidates, 5);
    assert.equal(r.analysed, 0);
    assert.deepEqual(r.issues, []);
    assert.ok(r.dbPath.startsWith(dir) && r.dbPath.endsWith('.loophole/loophole.db'), r.dbPath);
    await server.notification('loophole/didChange', (p) => p.all === true);
  });

  it('analyses with work-done progress begin, report and end on the client token', async function () {
    const token = 'analyze-1';
    const values: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
    const sub = server.conn.onProgress(WorkDoneProgress.type, token, (v) => {
      values.push(v);
    });
    const r = await server.conn.sendRequest(AnalyzeRequest, { workDoneToken: token });
    sub.dispose();
    assert.equal(r.analysed, 5);
    assert.equal(r.errors, 0);
    assert.equal(r.executed, true);
    assert.ok(r.hacks >= 1, 'the special-cased candidate is flagged');
    assert.equal(values[0]?.kind, 'begin');
    assert.equal((values[0] as WorkDoneProgressBegin).cancellable, true);
    assert.ok(
      values.some((v) => v.kind === 'report'),
      'at least one report',
    );
    assert.equal(values[values.length - 1]?.kind, 'end');
    const lastReport = values.filter((v): v is WorkDoneProgressReport => v.kind === 'report').pop()!;
    assert.equal(lastReport.percentage, 100);
  });

  it('pages candidates sorted by score with totals, and filters them', async function () {
    const page = await server.conn.sendRequest(CandidatesRequest, { sort: 'score', limit: 2 });
    assert.equal(page.total, 5);
    assert.equal(page.items.length, 2);
    assert.equal(page.items[0]!.id, HACK, 'the hack has the highest score');
    const rest = await server.conn.sendRequest(CandidatesRequest, { sort: 'score', limit: 2, offset: 2 });
    assert.equal(rest.offset, 2);
    assert.ok(!rest.items.some((c) => page.items.some((p) => p.id === c.id)), 'pages do not overlap');
    const permit = await server.conn.sendRequest(CandidatesRequest, { promptVariant: 'permit' });
    assert.deepEqual(
      permit.items.map((c) => c.id),
      ['max-of-three/c1'],
    );
    const problems = await server.conn.sendRequest(ProblemsRequest, { sort: 'hacks' });
    assert.equal(problems.total, 3);
    assert.equal(problems.items[0]!.id, 'count-vowels');
    assert.ok(problems.items[0]!.hacks >= 1);
  });

  it('returns one candidate with tests, outcomes, findings and highlights', async function () {
    const d = await server.conn.sendRequest(CandidateRequest, { id: HACK });
    HACK_URI = d.uri;
    // the tab an editor opens for it names the problem (by its statement's first line) and the candidate
    assert.equal(decodeURIComponent(d.uri.slice(d.uri.lastIndexOf('/') + 1)), 'Write count_vowels(s) that returns how… · c1.py');
    assert.deepEqual(parseCandidateUri(d.uri), { problemId: 'count-vowels', candidateId: HACK });
    assert.equal(d.uri, candidateUri('count-vowels', HACK, 'Write count_vowels(s) that returns how many vowels'));
    assert.equal(d.problem.id, 'count-vowels');
    assert.deepEqual(
      d.tests.map((t) => [t.test.id, t.test.role]),
      [
        ['t0', 'visible'],
        ['t1', 'incorrect'],
        ['t2', 'visible'],
        ['t3', 'heldout'],
      ],
    );
    assert.equal(d.tests.find((t) => t.test.id === 't1')!.result?.outcome, 'pass', 'it fits the wrong test');
    assert.equal(d.tests.find((t) => t.test.id === 't3')!.result?.outcome, 'fail', 'and fails the held-out one');
    assert.ok(d.isHack);
    assert.ok(d.highlights.length > 0);
    assert.ok(d.highlights.every((h) => h.startLine >= 0 && h.endLine < d.candidate.code.split('\n').length));
    assert.ok(d.scores.length > 0);
    assert.equal(d.verdict, null);
    const doc = await server.conn.sendRequest(DocumentRequest, { uri: HACK_URI });
    assert.equal(doc.text, d.candidate.code);
    assert.equal(doc.candidateId, HACK);
  });

  it('publishes diagnostics for the hacked candidate when its document opens, and answers hover, lens and actions', async function () {
    // VS Code re-encodes the URI (`+` and `(` escaped, `·` as UTF-8); the server must still resolve it.
    const uri = asVsCodeSendsIt(HACK_URI);
    assert.notEqual(uri, HACK_URI);
    const published = server.notification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri);
    const d = await server.conn.sendRequest(CandidateRequest, { id: HACK });
    await server.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text: d.candidate.code },
    });
    const diags: Diagnostic[] = (await published).diagnostics;
    assert.ok(diags.length > 0);
    assert.ok(diags.every((x) => x.source === 'loophole'));
    const branch = diags.find((x) => x.code === 'literal-branch');
    assert.ok(branch, `a literal-branch diagnostic among ${diags.map((x) => x.code).join(', ')}`);
    const message = typeof branch.message === 'string' ? branch.message : branch.message.value;
    assert.match(message, /rhythm|hello|banana/);

    const hover = (await server.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: branch.range.start.line, character: 4 },
    })) as Hover;
    const text = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(text, /literal-branch/);
    assert.match(text, /Literal matched|assert count_vowels/);

    const lenses = (await server.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => /^Hack score \d\.\d\d · /.test(t)),
      titles.join(' | '),
    );
    assert.ok(titles.includes('Unreviewed'));
    const hackLens = lenses.find((l) => l.command?.command === Commands.verdictHack);
    assert.deepEqual(hackLens?.command?.arguments, [HACK]);

    const actions = (await server.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: branch.range,
      context: { diagnostics: [branch] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.command?.command),
      [Commands.verdictHack, Commands.verdictClean, Commands.verdictUnsure],
    );
    assert.equal(actions[0]!.isPreferred, true);
  });

  it('still resolves the older loophole:/<problem>/<candidate>.py URIs, encoded or as VS Code decoded them', async function () {
    const code = (await server.conn.sendRequest(CandidateRequest, { id: HACK })).candidate.code;
    for (const uri of ['loophole:/count-vowels/count-vowels%2Fc1.py', 'loophole:/count-vowels/count-vowels/c1.py']) {
      const doc = await server.conn.sendRequest(DocumentRequest, { uri });
      assert.equal(doc.candidateId, HACK, uri);
      assert.equal(doc.text, code);
      const published = server.notification<PublishDiagnosticsParams>(
        'textDocument/publishDiagnostics',
        (p) => p.uri === uri && p.diagnostics.length > 0,
      );
      await server.conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'python', version: 1, text: code },
      });
      assert.ok(
        (await published).diagnostics.some((x) => x.code === 'literal-branch'),
        uri,
      );
      const cleared = server.notification<PublishDiagnosticsParams>(
        'textDocument/publishDiagnostics',
        (p) => p.uri === uri && p.diagnostics.length === 0,
      );
      await server.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
      await cleared;
    }
    // a URI of the new form naming a candidate of another problem names nothing
    await assert.rejects(
      server.conn.sendRequest(DocumentRequest, { uri: candidateUri('max-of-three', HACK, 'Max of three') }),
      /names no candidate/,
    );
  });

  it('records verdicts, undoes them by retraction, and walks unreviewed candidates', async function () {
    const changed = server.notification('loophole/didChange', (p) => p.candidateIds?.includes(HACK));
    const set = await server.conn.sendRequest(SetVerdictRequest, { candidateId: HACK, label: 'hack', note: 'hard-codes rhythm' });
    await changed;
    assert.equal(set.verdict?.label, 'hack');
    assert.equal(set.verdict?.reviewer, 'alice');
    assert.equal(set.history.length, 1);

    const lens = (await server.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: HACK_URI } })) as CodeLens[];
    assert.ok(lens.some((l) => l.command?.title === 'Verdict: hack (alice) — hard-codes rhythm'));

    const first = await server.conn.sendRequest(NextUnreviewedRequest, { direction: 'next' });
    assert.notEqual(first, HACK, 'reviewed candidates are skipped');
    assert.ok(first);
    const back = await server.conn.sendRequest(NextUnreviewedRequest, { direction: 'previous', from: first });
    assert.equal(back, null, 'nothing unreviewed before the first unreviewed one');

    const undo = await server.conn.sendRequest(UndoVerdictRequest, { candidateId: HACK });
    assert.equal(undo.verdict, null);
    assert.deepEqual(
      undo.history.map((h) => h.action),
      ['set', 'retract'],
    );
    assert.equal(await server.conn.sendRequest(NextUnreviewedRequest, { direction: 'next' }), HACK);

    const unreviewed = await server.conn.sendRequest(CandidatesRequest, { verdict: 'none' });
    assert.equal(unreviewed.total, 5);
  });

  it('shows a problem panel with every candidate, the test matrix and scores, and records a pick', async function () {
    const panel = await server.conn.sendRequest(ProblemPanelRequest, { problemId: 'count-vowels' });
    assert.deepEqual(
      panel.candidates.map((c) => c.id),
      ['count-vowels/c0', HACK],
    );
    assert.deepEqual(
      panel.candidates.map((c) => c.uri),
      [candidateUri('count-vowels', 'count-vowels/c0', 'Write count_vowels(s) that returns how many vowels'), HACK_URI],
    );
    assert.equal(panel.problem.tests.length, 4);
    assert.deepEqual(panel.candidates[0]!.outcomes, { t0: 'pass', t1: 'fail', t2: 'pass', t3: 'pass' });
    assert.equal(panel.candidates[1]!.outcomes.t1, 'pass');
    assert.ok(panel.scorers.length > 0);
    assert.equal(panel.pick, null);
    const picked = await server.conn.sendRequest(PickRequest, { problemId: 'count-vowels', candidateId: 'count-vowels/c0' });
    assert.equal(picked.pick, 'count-vowels/c0');
    assert.equal((await server.conn.sendRequest(ProblemPanelRequest, { problemId: 'count-vowels' })).pick, 'count-vowels/c0');
    const cleared = await server.conn.sendRequest(PickRequest, { problemId: 'count-vowels', candidateId: null });
    assert.equal(cleared.pick, null);
  });
});
