/**
 * One lock per device for everything that computes on it: training, generation and evaluation jobs
 * (the job queue) and the local monitors (the judge's and the probe's serving workers, activation
 * extraction for a probe). Whoever holds a device computes; everyone else waits for it.
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
 * A GPU is also locked across processes, so the editor's language server and a `loophole train` in a
 * terminal take turns on it instead of both filling its memory: the process whose owners hold a GPU
 * keeps a lock folder (`<tmp>/loophole-devices/cuda-0.lock`, or under `LOOPHOLE_DEVICE_LOCKS`) with
 * its pid in it. Another process waits while that process lives (polling every POLL_MS, and firing
 * `onDeviceFree` when it is gone); a lock left by a process that died is taken over. The CPU is not
 * locked across processes: the operating system shares it.
 *
 * Device names are normalised (`cuda` is `cuda:0`); `auto` is not a device: resolve it first
 * (`resolveDevice`), since two monitors on `auto` and a job on `cuda:0` share one GPU.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runWorker, type WorkerRunOptions } from './worker';

interface DeviceState {
  owner: object | undefined;
  active: number;
  readonly waiting: { owner: object; wake: () => void }[];
  /** Settles once this process holds the device's lock across processes (at once for the CPU). */
  locked: Promise<void>;
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
  if (!st) devices.set(key, (st = { owner: undefined, active: 0, waiting: [], locked: Promise.resolve() }));
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
  releaseAcrossProcesses(key);
  for (const l of [...freeListeners]) l(key);
}

/** Runs `task` while `owner` holds `device` (waiting for it first when another owner holds it). */
export async function holdDevice<T>(device: string, owner: object, task: () => Promise<T>): Promise<T> {
  const key = deviceKey(device);
  const state = stateOf(key);
  if (state.owner !== undefined && state.owner !== owner) await new Promise<void>((wake) => state.waiting.push({ owner, wake }));
  else if (state.owner === undefined) state.locked = lockAcrossProcesses(key);
  state.owner = owner;
  state.active++;
  try {
    await state.locked;
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
  if (!tryLockAcrossProcesses(key)) {
    watchOtherProcess(key);
    return undefined;
  }
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

/** Whether someone holds `device` or waits for it, in this process or (a GPU) in another. */
export function deviceBusy(device: string): boolean {
  const key = deviceKey(device);
  const st = devices.get(key);
  if (st !== undefined && (st.owner !== undefined || st.waiting.length > 0)) return true;
  return heldByOtherProcess(key);
}

/** Whether an owner other than `owner` holds `device` or waits for it (so `owner` would wait). */
export function deviceHeldByOther(device: string, owner: object): boolean {
  const key = deviceKey(device);
  const st = devices.get(key);
  if (st !== undefined) return (st.owner !== undefined && st.owner !== owner) || (st.owner === undefined && st.waiting.length > 0);
  return heldByOtherProcess(key);
}

/** The process holding a GPU's lock across processes, when it is another live one. */
export interface DeviceHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Who holds `device` in another process (a GPU only), or undefined. */
export function otherProcessHolder(device: string): DeviceHolder | undefined {
  const key = deviceKey(device);
  if (!lockedAcrossProcesses(key)) return undefined;
  const h = holderOf(key);
  return h && !isMe(h) ? h : undefined;
}

// ---- across processes ----

/** How often a process waiting for another's GPU looks again. */
const POLL_MS = 500;
/** A lock folder without its owner file for this long was left by a crash while being made. */
const HALF_MADE_MS = 10_000;

interface LockOwner extends DeviceHolder {
  /** The process's start time (Linux `/proc/<pid>/stat`), so a reused pid is not taken for it. */
  readonly started?: string;
}

const lockedAcrossProcesses = (key: string) => key.startsWith('cuda');
const lockRoot = () => process.env.LOOPHOLE_DEVICE_LOCKS || path.join(os.tmpdir(), 'loophole-devices');
const lockPath = (key: string) => path.join(lockRoot(), `${key.replace(/[^a-z0-9]+/g, '-')}.lock`);

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command's closing parenthesis start at field 3; the start time is field 22
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const isMe = (o: DeviceHolder) => o.pid === process.pid && o.host === os.hostname();

function alive(o: LockOwner): boolean {
  if (o.host !== os.hostname()) return true; // a lock folder shared with another machine: trust it
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false; // EPERM: alive, another user's
  }
  const now = processStart(o.pid);
  return !(o.started && now && now !== o.started);
}

/** The lock's owner; a lock whose process is gone (or that a crash left half-made) is removed. */
function holderOf(key: string): LockOwner | undefined {
  const p = lockPath(key);
  let owner: LockOwner;
  try {
    owner = JSON.parse(readFileSync(path.join(p, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    try {
      if (Date.now() - statSync(p).mtimeMs < HALF_MADE_MS) return { pid: -1, host: '', since: '' }; // being made
      rmSync(p, { recursive: true, force: true });
    } catch {
      // no lock at all
    }
    return undefined;
  }
  if (isMe(owner) || alive(owner)) return owner;
  rmSync(p, { recursive: true, force: true });
  return undefined;
}

function heldByOtherProcess(key: string): boolean {
  if (!lockedAcrossProcesses(key)) return false;
  const h = holderOf(key);
  if (!h || isMe(h)) return false;
  watchOtherProcess(key);
  return true;
}

/** Takes the device's lock across processes if no other live process holds it. */
function tryLockAcrossProcesses(key: string): boolean {
  if (!lockedAcrossProcesses(key)) return true;
  const root = lockRoot();
  if (!existsSync(root)) {
    mkdirSync(root, { recursive: true });
    try {
      // shared by every user of the machine, like /tmp: each removes only what it made
      chmodSync(root, 0o1777);
    } catch {
      // made by another user, or a file system without modes
    }
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      mkdirSync(lockPath(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const h = holderOf(key);
      if (h) return isMe(h);
      continue; // a stale lock was removed: try again
    }
    const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), ...startOf() };
    writeFileSync(path.join(lockPath(key), 'owner.json'), JSON.stringify(me));
    held.add(key);
    return true;
  }
  return false;
}

function startOf(): { started?: string } {
  const started = processStart(process.pid);
  return started ? { started } : {};
}

/** Waits (polling) until this process holds the device's lock across processes. */
async function lockAcrossProcesses(key: string): Promise<void> {
  while (!tryLockAcrossProcesses(key)) await new Promise((r) => setTimeout(r, POLL_MS));
}

/** The GPU lock folders this process holds (removed when the device is free, and at exit). */
const held = new Set<string>();

function releaseAcrossProcesses(key: string): void {
  if (!held.delete(key)) return;
  const h = holderOf(key);
  if (h && isMe(h)) rmSync(lockPath(key), { recursive: true, force: true });
}

process.once('exit', () => {
  for (const key of [...held]) releaseAcrossProcesses(key);
});

const watching = new Map<string, ReturnType<typeof setInterval>>();

/** Polls a GPU another process holds and announces it free (to `onDeviceFree` listeners) once it is. */
function watchOtherProcess(key: string): void {
  if (watching.has(key) || freeListeners.size === 0) return;
  const timer = setInterval(() => {
    const h = holderOf(key);
    if (h && !isMe(h)) return;
    clearInterval(timer);
    watching.delete(key);
    if (!devices.has(key)) for (const l of [...freeListeners]) l(key);
  }, POLL_MS);
  timer.unref();
  watching.set(key, timer);
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
