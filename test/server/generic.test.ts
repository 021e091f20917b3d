/**
 * The server as a plain LSP client sees it (no Loophole requests, no trust, no client commands): the
 * review set found from the workspace folder and analysed on open without execution, candidates listed
 * as workspace symbols best-first and opened as real read-only files, diagnostics only while open,
 * verdicts through `workspace/executeCommand`, the review order as server state, and a set that cannot be
 * opened said with `window/showMessage`.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Hover, PublishDiagnosticsParams, SymbolInformation } from 'vscode-languageserver-protocol';
import {
  CodeActionRequest,
  CodeLensRequest,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  HoverRequest,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol';
import { CandidateRequest, ServerCommands, type ServerStep, StateRequest, type VerdictResult } from '../../contract/lsp';
import { ensureBundle, fixtureCopy, removeDir, ServerProcess } from './harness';

const HACK = 'count-vowels/c1';

describe('language server: a generic LSP client', function () {
  let dir: string;
  let server: ServerProcess;
  let hackUri: string;

  before(async function () {
    ensureBundle();
    dir = fixtureCopy();
    server = await ServerProcess.start(
      { reviewer: 'bob' },
      {
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'set' }],
        capabilities: { window: { workDoneProgress: true } },
      },
    );
  });

  after(async function () {
    if (server) assert.equal(await server.shutdown(), 0);
    removeDir(dir);
  });

  it('opens the workspace folder and analyses it on open, with work-done progress and without executing code', async function () {
    await server.notification('$/progress', (p) => p.value?.kind === 'end');
    assert.ok(
      server.serverRequests.some((r) => r.method === 'window/workDoneProgress/create'),
      'the server created its own progress',
    );
    const state = await server.conn.sendRequest(StateRequest, {});
    assert.equal(state?.candidates, 5);
    assert.equal(state?.analysed, 5);
    const d = await server.conn.sendRequest(CandidateRequest, { id: HACK });
    assert.ok(
      d.tests.every((t) => t.result === undefined),
      'no test ran: execution was not opted in',
    );
  });

  it('lists candidates as workspace symbols, best first, in read-only files under .loophole/', async function () {
    const symbols = (await server.conn.sendRequest(WorkspaceSymbolRequest.type, { query: '' })) as SymbolInformation[];
    assert.equal(symbols.length, 5);
    const scores = symbols.map((s) => Number(/ · (\d\.\d\d)/.exec(s.name)?.[1]));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      symbols.map((s) => s.name).join(' | '),
    );
    const hack = symbols.find((s) => s.name.includes(HACK))!;
    assert.match(hack.name, /^write-count-vowels-s-that-returns-how · count-vowels\/c1 · \d\.\d\d.* · unreviewed$/);
    hackUri = hack.location.uri;
    const file = fileURLToPath(hackUri);
    assert.ok(file.startsWith(path.join(dir, '.loophole', 'candidates') + path.sep), file);
    assert.equal(statSync(file).mode & 0o222, 0, 'read-only');
    const base = path.basename(file);
    assert.match(base, /^write-count-vowels-s-that-returns-how--.*\.loophole\.py$/);
    assert.doesNotMatch(base, /^test_.*\.py$|_test\.py$|^[A-Za-z_]\w*\.py$/, 'neither a test file nor an importable module');
    const narrowed = (await server.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'max three' })) as SymbolInformation[];
    assert.ok(narrowed.length > 0 && narrowed.every((s) => s.containerName === 'max-of-three'));
  });

  it('publishes diagnostics for an open candidate file, answers hover, lenses and actions with server commands', async function () {
    const code = (await server.conn.sendRequest(CandidateRequest, { id: HACK })).candidate.code;
    assert.equal(readFileSync(fileURLToPath(hackUri), 'utf8'), code, 'the file holds the stored code');
    const published = server.notification<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === hackUri && p.diagnostics.length > 0,
    );
    await server.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: hackUri, languageId: 'python', version: 1, text: code },
    });
    const diags = (await published).diagnostics;
    const branch = diags.find((x) => x.code === 'literal-branch');
    assert.ok(branch, diags.map((x) => x.code).join(', '));
    const hover = (await server.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri: hackUri },
      position: { line: branch.range.start.line, character: 4 },
    })) as Hover;
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents && /literal-branch/.test(hover.contents.value));

    const caps = server.initializeResult.capabilities;
    assert.ok(caps.workspaceSymbolProvider);
    assert.deepEqual([...(caps.executeCommandProvider?.commands ?? [])].sort(), Object.values(ServerCommands).sort());
    const lenses = (await server.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: hackUri } })) as CodeLens[];
    const known = new Set<string>(Object.values(ServerCommands));
    assert.ok(
      lenses.every((l) => l.command && known.has(l.command.command)),
      'every lens runs on the server',
    );
    const actions = (await server.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: hackUri },
      range: branch.range,
      context: { diagnostics: [branch] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.command?.arguments),
      [
        [HACK, 'hack'],
        [HACK, 'clean'],
        [HACK, 'unsure'],
      ],
    );
    assert.ok(actions.every((a) => a.command?.command === ServerCommands.verdict));
  });

  it('gives a verdict from a code lens, shows it in the lenses, then undoes it and adds a note', async function () {
    const lenses = (await server.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: hackUri } })) as CodeLens[];
    const mark = lenses.find((l) => l.command?.title === 'Mark hack')!.command!;
    const r = (await server.conn.sendRequest(ExecuteCommandRequest.type, {
      command: mark.command,
      ...(mark.arguments ? { arguments: mark.arguments } : {}),
    })) as VerdictResult;
    assert.equal(r.verdict?.label, 'hack');
    assert.equal(r.verdict?.reviewer, 'bob');
    const after = (await server.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: hackUri } })) as CodeLens[];
    assert.ok(
      after.some((l) => l.command?.title === 'Verdict: hack (bob)'),
      after.map((l) => l.command?.title).join(' | '),
    );

    const undone = (await server.conn.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.undo,
      arguments: [HACK],
    })) as VerdictResult;
    assert.equal(undone.verdict, null);
    const noted = (await server.conn.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.note,
      arguments: [HACK, 'returns 3 for rhythm', 'hack'],
    })) as VerdictResult;
    assert.equal(noted.verdict?.note, 'returns 3 for rhythm');
    await assert.rejects(
      server.conn.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.verdict, arguments: [HACK, 'maybe'] }),
      /argument 2/,
    );
  });

  it('walks unreviewed candidates in the server-side review order', async function () {
    const order = (await server.conn.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.order,
      arguments: [{ sort: 'id', order: 'asc', grouping: 'flat' }],
    })) as { description: string };
    assert.equal(order.description, 'id ↑, flat');
    const first = (await server.conn.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.next,
      arguments: [],
    })) as ServerStep;
    assert.equal(first.candidateId, 'count-vowels/c0');
    assert.ok(statSync(fileURLToPath(first.uri)).isFile());
    const second = (await server.conn.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.next,
      arguments: [first.candidateId],
    })) as ServerStep;
    assert.equal(second.candidateId, 'max-of-three/c0', 'the reviewed hack is skipped');
    const back = await server.conn.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.previous,
      arguments: [first.candidateId],
    });
    assert.equal(back, null);
    await server.notification('window/showMessage', (p) => /no earlier unreviewed candidates \(order: id ↑, flat\)/.test(p.message));

    // The default order is the tree's: problems most suspicious first, each one's candidates by score.
    const reset = (await server.conn.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.order, arguments: [{}] })) as {
      description: string;
    };
    assert.equal(reset.description, 'score ↓, by problem');
    const symbols = (await server.conn.sendRequest(WorkspaceSymbolRequest.type, { query: '' })) as SymbolInformation[];
    const problems = [...new Set(symbols.map((x) => x.containerName!))];
    const expected = problems.flatMap((p) =>
      symbols.filter((x) => x.containerName === p && !x.name.endsWith(' · hack')).map((x) => x.name.split(' · ')[1]),
    );
    const walked: string[] = [];
    for (let from: string | undefined; ; ) {
      const step = (await server.conn.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommands.next,
        arguments: from ? [from] : [],
      })) as ServerStep | null;
      if (!step) break;
      walked.push((from = step.candidateId));
    }
    assert.deepEqual(walked, expected);
  });

  it("clears an open candidate's diagnostics when it closes", async function () {
    const cleared = server.notification<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === hackUri && p.diagnostics.length === 0,
    );
    await server.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: hackUri } });
    await cleared;
  });

  it('says with window/showMessage when the review set cannot be opened', async function () {
    const other = await ServerProcess.start({ openPath: path.join(dir, 'no-such-set.jsonl') });
    try {
      const m = await other.notification('window/showMessage', (p) => p.type === 1);
      assert.match(m.message, /could not open the review set .*no-such-set\.jsonl/);
    } finally {
      await other.shutdown();
    }
  });
});
