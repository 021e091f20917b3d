/**
 * What a person reads for each of the worker's error kinds (`JobError.kind`), shared by the job panel
 * and the extension's notifications. `command` is set when there is something to copy and run (the pip
 * command for a missing package): callers offer a "Copy command" action for it.
 */
import type { JobError } from './jobs';

export interface JobErrorText {
  /** One sentence: what went wrong. */
  readonly title: string;
  /** What to do about it. */
  readonly advice: string;
  /** A shell command that fixes it, when there is one. */
  readonly command?: string;
}

export function describeJobError(e: JobError): JobErrorText {
  const command = commandIn(e.suggestion);
  switch (e.kind) {
    case 'missing_package':
      return {
        title: `The training worker is missing a Python package: ${e.message}`,
        advice: command
          ? "Install the worker's packages, then resume the job."
          : (e.suggestion ?? "Install the worker's packages (torch, transformers, peft), then resume the job."),
        ...(command ? { command } : {}),
      };
    case 'no_cuda':
      return {
        title: `No CUDA device is available: ${e.message}`,
        advice: 'Pick the CPU with "Loophole: Pick Job Device" (slow, fine for small models), or install a CUDA build of torch.',
      };
    case 'oom':
      return {
        title: `The device ran out of memory: ${e.message}`,
        advice:
          e.suggestion ??
          'Lower the batch size or the maximum length (or enable gradient checkpointing), then resume from the last checkpoint.',
      };
    case 'nan_loss':
      return {
        title: `The loss stopped being a number: ${e.message}`,
        advice: e.suggestion ?? 'Lower the learning rate (the conservative preset), then train again.',
      };
    case 'no_python':
      return {
        title: `The worker's Python could not start: ${e.message}`,
        advice: e.suggestion ?? 'Set LOOPHOLE_WORKER_PYTHON to an interpreter with torch installed.',
      };
    case 'disk_full':
      return { title: `The disk is full: ${e.message}`, advice: e.suggestion ?? 'Free some space, then resume the job.' };
    case 'endpoint':
      return { title: `The model endpoint failed: ${e.message}`, advice: e.suggestion ?? 'Check the endpoint URL and model name.' };
    default:
      return { title: e.message, advice: e.suggestion ?? 'See the job log for details.', ...(command ? { command } : {}) };
  }
}

/** The command a suggestion names: the requirements install when it offers one (everything the worker
 *  needs), else its first `pip install …`. E.g. `pip install torch   (or …: pip install -r FILE)`. */
export function commandIn(suggestion: string | undefined): string | undefined {
  if (!suggestion) return undefined;
  const all = /(?:\S*python\S*\s+-m\s+)?pip3?\s+install\s+-r\s+[^\s()]+/.exec(suggestion);
  if (all) return all[0];
  const one = /(?:\S*python\S*\s+-m\s+)?pip3?\s+install\s+[^()\n]+/.exec(suggestion);
  return one ? one[0].trim() : undefined;
}
