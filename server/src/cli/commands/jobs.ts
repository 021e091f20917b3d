import { defineCommand, UsageError, type CliCommand } from '../command';
import { parse, REVIEW_SET_FLAGS, reviewSetOption } from '../args';
import { runWorker } from '../../jobs/worker';
import type { JobState } from '../../service';
import { JOB_STATES } from '../../../../contract/jobs';
import { describeJob, openStoreFor, queueFor, report, runJob } from './jobsCli';

const STATES: readonly JobState[] = JOB_STATES;

export const jobsCommand: CliCommand = defineCommand({
  name: 'jobs',
  summary: "list, inspect, cancel and resume generate/train/eval jobs; list the worker's devices",
  usage: `Usage: loophole jobs [list] [--review-set DATA] [--state STATE]
       loophole jobs show|logs|metrics ID [--review-set DATA]
       loophole jobs cancel ID [--review-set DATA]
       loophole jobs resume ID [--review-set DATA]     (runs it here until it ends)
       loophole jobs devices [--python PATH]

DATA is the review set whose store holds the jobs (default: the working directory). A job left
running by a server that stopped shows as interrupted; resume continues it from its last checkpoint.
\`cancel\` works on a job another process runs: it stops at its next step and saves.
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      ...REVIEW_SET_FLAGS,
      state: { type: 'string' },
      python: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [sub = 'list', id] = positionals;
    if (sub === 'devices') {
      const r = await runWorker('probe', {}, values.python ? { python: values.python } : {}).done;
      if (values.json) ctx.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        for (const d of r.devices)
          ctx.stdout.write(
            `${d.id.padEnd(8)} ${d.name}${d.memory_bytes ? ` ${(d.memory_bytes / 2 ** 30).toFixed(1)} GiB` : ''}${d.bf16 ? ' bf16' : ''}\n`,
          );
        ctx.stdout.write(
          `packages: ${Object.entries(r.packages)
            .map(([k, v]) => `${k} ${v ?? 'missing'}`)
            .join(', ')}\n`,
        );
      }
      return r.missing.length ? 1 : 0;
    }
    const store = await openStoreFor(reviewSetOption(values, 'jobs', ctx), ctx);
    try {
      const queue = queueFor(store, values.python);
      const need = () => {
        if (!id) throw new UsageError(`jobs ${sub} needs a job id`);
        const j = queue.jobs.get(id);
        if (!j) throw new UsageError(`no job ${id} in ${store.dbPath}`);
        return j;
      };
      switch (sub) {
        case 'list': {
          const state = values.state as JobState | undefined;
          if (state && !STATES.includes(state)) throw new UsageError(`--state expects one of ${STATES.join(', ')}`);
          const jobs = queue.jobs.list(state ? { state } : {});
          if (values.json) ctx.stdout.write(JSON.stringify(jobs, null, 2) + '\n');
          else for (const j of jobs) ctx.stdout.write(describeJob(j) + '\n');
          return 0;
        }
        case 'show':
          ctx.stdout.write(JSON.stringify({ ...need(), artifacts: queue.jobs.artifacts(id!) }, null, 2) + '\n');
          return 0;
        case 'logs':
          need();
          for (const l of queue.jobs.logs(id!)) ctx.stdout.write(`${l.at} ${l.source.padEnd(6)} ${l.level.padEnd(5)} ${l.message}\n`);
          return 0;
        case 'metrics':
          need();
          ctx.stdout.write('step\tloss\tlr\ttokens_per_s\n');
          for (const m of queue.jobs.metrics(id!)) ctx.stdout.write(`${m.step}\t${m.loss ?? 'nan'}\t${m.lr}\t${m.tokensPerS.toFixed(1)}\n`);
          return 0;
        case 'cancel':
          need();
          queue.cancel(id!);
          ctx.stdout.write(`${describeJob(queue.jobs.get(id!)!)}\n`);
          return 0;
        case 'resume': {
          need();
          const job = queue.resume(id!);
          return report(await runJob(queue, job, ctx, job.kind), ctx, values.json === true);
        }
        default:
          throw new UsageError(`unknown jobs sub-command '${sub}' (list, show, logs, metrics, cancel, resume, devices)`);
      }
    } finally {
      store.close();
    }
  },
});
