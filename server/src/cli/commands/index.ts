/** Every `loophole` sub-command, in the order `--help` lists them. */
import type { CliCommand } from '../command';
import { analyzeCommand } from './analyze';
import { reportCommand } from './report';
import { curateCommand } from './curate';
import { recontextualizeCommand } from './recontextualize';
import { exportCommand } from './export';
import { judgeCommand } from './judge';
import { agreementCommand } from './agreement';
import { generateCommand } from './generate';
import { trainCommand } from './train';
import { evalCommand } from './eval';
import { jobsCommand } from './jobs';
import { probeCommand } from './probe';
import { verdictsCommand } from './verdicts';

export const COMMANDS: readonly CliCommand[] = [
  analyzeCommand,
  reportCommand,
  curateCommand,
  recontextualizeCommand,
  exportCommand,
  judgeCommand,
  agreementCommand,
  generateCommand,
  trainCommand,
  evalCommand,
  jobsCommand,
  probeCommand,
  verdictsCommand,
];
