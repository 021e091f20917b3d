#!/usr/bin/env node
/**
 * Entry of the Loophole language server (bundled to `dist/server.js`). The transport comes from the
 * command line, as `vscode-languageserver` reads it: `--stdio` for any LSP client, `--node-ipc` when
 * VS Code's language client spawns it, `--socket=<port>`.
 *
 * Exit codes: 0 after `shutdown` + `exit`; non-zero for `exit` without `shutdown`, a lost parent
 * process, or a crash, so that the client can tell a crash (restart) from a deliberate stop (do not).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LoopholeServer } from './server';

const connection = createConnection(ProposedFeatures.all);

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

process.on('unhandledRejection', (reason) => {
  connection.console.error(`unhandled rejection: ${describe(reason)}`);
});
process.on('uncaughtException', (err) => {
  process.stderr.write(`loophole-server: uncaught exception: ${describe(err)}\n`);
  try {
    connection.console.error(`uncaught exception: ${describe(err)}`);
  } finally {
    process.exit(1);
  }
});

const server = new LoopholeServer(connection);
server.listen();

// Ctrl-C in a terminal, or a supervisor stopping the process: close the store cleanly (its WAL is
// checkpointed), then end with the conventional non-zero status of a signal.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    void server.stop().finally(() => process.exit(code));
  });
}
