/**
 * Which verdict Alt+Z undoes, and the order the note's verdict pick offers, as pure functions (no
 * `vscode`). The window keeps the candidates it gave verdicts to, most recent last, each once.
 */
import { VERDICT_LABELS, type VerdictLabel } from '../../contract/domain';

/** How many recent verdicts the window remembers for undo. */
export const UndoDepth = 100;

/** `id` is now the most recent verdict (moved to the end if it was given one before). */
export function recordGiven(given: readonly string[], id: string, depth = UndoDepth): string[] {
  return [...given.filter((x) => x !== id), id].slice(-depth);
}

/** The candidate whose verdict an undo without a target retracts: the most recent one. */
export function nextUndo(given: readonly string[]): string | undefined {
  return given[given.length - 1];
}

/** After `id`'s verdict was undone, it is no longer an undo target (an older verdict may still stand). */
export function forgetGiven(given: readonly string[], id: string): string[] {
  return given.filter((x) => x !== id);
}

/** The labels of the note's verdict pick: the current one first (Enter keeps it), then the others. */
export function noteLabelOrder(current: VerdictLabel | undefined): VerdictLabel[] {
  const all: VerdictLabel[] = [...VERDICT_LABELS];
  return current ? [current, ...all.filter((l) => l !== current)] : all;
}
