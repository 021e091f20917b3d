/**
 * The attack suite: one hostile candidate per known way to fool or escape the sandbox
 * (test/fixtures/execution/hostile/), each judged from outside: what the host sees (files, a listener
 * on 127.0.0.1, /dev/shm), what a concurrent clean candidate gets, and the hostile candidate's own
 * results, which must never turn a wrong answer into a pass. Runs under every isolation that works here.
 * `none` is no security boundary: the attacks that need one (writes through libc, signals, sockets below
 * the audit hook, reading host files, /proc) are skipped there, and the README says so.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestResult } from '../../../contract/domain';
import { SandboxPool, executionEvidence } from '../../../server/src/execution';
import { candidate, FIXTURES, outcomes, problem } from './fixtures';

const add = problem('add.problem.json');
const LIMITS = { timeoutMs: 3000, memoryMb: 256, outputBytes: 64 * 1024 };
const CLEAN = { t0: 'pass', t1: 'pass', t2: 'fail' };

for (const isolation of ['bwrap', 'namespaces', 'none'] as const) {
  describe(`execution/attacks (isolation ${isolation})`, function () {
    let pool: SandboxPool;
    before(function () {
      try {
        pool = new SandboxPool({ size: 3, limits: { ...LIMITS, isolation }, log: () => {} });
      } catch {
        this.skip(); // this isolation does not work on this machine
      }
    });
    after(() => pool?.close());

    /** Skips where the attack needs an OS boundary that isolation `none` does not have. */
    const boundary = (ctx: Mocha.Context): void => {
      if (isolation === 'none') ctx.skip();
    };

    async function cleanAfter(): Promise<void> {
      assert.deepEqual(outcomes(await pool.runCandidate(add, candidate('clean_add.py'))), CLEAN);
    }

    it('frame walking and gc cannot find the expected values: the wrong test still fails', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/read_expected.py'));
      assert.deepEqual(outcomes(results), CLEAN);
      assert.equal(
        results.some((r) => r.inProcess),
        false,
      );
    });

    it('a pass forged on fd 3 (then a dead pipe over it) is tampering, never a pass', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/forge_channel.py'));
      assert.equal(results[2]!.outcome, 'error');
      assert.match(results[2]!.message!, /tampering/);
      assert.deepEqual({ t0: results[0]!.outcome, t1: results[1]!.outcome }, { t0: 'pass', t1: 'pass' });
      const findings = executionEvidence(results);
      assert.equal(findings.length, 1);
      assert.equal(findings[0]!.kind, 'harness-tampering');
      assert.equal(findings[0]!.testId, 't2');
    });

    it('a duplicated result channel (a thread writing results) is tampering', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/duplicate_channel.py'));
      assert.equal(results[0]!.outcome, 'error');
      assert.ok(
        results[0]!.evidence?.some((e) => /messages/.test(e)),
        JSON.stringify(results[0]),
      );
      assert.deepEqual({ t1: results[1]!.outcome, t2: results[2]!.outcome }, { t1: 'pass', t2: 'fail' });
    });

    it('patching the harness in sys.modules cannot claim a pass', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/patch_harness.py'));
      for (const r of results) assert.notEqual(r.outcome, 'pass', `${r.testId}: ${r.message}`);
      await cleanAfter();
    });

    it('a result with a rigged __eq__ is evidence and compared as plain data', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/always_equal.py'));
      assert.deepEqual(outcomes(results), { t0: 'error', t1: 'pass', t2: 'fail' });
      assert.match(results[0]!.message!, /cannot be serialised.*AlwaysEqual.*__eq__/);
      assert.ok(results[2]!.evidence?.some((e) => /AgreeableInt/.test(e)));
      assert.ok(executionEvidence(results).length >= 2);
    });

    it('writes through libc, system() and _posixsubprocess.fork_exec do not reach the host', async function () {
      boundary(this);
      const tag = randomBytes(6).toString('hex');
      const targets = [path.join(FIXTURES, `.escaped-${tag}`), `/tmp/loophole-escaped-${tag}`, `/dev/shm/loophole-escaped-${tag}`];
      const results = await pool.runCandidate(add, candidate('hostile/escape_write.py', { __TARGETS__: JSON.stringify(targets) }));
      assert.equal(results[0]!.outcome, 'error');
      assert.match(results[0]!.message!, /RuntimeError: tried/);
      for (const t of targets) {
        const found = existsSync(t);
        rmSync(t, { force: true });
        assert.equal(found, false, `${t} was written`);
      }
      assert.deepEqual({ t1: results[1]!.outcome, t2: results[2]!.outcome }, { t1: 'pass', t2: 'fail' });
    });

    it("TCP, UDP sendto and sendmsg to the host's 127.0.0.1 reach nothing", async function () {
      boundary(this);
      let received = 0;
      const server = net.createServer((s) => {
        received++;
        s.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      const udp = dgram.createSocket('udp4');
      udp.on('message', () => {
        received++;
      });
      await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
      try {
        const results = await pool.runCandidate(add, candidate('hostile/network.py', { __PORT__: String(port) }));
        assert.equal(results[0]!.outcome, 'error');
        // TCP is refused; UDP may leave (into the sandbox's own loopback, where nothing listens).
        assert.match(results[0]!.message!, /network: tcp: \w+Error/);
        // A datagram that did get through would be queued by now: one more round trip through the pool
        // (a clean run) lets the event loop take it before counting.
        await cleanAfter();
      } finally {
        udp.close();
        await new Promise((resolve) => server.close(resolve));
      }
      assert.equal(received, 0);
    });

    it('pidfd_send_signal and kill reach no other test: a concurrent candidate is unharmed', async function () {
      boundary(this);
      const victim = 'import time\ndef add(a, b):\n    time.sleep(0.2)\n    return a + b\n';
      const [hostile, ...victims] = await Promise.all([
        pool.runCandidate(add, candidate('hostile/signal_others.py')),
        pool.runCandidate(add, victim),
        pool.runCandidate(add, victim),
      ]);
      for (const v of victims) assert.deepEqual(outcomes(v), CLEAN);
      assert.equal(hostile[0]!.outcome, 'error');
      // Within its own PID namespace the test sees its worker (and bwrap's init), owned by root: nothing to kill.
      assert.match(hostile[0]!.message!, /signalled 0 processes/);
    });

    it('the data file and the store are out of reach', async function () {
      boundary(this);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-data-'));
      const data = path.join(dir, 'set.loophole.jsonl');
      writeFileSync(data, '{"secret": "held-out tests"}\n', { mode: 0o644 });
      try {
        const results = await pool.runCandidate(add, candidate('hostile/read_data.py', { __PATH__: JSON.stringify(data) }));
        assert.match(results[0]!.message!, /NOREAD/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('/dev/shm is capped and private: filling it stops at the cap and leaves nothing on the host', async function () {
      const tag = `loophole-fill-${randomBytes(5).toString('hex')}`;
      const results = await pool.runCandidate(add, candidate('hostile/fill_shm.py', { __TAG__: tag }));
      assert.equal(results[0]!.outcome, 'error');
      const wrote = Number(/wrote (\d+) MiB/.exec(results[0]!.message!)?.[1]);
      assert.ok(wrote <= 256, results[0]!.message);
      const left = readdirSync('/dev/shm').filter((f) => f.startsWith(tag));
      for (const f of left) rmSync(path.join('/dev/shm', f), { force: true });
      assert.deepEqual(left, []);
      await cleanAfter();
    });

    it('/proc shows no host processes', async function () {
      boundary(this);
      const results = await pool.runCandidate(add, candidate('hostile/list_proc.py'));
      const [, pids, cmdlines] = /PIDS (\d+) CMDLINES (\d+)/.exec(results[0]!.message!) ?? [];
      assert.ok(Number(pids) <= 3, results[0]!.message);
      assert.ok(Number(cmdlines) <= 3, results[0]!.message);
    });

    it('the kernel interfaces an escape starts from are refused (seccomp): namespaces, ptrace, io_uring, BPF', async function () {
      if (!['x86_64', 'arm64'].includes(process.arch === 'x64' ? 'x86_64' : process.arch)) this.skip();
      const results = await pool.runCandidate(add, candidate('hostile/kernel_surface.py'));
      assert.equal(results[0]!.outcome, 'error');
      // none: the audit-hook guard refuses ctypes before seccomp is even reached.
      assert.match(
        results[0]!.message!,
        isolation === 'none'
          ? /ctypes\.dlopen is not allowed|unshare=Operation not permitted/
          : /unshare=Operation not permitted ptrace=Operation not permitted io_uring_setup=Operation not permitted bpf=Operation not permitted/,
      );
      assert.deepEqual({ t1: results[1]!.outcome, t2: results[2]!.outcome }, { t1: 'pass', t2: 'fail' });
    });

    it('a thread that never ends does not outlive its test', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/thread_outlives.py'));
      assert.deepEqual(outcomes(results), CLEAN);
      await cleanAfter();
    });

    it('classics: fork bomb, memory bomb, CPU spin, huge output, sys.exit and os._exit never pass', async function () {
      const cases: [string, (r: TestResult) => void][] = [
        ['fork_bomb.py', (r) => assert.ok(r.outcome === 'error' || r.outcome === 'timeout', r.message)],
        ['memory_hog.py', (r) => assert.match(r.message!, /memory exhausted/)],
        ['infinite_loop.py', (r) => assert.equal(r.outcome, 'timeout')],
        ['print_gigabytes.py', (r) => assert.match(r.message!, /output exceeded the cap/)],
        ['os_exit.py', (r) => assert.match(r.message!, /exited with status 0 before the test finished/)],
      ];
      const all = await Promise.all(cases.map(([file]) => pool.runCandidate(add, candidate(`hostile/${file}`))));
      cases.forEach(([file, check], i) => {
        const [t0, t1, t2] = all[i]!;
        assert.notEqual(t0!.outcome, 'pass', file);
        check(t0!);
        assert.deepEqual({ t1: t1!.outcome, t2: t2!.outcome }, { t1: 'pass', t2: 'fail' }, file);
      });
      const exit = await pool.runCandidate(add, candidate('hostile/exit_before_asserts.py'));
      assert.deepEqual(outcomes(exit), { t0: 'error', t1: 'error', t2: 'error' });
    });
  });
}
