/** Every `loophole` sub-command, in the order `--help` lists them. */
import type { CliCommand } from '../command';
import { analyzeCommand } from './analyze';
import { reportCommand } from './report';

export const COMMANDS: readonly CliCommand[] = [analyzeCommand, reportCommand];
