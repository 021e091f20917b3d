/** A progress bar on stderr: redrawn in place on a terminal, a few plain lines otherwise (CI logs). */
import type { Writable } from 'node:stream';

export interface ProgressBar {
  /** Set the total when it becomes known. */
  total(n: number): void;
  /** Advance to `done` (absolute), with an optional short message. */
  update(done: number, message?: string): void;
  /** Finish with a final line. */
  done(message?: string): void;
}

export function createProgressBar(out: Writable & { isTTY?: boolean; columns?: number }, label: string, total = 0): ProgressBar {
  const tty = Boolean(out.isTTY);
  const started = Date.now();
  let n = total;
  let last = 0;
  let lastPlainPct = -1;
  let finished = false;

  const render = (done: number, message?: string): string => {
    const pct = n > 0 ? Math.min(1, done / n) : 0;
    const width = 24;
    const filled = Math.round(pct * width);
    const bar = n > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(pct * 100)).padStart(3)}%` : '';
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const count = n > 0 ? `${done}/${n}` : `${done}`;
    return `${label} ${bar} ${count} ${rate.toFixed(rate < 10 ? 1 : 0)}/s${message ? ' ' + message : ''}`;
  };

  return {
    total(t: number) {
      n = t;
    },
    update(done: number, message?: string) {
      if (finished) return;
      const now = Date.now();
      if (tty) {
        if (now - last < 80 && done < n) return;
        last = now;
        const cols = out.columns ?? 100;
        out.write(
          '\r' +
            render(done, message)
              .slice(0, cols - 1)
              .padEnd(cols - 1),
        );
      } else if (n > 0) {
        const pct = Math.floor((done / n) * 10);
        if (pct !== lastPlainPct) {
          lastPlainPct = pct;
          out.write(render(done, message) + '\n');
        }
      }
    },
    done(message?: string) {
      if (finished) return;
      finished = true;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      out.write(`${tty ? '\r\x1b[K' : ''}${label} done in ${secs}s${message ? ': ' + message : ''}\n`);
    },
  };
}
