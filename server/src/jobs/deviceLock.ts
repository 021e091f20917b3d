/**
 * One lock per device for everything in this process that computes on it: training, generation and
 * evaluation jobs (the job queue) and the local monitors (the judge's and the probe's serving workers,
 * activation extraction for a probe). Whoever holds a device computes; everyone else waits for it.
 *
 * - `holdDevice(device, owner, task)` waits for the device, runs `task`, releases. Tasks of the owner
 *   that already holds the device run at once, so one serving worker's concurrent requests still meet
 *   in one batch; another owner waits until they are all done. Waiters are served in arrival order.
 * - `tryTakeDevice(device, owner)` takes a free device without waiting (the job queue's scheduling:
 *   a job whose device is held stays queued) and returns its release, or undefined. It never jumps
 *   ahead of a waiter.
 * - `onDeviceFree(listener)` is called whenever a device becomes free with nobody waiting, so the
 *   queue schedules the jobs that were waiting for it.
 *
 * Device names are normalised (`cuda` is `cuda:0`); `auto` is not a device: resolve it first
 * (`resolveDevice`), since two monitors on `auto` and a job on `cuda:0` share one GPU.
 */
import { runWorker, type WorkerRunOptions } from './worker';

interface DeviceState {
  owner: object | undefined;
  active: number;
  readonly waiting: { owner: object; wake: () => void }[];
}

const devices = new Map<string, DeviceState>();
const freeListeners = new Set<(device: string) => void>();

/** `cuda` → `cuda:0`; other names as they are. */
export function deviceKey(device: string): string {
  const d = device.trim().toLowerCase();
  return d === 'cuda' ? 'cuda:0' : d;
}

function stateOf(key: string): DeviceState {
  let st = devices.get(key);
  if (!st) devices.set(key, (st = { owner: undefined, active: 0, waiting: [] }));
  return st;
}

function release(key: string, state: DeviceState): void {
  if (--state.active > 0) return;
  state.owner = undefined;
  const next = state.waiting[0];
  if (next) {
    // Hand the device to the next owner and every waiter of that same owner.
    state.owner = next.owner;
    const same = state.waiting.filter((w) => w.owner === next.owner);
    state.waiting.splice(0, state.waiting.length, ...state.waiting.filter((w) => w.owner !== next.owner));
    for (const w of same) w.wake();
    return;
  }
  devices.delete(key);
  for (const l of [...freeListeners]) l(key);
}

/** Runs `task` while `owner` holds `device` (waiting for it first when another owner holds it). */
export async function holdDevice<T>(device: string, owner: object, task: () => Promise<T>): Promise<T> {
  const key = deviceKey(device);
  const state = stateOf(key);
  if (state.owner !== undefined && state.owner !== owner) await new Promise<void>((wake) => state.waiting.push({ owner, wake }));
  state.owner = owner;
  state.active++;
  try {
    return await task();
  } finally {
    release(key, state);
  }
}

/** Takes `device` for `owner` if nobody holds or waits for it; returns the release (idempotent). */
export function tryTakeDevice(device: string, owner: object): (() => void) | undefined {
  const key = deviceKey(device);
  const state = devices.get(key);
  if (state && (state.owner !== undefined || state.waiting.length > 0)) return undefined;
  const st = stateOf(key);
  st.owner = owner;
  st.active++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release(key, st);
  };
}

/** Whether someone holds `device` or waits for it. */
export function deviceBusy(device: string): boolean {
  const st = devices.get(deviceKey(device));
  return st !== undefined && (st.owner !== undefined || st.waiting.length > 0);
}

/** Whether an owner other than `owner` holds `device` or waits for it (so `owner` would wait). */
export function deviceHeldByOther(device: string, owner: object): boolean {
  const st = devices.get(deviceKey(device));
  return st !== undefined && ((st.owner !== undefined && st.owner !== owner) || (st.owner === undefined && st.waiting.length > 0));
}

/** Calls `listener(device)` whenever a device becomes free; returns the unsubscribe. */
export function onDeviceFree(listener: (device: string) => void): () => void {
  freeListeners.add(listener);
  return () => freeListeners.delete(listener);
}

let probed: Promise<string[]> | undefined;

/** The devices the worker sees (`cuda:N`…, `cpu`), probed once per process; `['cpu']` when it cannot say. */
export function workerDevices(opts: Omit<WorkerRunOptions, 'signal' | 'onMessage'> = {}): Promise<string[]> {
  probed ??= runWorker('probe', {}, opts).done.then(
    (r) => r.devices.map((d) => d.id),
    () => ['cpu'],
  );
  return probed;
}

/** A concrete device for a request: `auto` is the first GPU the worker sees, else the CPU (as the worker
 *  resolves it); `cuda` is `cuda:0`; anything else as given. */
export async function resolveDevice(requested: string | undefined, list: () => Promise<readonly string[]>): Promise<string> {
  const r = (requested ?? 'auto').trim().toLowerCase();
  if (r !== '' && r !== 'auto') return deviceKey(r);
  const all = await list();
  return all.find((d) => d.startsWith('cuda')) ?? 'cpu';
}
