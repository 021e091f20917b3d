/** Paths of the format fixtures, and a scratch folder per test run for generated inputs. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/formats');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** A fresh temporary folder, removed by the returned function. */
export function scratch(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-formats-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
