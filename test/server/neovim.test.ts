/**
 * A real second editor: headless Neovim (Debian's 0.7.2 in CI, or newer) with the committed config
 * `editors/nvim`, driven by `neovim/drive.lua` through open → diagnostics → hover → code lens verdict →
 * restart → verdict shown. The driver writes what it saw as JSON lines; this test judges them.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { safeName } from '../../server/src/service/files';
import { ensureBundle, fixtureCopy, removeDir, repoRoot, serverJs } from './harness';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const haveNvim = nvim.status === 0;

describe('Neovim as a plain LSP client', function () {
  let dir: string;
  let outDir: string;
  before(function () {
    if (!haveNvim) {
      console.log("    (skipped: Neovim is not installed; .ci/setup.sh installs Debian's neovim)");
      this.skip();
    }
    ensureBundle();
    dir = fixtureCopy();
    outDir = mkdtempSync(path.join(tmpdir(), 'loophole-nvim-'));
  });
  after(() => {
    if (dir) removeDir(dir);
    if (outDir) removeDir(outDir);
  });

  it('opens a candidate file, shows diagnostics and hovers, gives a verdict from a code lens and shows it after a restart', async function () {
    const outFile = path.join(outDir, 'run.jsonl');
    const proc = spawn('nvim', ['--headless', '--clean', '-c', `luafile ${path.join(repoRoot, 'test', 'server', 'neovim', 'drive.lua')}`], {
      cwd: dir,
      env: {
        ...process.env,
        LOOPHOLE_OUT: outFile,
        LOOPHOLE_NVIM: path.join(repoRoot, 'editors', 'nvim'),
        LOOPHOLE_NODE: process.execPath,
        LOOPHOLE_SERVER: serverJs,
        LOOPHOLE_SET: dir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    const seen = readFileSync(outFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    const err = seen.find((s) => s.error);
    assert.equal(err, undefined, `the driver failed: ${err?.error}\n${output}`);
    assert.equal(code, 0, output);
    const get = (key: string) => seen.find((s) => key in s)!;

    console.log(`      (Neovim ${get('version').version})`);
    assert.match(get('symbols').symbols[0], /count-vowels\/c1 · \d\.\d\d/, 'the most suspicious candidate first');
    assert.match(get('file').file, /\.loophole\/candidates\/.*\.loophole\.py$/);
    assert.ok(get('diagnostics').diagnostics.includes('literal-branch'), get('diagnostics').diagnostics.join(', '));
    assert.match(get('hover').hover, /literal-branch/);
    assert.ok(get('lenses').lenses.includes('Unreviewed'));
    assert.deepEqual({ label: get('verdict').verdict, reviewer: get('verdict').reviewer }, { label: 'hack', reviewer: 'nvim' });
    const after = seen.find((s) => s.restarted)!;
    assert.ok(after.lenses.includes('Verdict: hack (nvim)'), after.lenses.join(' | '));
    const next = get('next');
    assert.notEqual(next.next, 'count-vowels/c1', 'the reviewed candidate is skipped');
    assert.ok(String(next.opened).endsWith(`--${safeName(next.next)}.loophole.py`), `the next candidate is open: ${next.opened}`);
  });
});
