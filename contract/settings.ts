/**
 * Every `loophole.*` setting once: its type, bounds, enum and default. The extension manifest's
 * `contributes.configuration` must state exactly these (a unit test compares them; the manifest adds
 * only the words: descriptions, scopes, examples); the server's settings reader and the CLI's options
 * take their bounds and enums from here, so a knob cannot accept one range in the editor and another on
 * the command line.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { PRESET_NAMES } from './jobs';

/** How candidate code is isolated (`none`: not at all, chosen on purpose). */
export const ISOLATION_MODES = ['auto', 'bwrap', 'namespaces', 'none'] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

/** A string setting restricted to `values`, stated as the manifest states it (`type` beside `enum`). */
const OneOf = <const T extends readonly string[]>(values: T, fallback: T[number]) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], default: fallback });

export const SETTINGS = {
  'loophole.reviewSet.path': Type.String({ default: '' }),
  'loophole.review.contextBeside': Type.Boolean({ default: true }),
  'loophole.analysis.onOpen': Type.Boolean({ default: true }),
  'loophole.analysis.execute': Type.Boolean({ default: true }),
  /** Per test run, milliseconds: at least 0.1 s, at most 10 minutes. */
  'loophole.sandbox.timeoutMs': Type.Number({ default: 5000, minimum: 100, maximum: 600_000 }),
  /** Address-space cap per sandbox worker, MiB. */
  'loophole.sandbox.memoryMb': Type.Number({ default: 512, minimum: 32, maximum: 1_048_576 }),
  /** Captured stdout+stderr per run, bytes. */
  'loophole.sandbox.outputBytes': Type.Number({ default: 65_536, minimum: 1024, maximum: 1_073_741_824 }),
  'loophole.sandbox.isolation': OneOf(ISOLATION_MODES, 'auto'),
  'loophole.python.path': Type.String({ default: 'python3' }),
  'loophole.scoring.threshold': Type.Number({ default: 0.5, minimum: 0, maximum: 1 }),
  'loophole.judge.localModel': Type.String({ default: '' }),
  'loophole.judge.device': Type.String({ default: 'auto' }),
  'loophole.probe.file': Type.String({ default: '' }),
  'loophole.reviewer': Type.String({ default: '' }),
  'loophole.trace.server': OneOf(['off', 'messages', 'verbose'], 'off'),
  'loophole.jobs.preset': OneOf(PRESET_NAMES, 'conservative'),
  'loophole.jobs.model': Type.String({ default: '' }),
  'loophole.jobs.trainVariant': Type.String({ default: 'neutral' }),
  'loophole.jobs.device': Type.String({ default: '' }),
  'loophole.jobs.maxSteps': Type.Number({ default: 0, minimum: 0 }),
  'loophole.jobs.evalSamples': Type.Number({ default: 0, minimum: 0 }),
  'loophole.jobs.evalMaxTokens': Type.Number({ default: 0, minimum: 0 }),
  'loophole.jobs.candidates': OneOf(['generate', 'existing'], 'generate'),
  'loophole.jobs.generateSamples': Type.Number({ default: 0, minimum: 0 }),
  'loophole.jobs.generateMaxTokens': Type.Number({ default: 0, minimum: 0 }),
} as const satisfies Record<`loophole.${string}`, TSchema>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = Static<(typeof SETTINGS)[K]>;

/** A setting's default, as the manifest declares it. */
export function settingDefault<K extends SettingKey>(key: K): SettingValue<K> {
  return (SETTINGS[key] as unknown as { default: SettingValue<K> }).default;
}

/** A numeric setting's inclusive bounds. */
export function settingRange(key: SettingKey): { readonly min: number; readonly max: number } {
  const s = SETTINGS[key] as { minimum?: number; maximum?: number };
  return { min: s.minimum ?? -Infinity, max: s.maximum ?? Infinity };
}
