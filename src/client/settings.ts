import * as vscode from 'vscode';
import type { LoopholeSettings } from '../../contract/lsp';
import type { IsolationMode } from '../../contract/settings';

/**
 * The `loophole.*` settings as the server wants them (`LoopholeSettings`), plus the workspace's trust.
 * The server executes candidate code only when the client opts in with `workspaceTrusted: true`, so a
 * trusted workspace says so explicitly and an untrusted one stays static-only even if a request asks.
 */
export function serverSettings(openPath?: string): LoopholeSettings {
  const c = vscode.workspace.getConfiguration('loophole');
  const reviewer = c.get<string>('reviewer')?.trim();
  return {
    sandbox: defined({
      timeoutMs: c.get<number>('sandbox.timeoutMs'),
      memoryMb: c.get<number>('sandbox.memoryMb'),
      outputBytes: c.get<number>('sandbox.outputBytes'),
      isolation: c.get<IsolationMode>('sandbox.isolation'),
    }),
    python: defined({ path: c.get<string>('python.path') }),
    scoring: defined({ threshold: c.get<number>('scoring.threshold') }),
    judge: defined({ localModel: c.get<string>('judge.localModel'), device: c.get<string>('judge.device') }),
    probe: defined({ file: c.get<string>('probe.file') }),
    ...(reviewer ? { reviewer } : {}),
    workspaceTrusted: vscode.workspace.isTrusted === true,
    ...(openPath ? { openPath } : {}),
    // The extension opens and analyses review sets itself and registers richer verdict commands.
    openWorkspace: false,
    analyseOnOpen: false,
    clientCommands: true,
  };
}

/** The object without its undefined properties (a setting with no value is left out, not sent as undefined). */
function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Client-side settings the server never sees. */
export function clientSettings(): { analyseOnOpen: boolean; execute: boolean; reviewSetPath: string } {
  const c = vscode.workspace.getConfiguration('loophole');
  return {
    analyseOnOpen: c.get<boolean>('analysis.onOpen', true),
    execute: c.get<boolean>('analysis.execute', true),
    reviewSetPath: c.get<string>('reviewSet.path', ''),
  };
}
