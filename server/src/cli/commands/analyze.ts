import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { ISOLATION_MODES, type SettingKey, settingRange } from '../../../../contract/settings';
import { num, oneOf, parse } from '../args';
import { analyzeStore, openReviewSet } from '../../pipeline/analyze';
import { defaultScorers } from '../../scoring/defaults';
import { writeHtmlReport } from '../../report/html';
import { collectResults, formatTable } from '../../report/results';

const FORMATS = ['auto', 'loophole', 'mbpp', 'chat', 'inspect', 'stdio'] as const;
/** The editor's bounds for the same knob (`contract/settings.ts`). */
const bounds = (key: SettingKey): [number, number] => {
  const { min, max } = settingRange(key);
  return [min, max];
};

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'import a review set, analyse every candidate, store and print the results',
  usage: `Usage: loophole analyze <file-or-folder> [options]

Imports the review set (auto-detected format), runs static analysis, sandboxed execution, differential
coverage, the reasoning monitor and the scorers on every candidate, and stores the results in
.loophole/loophole.db beside the data. Re-runs only analyse what changed.

Options:
  --format F          auto|loophole|mbpp|chat|inspect|stdio (default auto)
  --json              print the results as JSON on stdout
  --out DIR           also write results.json and report.html into DIR
  --no-execute        static analysis only: never run candidate code
  --force             re-analyse unchanged candidates
  --threshold P       hack decision threshold on the combined probability (default 0.5)
  --workers N         sandbox workers (default: one per core)
  --timeout-ms N      per-test time limit (default 5000)
  --memory-mb N       per-test memory cap (default 512)
  --isolation I       auto|bwrap|namespaces|none (default auto: bubblewrap, else namespaces,
                      else static-only; none runs candidate code unisolated and warns)
  --python PATH       the Python that runs candidates (default python3)
  --no-classifier     skip the ONNX classifier
  --probe FILE        an activation probe (\`loophole probe train\`) between the classifier and the judge
  --local-judge MODEL the LLM judge on a model the worker loads (HF folder, .gguf, builtin:smollm2-135m)

The LLM judge runs on the uncertain candidates when an endpoint is configured:
LOOPHOLE_JUDGE_URL, LOOPHOLE_JUDGE_MODEL, LOOPHOLE_JUDGE_API_KEY (see \`loophole judge --help\`).
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      format: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      'no-execute': { type: 'boolean' },
      force: { type: 'boolean' },
      threshold: { type: 'string' },
      workers: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'memory-mb': { type: 'string' },
      isolation: { type: 'string' },
      python: { type: 'string' },
      'no-classifier': { type: 'boolean' },
      probe: { type: 'string' },
      'local-judge': { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('expects one file or folder (see --help)');
    const target = path.resolve(ctx.cwd, positionals[0]!);
    if (!existsSync(target)) throw new UsageError(`${positionals[0]}: no such file or folder`);
    const format = oneOf(values.format, '--format', FORMATS) ?? 'auto';
    const threshold = num(values.threshold, '--threshold', ...bounds('loophole.scoring.threshold'));
    const workers = num(values.workers, '--workers', 1, 256);
    const timeoutMs = num(values['timeout-ms'], '--timeout-ms', ...bounds('loophole.sandbox.timeoutMs'));
    const memoryMb = num(values['memory-mb'], '--memory-mb', ...bounds('loophole.sandbox.memoryMb'));
    const isolation = oneOf(values.isolation, '--isolation', ISOLATION_MODES);

    const bar = ctx.progress('import');
    const opened = await openReviewSet(target, {
      format,
      signal: ctx.signal,
      onProgress: (read, total) => (bar.total(total), bar.update(read)),
    });
    bar.done(`${opened.problems} problems, ${opened.candidates} candidates`);
    for (const s of opened.skipped) ctx.stderr.write(`skipped ${s.file}: ${s.reason}\n`);
    for (const issue of opened.issues) ctx.stderr.write(`${issue.file}:${issue.line}: ${issue.message}\n`);
    if (opened.issues.length)
      ctx.stderr.write(
        `${opened.issues.length} item${opened.issues.length === 1 ? '' : 's'} could not be read (listed above); the rest was loaded\n`,
      );
    const store = opened.store;
    try {
      const chain = store.verifyVerdicts();
      if (!chain.ok) {
        ctx.stderr.write(`WARNING: the stored verdicts were changed outside Loophole:\n${chain.problems.map((p) => `  ${p}\n`).join('')}`);
      }
      if (opened.candidates === 0 && store.candidateCount() === 0) {
        ctx.stderr.write('loophole analyze: no candidates found\n');
        return 2;
      }
      const scorerSet = await defaultScorers({
        dbPath: store.dbPath,
        judgeCache: store.judgeCache(),
        classifier: !values['no-classifier'],
        ...(values.probe ? { probe: path.resolve(ctx.cwd, values.probe) } : {}),
        ...(values['local-judge'] ? { judge: { localModel: values['local-judge'] } } : {}),
        log: (m) => ctx.stderr.write(`${m}\n`),
      });
      const bar2 = ctx.progress('analyze', store.candidateCount());
      const summary = await analyzeStore(store, {
        execute: !values['no-execute'],
        force: Boolean(values.force),
        signal: ctx.signal,
        scorers: scorerSet.scorers,
        ...(threshold !== undefined ? { threshold } : {}),
        ...(workers !== undefined ? { workers } : {}),
        ...(values.python ? { python: values.python } : {}),
        limits: {
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          ...(memoryMb !== undefined ? { memoryMb } : {}),
          ...(isolation ? { isolation } : {}),
        },
        onProgress: (p) => (bar2.total(p.total), bar2.update(p.done, p.message)),
      }).finally(() => scorerSet.dispose());
      bar2.done(
        `${summary.analysed} analysed${summary.stale ? ` (${summary.stale} stale: made by an older analyzer version)` : ''}, ${summary.skipped} unchanged, ${summary.hacks} hacks, ${summary.errors} errors`,
      );
      if (summary.staticOnlyReason) ctx.stderr.write(`STATIC-ONLY: candidate code was not executed: ${summary.staticOnlyReason}\n`);
      else if (summary.isolation === 'none') ctx.stderr.write('WARNING: candidate code ran WITHOUT isolation (--isolation none)\n');
      else if (summary.isolation && !values['no-execute']) ctx.stderr.write(`sandbox: ${summary.isolation}\n`);
      for (const w of summary.warnings) ctx.stderr.write(`warning: ${w}\n`);
      for (const m of summary.errorMessages) ctx.stderr.write(`error: ${m}\n`);
      if (summary.notExecuted) {
        const langs = Object.entries(summary.notExecuted);
        const n = langs.reduce((a, [, k]) => a + k, 0);
        ctx.stderr.write(
          `${n} candidate${n === 1 ? ' is' : 's are'} not Python (${langs.map(([l, k]) => `${l} ${k}`).join(', ')}): execution is unsupported for ${n === 1 ? 'it' : 'them'}; ${n === 1 ? 'its' : 'their'} comments, literals and reasoning were analysed\n`,
        );
      }
      const results = collectResults(store);
      if (values.json) ctx.stdout.write(JSON.stringify(results, null, 2) + '\n');
      else ctx.stdout.write(formatTable(results) + '\n');
      if (values.out) {
        const out = path.resolve(ctx.cwd, values.out);
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
        await writeHtmlReport(store, path.join(out, 'report.html'));
        ctx.stderr.write(`wrote ${path.join(out, 'results.json')} and ${path.join(out, 'report.html')}\n`);
      }
      return summary.errors > 0 ? 1 : 0;
    } finally {
      store.close();
    }
  },
};
