import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS, type SettingKey, settingDefault, settingRange } from '../../../contract/settings';
import { readSettings } from '../../../server/src/lsp/settings';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
};
const declared = manifest.contributes.configuration.properties;
/** What the schema owns; descriptions, scopes and examples are the manifest's alone. */
const RULES = ['type', 'minimum', 'maximum', 'enum', 'default'] as const;
const rulesOf = (o: Record<string, unknown>) => Object.fromEntries(RULES.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

describe('settings: one definition of every loophole.* setting', () => {
  it("the manifest's contributes.configuration declares exactly the settings of contract/settings.ts", () => {
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTINGS).sort());
  });

  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    it(`${key}: the manifest states the schema's type, bounds, enum and default`, () => {
      assert.deepEqual(rulesOf(declared[key] ?? {}), rulesOf(SETTINGS[key] as unknown as Record<string, unknown>));
    });
  }

  it("the readers' defaults and bounds are the manifest's", () => {
    for (const key of Object.keys(SETTINGS) as SettingKey[]) assert.deepEqual(settingDefault(key), declared[key]?.default, key);
    assert.deepEqual(settingRange('loophole.sandbox.timeoutMs'), { min: 100, max: 600_000 });
    assert.deepEqual(settingRange('loophole.jobs.maxSteps'), { min: 0, max: Infinity });
  });

  it('the server reads the sandbox limits within the same bounds and ignores values outside them', () => {
    const warnings: string[] = [];
    const inside = readSettings({ sandbox: { timeoutMs: 100, memoryMb: 1_048_576, outputBytes: 1024 } }, (m) => warnings.push(m));
    assert.deepEqual(inside.sandbox, { timeoutMs: 100, memoryMb: 1_048_576, outputBytes: 1024 });
    assert.equal(warnings.length, 0, warnings.join('; '));
    const outside = readSettings({ sandbox: { timeoutMs: 99, memoryMb: 16, outputBytes: 1, isolation: 'none' } }, (m) => warnings.push(m));
    assert.deepEqual(outside.sandbox, { isolation: 'none' });
    assert.deepEqual(warnings, [
      "settings: 'sandbox.timeoutMs' must be a number in [100, 600000]; ignored",
      "settings: 'sandbox.memoryMb' must be a number in [32, 1048576]; ignored",
      "settings: 'sandbox.outputBytes' must be a number in [1024, 1073741824]; ignored",
    ]);
  });
});
