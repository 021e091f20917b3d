import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decideRestart, DefaultCrashWindowMs, DefaultMaxCrashes, describeExit } from '../../../src/client/restartPolicy';

const t0 = 1_700_000_000_000;

describe('client restart policy', () => {
  it('does not restart a server the client stopped, whatever its exit', () => {
    for (const exit of [undefined, { code: 0, signal: null }, { code: 1, signal: null }, { code: null, signal: 'SIGKILL' }]) {
      const d = decideRestart({ stopping: true, exit, crashes: [], now: t0 });
      assert.deepEqual([d.restart, d.reason], [false, 'stopped-by-client']);
      assert.deepEqual(d.crashes, [], 'a deliberate stop is not counted as a crash');
    }
  });

  it('does not restart a server that exited 0 (shutdown + exit)', () => {
    const d = decideRestart({ stopping: false, exit: { code: 0, signal: null }, crashes: [t0 - 1000], now: t0 });
    assert.deepEqual([d.restart, d.reason], [false, 'exited-on-purpose']);
    assert.deepEqual(d.crashes, [t0 - 1000]);
  });

  it('restarts after a signal, a non-zero exit code, or an unseen exit, and counts each as a crash', () => {
    for (const exit of [{ code: null, signal: 'SIGKILL' }, { code: 1, signal: null }, { code: 134, signal: null }, undefined]) {
      const d = decideRestart({ stopping: false, exit, crashes: [], now: t0 });
      assert.deepEqual([d.restart, d.reason], [true, 'crashed'], describeExit(exit));
      assert.deepEqual(d.crashes, [t0]);
    }
  });

  it('gives up after more than the allowed crashes inside the window, and forgets crashes older than it', () => {
    let crashes: readonly number[] = [];
    for (let i = 0; i < DefaultMaxCrashes; i++) {
      const d = decideRestart({ stopping: false, exit: { code: null, signal: 'SIGSEGV' }, crashes, now: t0 + i * 1000 });
      assert.equal(d.restart, true, `crash ${i + 1}`);
      crashes = d.crashes;
    }
    const last = decideRestart({ stopping: false, exit: { code: null, signal: 'SIGSEGV' }, crashes, now: t0 + 10_000 });
    assert.deepEqual([last.restart, last.reason], [false, 'too-many-crashes']);
    // the same burst, but the next crash comes after the window has passed: restart again
    const later = decideRestart({ stopping: false, exit: { code: 1, signal: null }, crashes, now: t0 + DefaultCrashWindowMs + 5_000 });
    assert.equal(later.restart, true);
    assert.deepEqual(later.crashes, [t0 + DefaultCrashWindowMs + 5_000]);
  });

  it('never restarts on purpose exits and never counts more crashes than it saw (property)', () => {
    const exitArb = fc.option(
      fc.oneof(
        fc.record({ code: fc.integer({ min: 0, max: 255 }), signal: fc.constant(null) }),
        fc.record({ code: fc.constant(null), signal: fc.constantFrom('SIGKILL', 'SIGTERM', 'SIGSEGV') }),
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.boolean(),
        exitArb,
        fc.array(fc.integer({ min: 0, max: 1_000_000 })),
        fc.integer({ min: 1, max: 6 }),
        (stopping, exit, offsets, max) => {
          const crashes = offsets.map((o) => t0 - o).sort((a, b) => a - b);
          const d = decideRestart({ stopping, exit, crashes, now: t0, maxCrashes: max, windowMs: 60_000 });
          if (stopping || (exit?.code === 0 && exit.signal === null)) assert.equal(d.restart, false);
          if (d.restart) assert.ok(d.crashes.length <= max);
          if (d.reason === 'crashed')
            assert.ok(
              d.crashes.every((c) => t0 - c < 60_000),
              'only crashes inside the window count',
            );
        },
      ),
    );
  });

  it('describes exits in words', () => {
    assert.equal(describeExit({ code: null, signal: 'SIGKILL' }), 'signal SIGKILL');
    assert.equal(describeExit({ code: 3, signal: null }), 'exit code 3');
    assert.equal(describeExit(undefined), 'no exit status');
  });
});
