/**
 * Option names with one meaning across commands: an old spelling still works where a command used it,
 * with a note on stderr naming the new one; both spellings at once is bad usage.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { renamedOption } from '../../../server/src/cli/args';
import type { CliContext } from '../../../server/src/cli/command';
import { probeCommand } from '../../../server/src/cli/commands/probe';
import { trainCommand } from '../../../server/src/cli/commands/train';

function context(): { ctx: CliContext; err: () => string } {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ctx: CliContext = {
    stdout: new PassThrough(),
    stderr,
    cwd: process.cwd(),
    signal: new AbortController().signal,
    progress: () => ({ total() {}, update() {}, done() {} }),
  };
  return { ctx, err: () => err };
}

describe('CLI: renamed options', () => {
  const names = { current: 'new-name', old: 'old-name', arg: 'N', why: 'old-name means something else elsewhere' };

  it('reads the current name silently, the old one with a note, and refuses both', () => {
    const quiet = context();
    assert.equal(renamedOption({ 'new-name': '3' }, names, 'cmd', quiet.ctx), '3');
    assert.equal(renamedOption({}, names, 'cmd', quiet.ctx), undefined);
    assert.equal(quiet.err(), '');
    const noted = context();
    assert.equal(renamedOption({ 'old-name': '4' }, names, 'cmd', noted.ctx), '4');
    assert.equal(
      noted.err(),
      'loophole cmd: --old-name N is deprecated here; use --new-name N (old-name means something else elsewhere)\n',
    );
    assert.throws(() => renamedOption({ 'old-name': '4', 'new-name': '3' }, names, 'cmd', noted.ctx), {
      name: 'UsageError',
      message: /--old-name is the old spelling of --new-name; give one/,
    });
  });

  it('train: the generation length is --max-tokens, as in generate and eval (--max-new-tokens still read)', async () => {
    const c = context();
    await assert.rejects(
      trainCommand.run(['--model', 'm', '--data', 'x.jsonl', '--max-tokens', '8'], c.ctx),
      /--max-tokens goes with --chain/,
    );
    const old = context();
    await assert.rejects(trainCommand.run(['--model', 'm', '--data', 'x.jsonl', '--max-new-tokens', '8'], old.ctx), /goes with --chain/);
    assert.match(old.err(), /loophole train: --max-new-tokens N is deprecated here; use --max-tokens N/);
  });

  it('probe train: the tokens read per candidate are --read-tokens (--max-tokens still read)', async () => {
    const old = context();
    await assert.rejects(probeCommand.run(['train', '--model', 'm', '--max-tokens', '8'], old.ctx), /no labels/);
    assert.match(old.err(), /loophole probe train: --max-tokens N is deprecated here; use --read-tokens N/);
    await assert.rejects(
      probeCommand.run(['train', '--model', 'm', '--read-tokens', '0'], context().ctx),
      /--read-tokens expects a number/,
    );
  });
});
