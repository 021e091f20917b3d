/**
 * A scripted OpenAI-compatible endpoint for fault tests: each request takes the next step of the
 * script (the last step repeats). Steps answer with a status/headers/body, hang until the client gives
 * up, or run a function. Every request body is recorded; `once('request')` lets a test wait for one.
 */
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { status?: number; headers?: Record<string, string>; body: unknown }
  | { hang: true }
  | ((body: any, res: http.ServerResponse) => void);

export interface ScriptedServer {
  readonly url: string;
  readonly requests: any[];
  readonly events: EventEmitter;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
  /** Connections the client closed before an answer (aborts, timeouts). */
  readonly clientClosed: number;
  close(): Promise<void>;
}

/** A chat completion reply carrying `content`, with usage. */
export function chat(content: string, prompt = 100, completion = 20): { body: unknown } {
  return {
    body: {
      id: 'x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: prompt, completion_tokens: completion },
    },
  };
}

export async function startScriptedServer(script: Step[]): Promise<ScriptedServer> {
  const requests: any[] = [];
  const events = new EventEmitter();
  let inFlight = 0;
  let maxInFlight = 0;
  let clientClosed = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      const step = script[Math.min(requests.length, script.length - 1)]!;
      requests.push(body);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let answered = false;
      res.on('close', () => {
        inFlight--;
        if (!answered || !res.writableFinished) {
          clientClosed++;
          events.emit('client-closed');
        }
      });
      res.on('finish', () => (answered = true));
      events.emit('request', body);
      if (typeof step === 'function') return step(body, res);
      if ('hang' in step) return;
      // answer on the next turn, so that concurrent requests overlap
      setImmediate(() => {
        res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...(step.headers ?? {}) });
        res.end(typeof step.body === 'string' ? step.body : JSON.stringify(step.body));
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    events,
    get maxInFlight() {
      return maxInFlight;
    },
    get clientClosed() {
      return clientClosed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
