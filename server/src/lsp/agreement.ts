/**
 * `loophole/agreement` over the open set: the service's agreement numbers plus the state of the
 * learned `likely` order. Params are validated here, at the boundary; an unknown scorer is InvalidParams
 * (the server's one error mapping).
 */
import { type CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { type ReviewSession, setAgreement } from '../service';
import { paramsOf } from './params';
import { AgreementParams, AgreementRequest, type AgreementResult, type LoopholeSettings } from '../../../contract/lsp';

/** What the server lends the agreement handler. */
export interface AgreementHost {
  /** The open session, or a `ResponseError(InvalidRequest)` when none is open. */
  need(): ReviewSession;
  handle<P, R>(type: { readonly method: string }, parse: (raw: unknown) => P, fn: (p: P, token: CancellationToken) => R | Promise<R>): void;
  settings(): LoopholeSettings;
}

export const agreementParams = paramsOf('loophole/agreement', AgreementParams, true);

export function registerAgreement(host: AgreementHost): void {
  host.handle(AgreementRequest, agreementParams, async (p): Promise<AgreementResult> => {
    const session = host.need();
    const ranking = await session.likelyRanking();
    if (host.need() !== session)
      throw new ResponseError(LSPErrorCodes.ContentModified, 'loophole/agreement: another review set was opened meanwhile');
    const threshold = host.settings().scoring?.threshold;
    // After the await: the numbers are read in one synchronous pass, consistent with each other.
    return setAgreement(session, { ...p, ...(threshold !== undefined ? { threshold } : {}) }, ranking);
  });
}
