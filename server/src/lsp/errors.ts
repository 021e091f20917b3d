/**
 * The language server's one error mapping: what a handler throws becomes the `ResponseError` its
 * request is answered with. A `ResponseError` passes as thrown (the adapter's own refusals: no set open,
 * an analysis running, bad params); the service's failures map by kind; anything else is logged with
 * its stack and answered as InternalError. The connection stays up in every case.
 *
 * - notFound → InvalidParams, `<method>: <message>`
 * - badInput → InvalidParams, the message as is (the curation panel shows it)
 * - outputExists → InvalidParams with `{ kind: 'outputExists', path }` as data
 * - unavailable → InvalidRequest
 * - cancelled → RequestCancelled, `<method>: cancelled[; what was kept]`
 * - failed → InternalError with the message (and what to install, when known)
 */
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { failureOf } from '../service';
import type { CurationOutputExists } from '../../../contract/lsp';

export function toResponseError(method: string, e: unknown, logError: (message: string) => void): ResponseError<unknown> {
  if (e instanceof ResponseError) return e;
  const f = failureOf(e);
  switch (f?.kind) {
    case 'notFound':
      return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${f.message}`);
    case 'badInput':
      return new ResponseError(ErrorCodes.InvalidParams, f.message);
    case 'outputExists': {
      const data: CurationOutputExists = { kind: 'outputExists', path: f.path };
      return new ResponseError(ErrorCodes.InvalidParams, `${f.path} already exists; export again with overwrite to replace it`, data);
    }
    case 'unavailable':
      return new ResponseError(ErrorCodes.InvalidRequest, `${method}: ${f.message}`);
    case 'cancelled':
      return new ResponseError(LSPErrorCodes.RequestCancelled, `${method}: ${f.message.startsWith('cancelled') ? f.message : 'cancelled'}`);
    case 'failed':
      logError(`${method} failed: ${f.message}`);
      return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${f.message}${f.suggestion ? ` (${f.suggestion})` : ''}`);
    default:
      logError(`${method} failed: ${stackOf(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
