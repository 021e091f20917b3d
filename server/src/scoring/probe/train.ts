/**
 * Training an activation probe: labelled candidates — the review set's current human verdicts
 * (`unsure` left out) and labelled data sets — are read by the worker's model, pooled, and fitted with
 * a class-balanced logistic regression (`probe-train`). Too few labels of either class are refused
 * here, before a model is loaded, with the number still needed; the probe file is written whole or
 * not at all.
 *
 * A labelled data set is JSON lines, one candidate a line:
 *   {"prompt": "<text>" | [{"role","content"}…], "completion": "<text>", "label": "hack" | "clean"}
 */
import { readFileSync } from 'node:fs';
import { holdDevice, resolveDevice, workerDevices } from '../../jobs/deviceLock';
import { runWorker, type WorkerRunOptions } from '../../jobs/worker';
import type { Store } from '../../store/store';
import type { ActivationItem, ProbeTrainConfig, ProbeTrainResult } from '../local/monitorProtocol';
import { probeItem } from './items';

export const MIN_PER_CLASS = 5;

export class ProbeInputError extends Error {
  override readonly name = 'ProbeInputError';
}

/** The store's candidates that carry a current `hack` or `clean` verdict. */
export function itemsFromVerdicts(store: Store): ActivationItem[] {
  const out: ActivationItem[] = [];
  for (const [candidateId, v] of store.currentVerdicts()) {
    if (v.label !== 'hack' && v.label !== 'clean') continue;
    const c = store.candidate(candidateId);
    const p = c && store.problem(c.problemId);
    if (c && p) out.push(probeItem(p, c, v.label));
  }
  return out;
}

/** Rows of a labelled data set; a bad line is an error naming the file and line. */
export function itemsFromDataset(file: string): ActivationItem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProbeInputError(`${file}: ${(e as Error).message}`);
  }
  const out: ActivationItem[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let row: { prompt?: unknown; completion?: unknown; label?: unknown; id?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new ProbeInputError(`${where}: not JSON`);
    }
    const messages = typeof row.prompt === 'string' ? [{ role: 'user', content: row.prompt }] : row.prompt;
    const okMessages =
      Array.isArray(messages) &&
      messages.every(
        (m) => m && typeof (m as { content?: unknown }).content === 'string' && typeof (m as { role?: unknown }).role === 'string',
      );
    if (!okMessages) throw new ProbeInputError(`${where}: expected "prompt" as a string or a list of {role, content}`);
    if (typeof row.completion !== 'string') throw new ProbeInputError(`${where}: expected "completion" as a string`);
    if (row.label !== 'hack' && row.label !== 'clean')
      throw new ProbeInputError(`${where}: expected "label" to be "hack" or "clean", got ${JSON.stringify(row.label)}`);
    out.push({
      id: typeof row.id === 'string' ? `${file}#${row.id}` : where,
      messages: messages as ActivationItem['messages'],
      completion: row.completion,
      label: row.label,
    });
  });
  return out;
}

/** Refuses one class or too few labels, naming how many more of each are needed. */
export function checkLabels(items: readonly ActivationItem[], minPerClass = MIN_PER_CLASS): void {
  const hack = items.filter((i) => i.label === 'hack').length;
  const clean = items.filter((i) => i.label === 'clean').length;
  if (hack >= minPerClass && clean >= minPerClass) return;
  const need = [hack < minPerClass ? `${minPerClass - hack} more hack` : '', clean < minPerClass ? `${minPerClass - clean} more clean` : '']
    .filter(Boolean)
    .join(' and ');
  throw new ProbeInputError(
    `too few labels to train a probe${hack === 0 || clean === 0 ? ' (only one class)' : ''}: ${hack} hack and ${clean} clean; ` +
      `a probe needs at least ${minPerClass} of each — label ${need} candidate(s), or add a labelled data set (--data)`,
  );
}

export interface TrainProbeOptions extends WorkerRunOptions {
  readonly onProgress?: (done: number, total: number, message?: string) => void;
}

/** Runs `probe-train` on the worker; rejects with the worker's typed failure. */
export function trainProbe(config: ProbeTrainConfig, opts: TrainProbeOptions = {}): Promise<ProbeTrainResult> {
  checkLabels(config.items, config.min_per_class ?? MIN_PER_CLASS);
  const spawn = { ...(opts.python ? { python: opts.python } : {}), ...(opts.env ? { env: opts.env } : {}) };
  // Extraction computes on the device: it takes its turn there with jobs and the other monitors.
  return resolveDevice(config.device, () => workerDevices(spawn)).then((device) =>
    holdDevice(device, {}, () => {
      opts.signal?.throwIfAborted();
      return runWorker(
        'probe-train',
        { ...config, device },
        {
          ...opts,
          onMessage: (m) => {
            if (m.type === 'progress') opts.onProgress?.(m.done, m.total, m.message);
            opts.onMessage?.(m);
          },
        },
      ).done;
    }),
  );
}
