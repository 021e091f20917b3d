/**
 * `loophole/agreement` over the open set: the numbers of `report/agreement.ts` plus the state of the
 * learned `likely` order. Params are validated here, at the boundary; an unknown scorer is InvalidParams.
 */
import { type CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { collectAgreement, UnknownScorer } from '../report/agreement';
import { ParamReader } from './params';
import { type AgreementParams, AgreementRequest, type AgreementResult, type LoopholeSettings } from './protocol';
import { NotFound, type ReviewSession } from '../service/session';

/** What the server lends the agreement handler. */
export interface AgreementHost {
  /** The open session, or a `ResponseError(InvalidRequest)` when none is open. */
  need(): ReviewSession;
  handle<P, R>(type: { readonly method: string }, parse: (raw: unknown) => P, fn: (p: P, token: CancellationToken) => R | Promise<R>): void;
  settings(): LoopholeSettings;
}

export function agreementParams(p: unknown): AgreementParams {
  const scorer = ParamReader.of('loophole/agreement', p ?? {}).optString('scorer');
  return scorer !== undefined ? { scorer } : {};
}

export function registerAgreement(host: AgreementHost): void {
  host.handle(AgreementRequest, agreementParams, async (p): Promise<AgreementResult> => {
    const session = host.need();
    const ranking = await session.likelyRanking();
    if (host.need() !== session)
      throw new ResponseError(LSPErrorCodes.ContentModified, 'loophole/agreement: another review set was opened meanwhile');
    const threshold = host.settings().scoring?.threshold;
    try {
      // After the await: the numbers are read in one synchronous pass, consistent with each other.
      return { ...collectAgreement(session.store, { ...p, ...(threshold !== undefined ? { threshold } : {}) }), ranking };
    } catch (e) {
      if (e instanceof UnknownScorer) throw new NotFound(e.message);
      throw e;
    }
  });
}
