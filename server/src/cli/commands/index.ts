/** Every `loophole` sub-command, in the order `--help` lists them. */
import type { CliCommand } from '../command';
import { analyzeCommand } from './analyze';
import { reportCommand } from './report';
import { curateCommand } from './curate';
import { recontextualizeCommand } from './recontextualize';
import { exportCommand } from './export';

export const COMMANDS: readonly CliCommand[] = [analyzeCommand, reportCommand, curateCommand, recontextualizeCommand, exportCommand];
