/**
 * Hostile candidates (test/fixtures/execution/hostile/): each misbehaves only for `add(1, 2)` (test t0),
 * so the other tests of the same candidate must still get their true outcomes (t1 pass, t2 fail), and a
 * clean candidate run afterwards must be unaffected. Runs under bubblewrap and namespaces when they work
 * here, and always under isolation `none`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestResult } from '../../../contract/domain';
import { SandboxPool } from '../../../server/src/execution';
import { candidate, FIXTURES, outcomes, problem } from './fixtures';

const add = problem('add.problem.json');
const LIMITS = { timeoutMs: 2000, memoryMb: 256, outputBytes: 64 * 1024 };

function hostProcessNamed(name: string): boolean {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name) return true;
    } catch {
      /* gone meanwhile */
    }
  }
  return false;
}

for (const isolation of ['bwrap', 'namespaces', 'none'] as const) {
  describe(`execution/hostile candidates (isolation ${isolation})`, function () {
    let pool: SandboxPool;
    before(function () {
      try {
        pool = new SandboxPool({ size: 2, limits: { ...LIMITS, isolation }, log: () => {} });
      } catch {
        this.skip(); // this isolation is not usable on this machine
      }
    });
    after(() => pool?.close());

    /** Runs a hostile candidate, checks t0 with `check`, the others' true outcomes, and a clean run after. */
    async function hostile(code: string, check: (t0: TestResult) => void, rest = { t1: 'pass', t2: 'fail' }): Promise<void> {
      const results = await pool.runCandidate(add, code);
      check(results[0]!);
      const { t0: _t0, ...others } = outcomes(results);
      assert.deepEqual(others, rest);
      assert.deepEqual(outcomes(await pool.runCandidate(add, candidate('clean_add.py'))), { t0: 'pass', t1: 'pass', t2: 'fail' });
    }

    it('a fork bomb is stopped (process limit for the dropped uid, or the guard)', async function () {
      await hostile(candidate('hostile/fork_bomb.py'), (t0) => {
        assert.ok(t0.outcome === 'error' || t0.outcome === 'timeout', `${t0.outcome}: ${t0.message}`);
        if (isolation !== 'none' && process.getuid?.() === 0) assert.match(t0.message!, /BlockingIOError|Resource temporarily unavailable/);
      });
    });

    it('an endless loop times out', async function () {
      await hostile(candidate('hostile/infinite_loop.py'), (t0) => assert.equal(t0.outcome, 'timeout'));
    });

    it('unbounded allocation hits the memory cap', async function () {
      await hostile(candidate('hostile/memory_hog.py'), (t0) => {
        assert.equal(t0.outcome, 'error');
        assert.match(t0.message!, /memory exhausted/);
      });
    });

    it('cannot write into the repository or /tmp', async function () {
      const tag = randomBytes(6).toString('hex');
      const targets = [path.join(FIXTURES, `.escaped-${tag}`), `/tmp/loophole-escaped-${tag}`];
      await hostile(candidate('hostile/write_outside.py', { __TARGETS__: JSON.stringify(targets) }), (t0) => {
        assert.equal(t0.outcome, 'error');
        assert.match(t0.message!, /PermissionError|FileNotFoundError|Read-only/);
      });
      for (const t of targets) assert.equal(existsSync(t), false, `${t} was written`);
    });

    it("cannot connect to a server on the host's 127.0.0.1", async function () {
      let connections = 0;
      const server = net.createServer((s) => {
        connections++;
        s.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      try {
        await hostile(candidate('hostile/connect_socket.py', { __PORT__: String(port) }), (t0) => {
          assert.equal(t0.outcome, 'error');
          // bwrap: a fresh network namespace has nothing listening; none: the audit-hook guard refuses.
          assert.match(
            t0.message!,
            isolation !== 'none' ? /ConnectionRefusedError|OSError|unreachable/ : /PermissionError: socket\.connect/,
          );
        });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
      assert.equal(connections, 0);
    });

    it('printing gigabytes is cut at the output cap and reported', async function () {
      await hostile(candidate('hostile/print_gigabytes.py'), (t0) => {
        assert.equal(t0.outcome, 'error');
        assert.match(t0.message!, /output exceeded the cap of 65536 bytes/);
      });
    });

    it('cannot signal its parent (the worker)', async function () {
      await hostile(candidate('hostile/kill_parent.py'), (t0) => {
        assert.equal(t0.outcome, 'error');
        if (process.getuid?.() === 0) assert.match(t0.message!, /PermissionError/);
      });
    });

    it('killing its own process group only ends its own test', async function () {
      await hostile(candidate('hostile/kill_group.py'), (t0) => {
        assert.equal(t0.outcome, 'error');
        // none: the guard refuses signals outright (without a uid drop they could reach the user's processes).
        assert.match(t0.message!, isolation !== 'none' ? /killed by signal SIGKILL/ : /PermissionError: os\.killpg/);
      });
    });

    it('sys.exit(0) before the asserts is an error, never a pass', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/exit_before_asserts.py'));
      assert.deepEqual(outcomes(results), { t0: 'error', t1: 'error', t2: 'error' });
      for (const r of results) assert.match(r.message!, /sys\.exit\(0\) before the test ran/);
    });

    it('os._exit(0) in the middle of a test is an error', async function () {
      await hostile(candidate('hostile/os_exit.py'), (t0) => {
        assert.equal(t0.outcome, 'error');
        assert.match(t0.message!, /exited with status 0 before the test finished/);
      });
    });

    it('a syntax error is an error for every test, with its line', async function () {
      const results = await pool.runCandidate(add, candidate('hostile/syntax_error.py'));
      assert.deepEqual(outcomes(results), { t0: 'error', t1: 'error', t2: 'error' });
      assert.match(results[0]!.message!, /^SyntaxError: .* \(line 1\)$/);
    });

    it('infinite recursion is a RecursionError', async function () {
      await hostile(candidate('hostile/infinite_recursion.py'), (t0) => {
        assert.equal(t0.outcome, 'error');
        assert.match(t0.message!, /RecursionError/);
      });
    });

    it('a process it starts and detaches does not outlive its test', async function () {
      const name = `lh${randomBytes(5).toString('hex')}`;
      const results = await pool.runCandidate(add, candidate('hostile/orphan.py', { __NAME__: name }));
      if (isolation !== 'none') assert.equal(results[0]!.outcome, 'pass');
      else assert.match(results[0]!.message!, /PermissionError/); // the guard refuses os.fork
      assert.equal(hostProcessNamed(name), false);
    });

    if (process.getuid?.() === 0) {
      it('test processes run as nobody, not root', async function () {
        const p = {
          ...add,
          tests: [{ kind: 'assert' as const, id: 't0', role: 'visible' as const, code: 'assert ids() == (65534, 65534)' }],
        };
        const results = await pool.runCandidate(p, 'import os\ndef ids():\n    return os.getuid(), os.geteuid()\n');
        assert.equal(results[0]!.outcome, 'pass', results[0]!.message);
      });
    }
  });
}

describe('execution/worker death', function () {
  it('a candidate that kills its worker costs only the test in flight; the worker restarts', async function () {
    // Without the uid drop a candidate can reach its worker, as it can when the server does not run as root.
    const pool = new SandboxPool({ size: 1, limits: LIMITS, dropPrivileges: false, log: () => {} });
    try {
      const results = await pool.runCandidate(add, candidate('hostile/kill_parent.py'));
      assert.deepEqual(outcomes(results), { t0: 'error', t1: 'pass', t2: 'fail' });
      assert.match(results[0]!.message!, /sandbox worker died .* restarted/);
      assert.deepEqual(outcomes(await pool.runCandidate(add, candidate('clean_add.py'))), { t0: 'pass', t1: 'pass', t2: 'fail' });
    } finally {
      await pool.close();
    }
  });
});
