/**
 * The client's restart policy (`src/client/restartPolicy.ts`) against the exits the real server
 * produces when VS Code forks it over node IPC: a deliberate stop is left alone, a crash is restarted,
 * and the restarted server, given the set it had open (`openPath`), opens it again by itself.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { ExitNotification, InitializedNotification, InitializeRequest, ShutdownRequest } from 'vscode-languageserver-protocol';
import { decideRestart, type ExitStatus } from '../../src/client/restartPolicy';
import { DidChangeNotification, OpenRequest, SetVerdictRequest, StateRequest, type DidChangeParams } from '../../contract/lsp';
import { ensureBundle, fixtureCopy, removeDir, serverJs } from './harness';

interface Forked {
  readonly child: ChildProcess;
  readonly conn: MessageConnection;
  readonly exited: Promise<ExitStatus>;
  /** Resolves on the first `loophole/didChange` with `all: true`. */
  readonly reopened: Promise<DidChangeParams>;
}

/** Forks the bundled server the way the extension does (`--node-ipc`) and initializes it. */
async function forkServer(initializationOptions: object = {}): Promise<Forked> {
  const child = fork(serverJs, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  conn.onError(() => undefined);
  const reopened = new Promise<DidChangeParams>((resolve) =>
    conn.onNotification(DidChangeNotification, (p) => {
      if (p.all) resolve(p);
    }),
  );
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
  await conn.sendNotification(InitializedNotification.type, {});
  return { child, conn, exited, reopened };
}

describe('language server: restart policy on real exits', function () {
  const dirs: string[] = [];
  const live: Forked[] = [];
  before(() => ensureBundle());
  afterEach(async () => {
    for (const s of live.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await s.exited;
      s.conn.dispose();
    }
  });
  after(() => dirs.forEach(removeDir));

  async function start(options: object = {}): Promise<Forked> {
    const s = await forkServer(options);
    live.push(s);
    return s;
  }

  it('leaves a server that exited on purpose (shutdown + exit) stopped', async function () {
    const s = await start();
    await s.conn.sendRequest(ShutdownRequest.type);
    await s.conn.sendNotification(ExitNotification.type);
    const exit = await s.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    const d = decideRestart({ stopping: false, exit, crashes: [], now: Date.now() });
    assert.deepEqual([d.restart, d.reason], [false, 'exited-on-purpose']);
  });

  it('restarts a server that exited without shutdown', async function () {
    const s = await start();
    await s.conn.sendNotification(ExitNotification.type);
    const exit = await s.exited;
    assert.notEqual(exit.code, 0);
    assert.equal(decideRestart({ stopping: false, exit, crashes: [], now: Date.now() }).restart, true);
  });

  it('restarts a killed server, and the new one re-opens the set with the verdict given before the kill', async function () {
    const dir = fixtureCopy();
    dirs.push(dir);
    const first = await start({ reviewer: 'ann' });
    await first.conn.sendRequest(OpenRequest, { path: dir });
    await first.conn.sendRequest(SetVerdictRequest, { candidateId: 'count-vowels/c1', label: 'hack' });
    first.child.kill('SIGKILL');
    const exit = await first.exited;
    assert.deepEqual(exit, { code: null, signal: 'SIGKILL' });
    const d = decideRestart({ stopping: false, exit, crashes: [], now: Date.now() });
    assert.deepEqual([d.restart, d.reason], [true, 'crashed']);

    // What the client's initializationOptions carry on a restart: the path of the set it had open.
    // The client asks for the state as soon as the server runs, before any didChange: the answer waits
    // for the re-open, however long the open takes, instead of saying "no set".
    const second = await start({ reviewer: 'ann', openPath: dir });
    const info = await second.conn.sendRequest(StateRequest, {});
    assert.ok(info, 'the restarted server has the set open without a loophole/open');
    assert.equal(info.reviewed, 1);
    await second.reopened;
  });
});
