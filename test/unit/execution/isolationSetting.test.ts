/** The isolation setting as the language server reads it: each mode by name, never `process` as `none`. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeOptions, readSettings } from '../../../server/src/lsp/settings';

function isolationOf(value: unknown): { isolation: unknown; warnings: string[] } {
  const warnings: string[] = [];
  const s = readSettings({ sandbox: { isolation: value } }, (m) => warnings.push(m));
  return { isolation: analyzeOptions(s, {}).options.limits?.isolation, warnings };
}

describe('execution/isolation setting', function () {
  it('passes each mode through by its name', function () {
    for (const mode of ['auto', 'bwrap', 'namespaces', 'none']) assert.deepEqual(isolationOf(mode), { isolation: mode, warnings: [] });
  });

  it('reads the old "process" as auto with a warning, never as unisolated', function () {
    const r = isolationOf('process');
    assert.equal(r.isolation, 'auto');
    assert.match(r.warnings[0]!, /'process' is no longer a mode .* using 'auto'/);
  });

  it('ignores an unknown mode, saying which are known', function () {
    const r = isolationOf('chroot');
    assert.equal(r.isolation, undefined);
    assert.match(r.warnings[0]!, /must be 'auto', 'bwrap', 'namespaces' or 'none'/);
  });

  it('the manifest offers exactly these modes, with none described as no isolation', function () {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { enum: string[]; enumDescriptions: string[] }> } };
    };
    const prop = pkg.contributes.configuration.properties['loophole.sandbox.isolation']!;
    assert.deepEqual(prop.enum, ['auto', 'bwrap', 'namespaces', 'none']);
    assert.match(prop.enumDescriptions[3]!, /^NO isolation/);
  });
});
