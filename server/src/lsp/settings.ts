/**
 * The client's settings (initializationOptions, then workspace/didChangeConfiguration) and what they
 * mean for the pipeline. Unknown or ill-typed fields are ignored with a log line rather than failing the
 * handshake: a bad setting must never keep the server from starting.
 */
import { userInfo } from 'node:os';
import type { SandboxLimits } from '../execution/types';
import type { AnalyzeOptions } from '../pipeline/analyze';
import type { LoopholeSettings } from '../../../contract/lsp';
import { ISOLATION_MODES, type IsolationMode, settingRange } from '../../../contract/settings';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** Reads whatever the client sent into settings, keeping only well-typed fields. */
export function readSettings(raw: unknown, warn: (message: string) => void): LoopholeSettings {
  const out: Mutable<LoopholeSettings> = {};
  if (raw === null || raw === undefined) return out;
  if (typeof raw !== 'object') {
    warn(`settings: expected an object, got ${typeof raw}; ignored`);
    return out;
  }
  const o = raw as Record<string, unknown>;
  const obj = (v: unknown, name: string): Record<string, unknown> | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    warn(`settings: '${name}' must be an object; ignored`);
    return undefined;
  };
  /** A number within the bounds `contract/settings.ts` gives `loophole.<name>`. */
  const num = (
    v: unknown,
    name: 'sandbox.timeoutMs' | 'sandbox.memoryMb' | 'sandbox.outputBytes' | 'scoring.threshold',
  ): number | undefined => {
    if (v === undefined || v === null) return undefined;
    const { min, max } = settingRange(`loophole.${name}`);
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return v;
    warn(`settings: '${name}' must be a number in [${min}, ${max}]; ignored`);
    return undefined;
  };
  const str = (v: unknown, name: string): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v;
    warn(`settings: '${name}' must be a string; ignored`);
    return undefined;
  };

  const sandbox = obj(o.sandbox, 'sandbox');
  if (sandbox) {
    const s: Mutable<NonNullable<LoopholeSettings['sandbox']>> = {};
    const timeoutMs = num(sandbox.timeoutMs, 'sandbox.timeoutMs');
    const memoryMb = num(sandbox.memoryMb, 'sandbox.memoryMb');
    const outputBytes = num(sandbox.outputBytes, 'sandbox.outputBytes');
    if (timeoutMs !== undefined) s.timeoutMs = timeoutMs;
    if (memoryMb !== undefined) s.memoryMb = memoryMb;
    if (outputBytes !== undefined) s.outputBytes = outputBytes;
    const iso = sandbox.isolation;
    if ((ISOLATION_MODES as readonly unknown[]).includes(iso)) s.isolation = iso as IsolationMode;
    else if (iso === 'process') {
      // The old name of a mode that isolated nothing; reading it as `none` would run code unisolated unasked.
      warn(
        "settings: 'sandbox.isolation' 'process' is no longer a mode (it gave no isolation); using 'auto'. Choose 'none' to run unisolated on purpose",
      );
      s.isolation = 'auto';
    } else if (iso !== undefined) {
      const modes = ISOLATION_MODES.map((m) => `'${m}'`);
      warn(`settings: 'sandbox.isolation' must be ${modes.slice(0, -1).join(', ')} or ${modes.at(-1)}; ignored`);
    }
    out.sandbox = s;
  }
  const python = str(obj(o.python, 'python')?.path, 'python.path');
  if (python) out.python = { path: python };
  const threshold = num(obj(o.scoring, 'scoring')?.threshold, 'scoring.threshold');
  if (threshold !== undefined) out.scoring = { threshold };
  const judge = obj(o.judge, 'judge');
  const localModel = str(judge?.localModel, 'judge.localModel');
  const judgeDevice = str(judge?.device, 'judge.device');
  if (localModel || judgeDevice) out.judge = { ...(localModel ? { localModel } : {}), ...(judgeDevice ? { device: judgeDevice } : {}) };
  const probeFile = str(obj(o.probe, 'probe')?.file, 'probe.file');
  if (probeFile) out.probe = { file: probeFile };
  const reviewer = str(o.reviewer, 'reviewer');
  if (reviewer) out.reviewer = reviewer;
  if (typeof o.workspaceTrusted === 'boolean') out.workspaceTrusted = o.workspaceTrusted;
  const openPath = str(o.openPath, 'openPath');
  if (openPath) out.openPath = openPath;
  for (const k of ['openWorkspace', 'analyseOnOpen', 'clientCommands'] as const) {
    if (typeof o[k] === 'boolean') out[k] = o[k];
    else if (o[k] !== undefined) warn(`settings: '${k}' must be a boolean; ignored`);
  }
  return out;
}

/** Later settings win field by field (a didChangeConfiguration may send only what changed). */
export function mergeSettings(a: LoopholeSettings, b: LoopholeSettings): LoopholeSettings {
  return {
    ...a,
    ...b,
    ...(a.sandbox || b.sandbox ? { sandbox: { ...a.sandbox, ...b.sandbox } } : {}),
  };
}

export function reviewerOf(s: LoopholeSettings): string {
  if (s.reviewer) return s.reviewer;
  try {
    return userInfo().username || 'reviewer';
  } catch {
    return 'reviewer';
  }
}

/**
 * The pipeline options for one analysis. Execution needs both the request's consent and the client's
 * opt-in (`workspaceTrusted: true`): a client that says nothing about trust, as generic LSP clients do,
 * gets static analysis only, and untrusted code never runs because a request forgot `execute: false`.
 */
export function analyzeOptions(
  s: LoopholeSettings,
  req: { force?: boolean; execute?: boolean; coverage?: boolean },
): { options: AnalyzeOptions; executed: boolean } {
  const executed = s.workspaceTrusted === true && req.execute !== false;
  const options: AnalyzeOptions = { execute: executed, coverage: executed && req.coverage !== false };
  if (req.force) options.force = true;
  if (s.python?.path) options.python = s.python.path;
  if (s.scoring?.threshold !== undefined) options.threshold = s.scoring.threshold;
  if (s.sandbox) options.limits = sandboxLimits(s.sandbox);
  return { options, executed };
}

function sandboxLimits(s: NonNullable<LoopholeSettings['sandbox']>): Partial<SandboxLimits> {
  return {
    ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
    ...(s.memoryMb !== undefined ? { memoryMb: s.memoryMb } : {}),
    ...(s.outputBytes !== undefined ? { outputBytes: s.outputBytes } : {}),
    ...(s.isolation !== undefined ? { isolation: s.isolation } : {}),
  };
}
