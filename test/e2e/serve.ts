/**
 * `tsx test/e2e/serve.ts <folder> [port]`: code-server with the built extension on <folder>, in a
 * profile kept under `.tools/serve-profile`; prints the address and runs until interrupted.
 * Run through `serve.sh`, which installs code-server and builds the .vsix first.
 *
 * Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP) stops code-server and waits for it, so its
 * extension host and the Loophole server close their store; a second Ctrl-C exits at once.
 */
import path from 'node:path';
import { Root, startCodeServer } from './codeServer';

async function main(): Promise<void> {
  const folder = path.resolve(process.argv[2] ?? path.join(Root, 'media/sample'));
  const port = process.argv[3] ? Number(process.argv[3]) : 0;
  const server = await startCodeServer({
    folder,
    vsix: path.join(Root, 'test-output/loophole.vsix'),
    profile: path.join(Root, '.tools/serve-profile'),
    port,
    userSettings: { 'security.workspace.trust.enabled': false },
  });
  process.stdout.write(`Loophole in code-server: ${server.url}\nPress Ctrl-C to stop it.\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`\n${signal}: stopping code-server…\n`);
    void server.stop().then(() => process.exit(0));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => stop(s));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
