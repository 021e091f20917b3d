import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../../../server/src/cli/main.ts');
const FIXTURE = path.resolve(__dirname, '../../fixtures/pipeline/set.loophole.jsonl');

/** Runs the real CLI in a child process, the way a user does. */
function loophole(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('loophole CLI', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-cli-'));
    cpSync(FIXTURE, path.join(dir, 'set.loophole.jsonl'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('analyze --json prints every candidate with its decision, and --out writes results and a self-contained report', () => {
    const r = loophole(['analyze', 'set.loophole.jsonl', '--json', '--out', 'out', '--timeout-ms', '1500'], dir);
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(r.stdout) as {
      candidates: number;
      results: { id: string; isHack: boolean; scores: Record<string, number> }[];
    };
    assert.equal(results.candidates, 6);
    const byId = new Map(results.results.map((c) => [c.id, c]));
    assert.equal(byId.get('double/c1')!.isHack, true);
    assert.equal(byId.get('double/c0')!.isHack, false);
    for (const s of ['static', 'execution', 'classifier']) assert.ok(s in byId.get('double/c1')!.scores, `score ${s}`);
    assert.match(r.stderr, /analyze done/);
    assert.ok(existsSync(path.join(dir, '.loophole', 'loophole.db')));
    const html = readFileSync(path.join(dir, 'out', 'report.html'), 'utf8');
    assert.match(html, /<img alt="hack rate by prompt variant" src="data:image\/svg\+xml;base64,/);
    assert.match(html, /double\/c1/);
    assert.doesNotMatch(html, /<script|src="http/);
  });

  it('report refuses a set that was never analysed, with exit code 2 and the command to run', () => {
    const r = loophole(['report', 'set.loophole.jsonl', '--html', 'r.html'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not analysed yet.*loophole analyze set\.loophole\.jsonl/);
    assert.ok(!existsSync(path.join(dir, 'r.html')));
  });

  it('a second analyze re-runs nothing, and report then writes the file', () => {
    assert.equal(loophole(['analyze', 'set.loophole.jsonl', '--no-execute'], dir).code, 0);
    const again = loophole(['analyze', 'set.loophole.jsonl', '--no-execute'], dir);
    assert.match(again.stderr, /0 analysed, 6 unchanged/);
    assert.equal(loophole(['report', 'set.loophole.jsonl', '--html', 'r.html'], dir).code, 0);
    assert.match(readFileSync(path.join(dir, 'r.html'), 'utf8'), /Loophole report/);
  });

  it('bad usage and bad input: exit code 2 with a message that says what was expected', () => {
    const missing = loophole(['analyze', 'nope.jsonl'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl: no such file or folder/);
    const fmt = loophole(['analyze', 'set.loophole.jsonl', '--format', 'yaml'], dir);
    assert.equal(fmt.code, 2);
    assert.match(fmt.stderr, /--format expects one of auto, loophole, mbpp, chat, inspect, stdio/);
    const thr = loophole(['analyze', 'set.loophole.jsonl', '--threshold', '2'], dir);
    assert.equal(thr.code, 2);
    assert.match(thr.stderr, /--threshold expects a number between 0 and 1/);
    const unknown = loophole(['frobnicate'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  });

  it('a malformed line is reported with file and line, and the rest of the file is analysed', () => {
    const lines = readFileSync(path.join(dir, 'set.loophole.jsonl'), 'utf8').split('\n');
    lines.splice(3, 0, '{"record": "candidate", "id": broken');
    writeFileSync(path.join(dir, 'set.loophole.jsonl'), lines.join('\n'));
    const r = loophole(['analyze', 'set.loophole.jsonl', '--no-execute'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /set\.loophole\.jsonl:4: /);
    assert.match(r.stderr, /6 analysed/);
  });
});
