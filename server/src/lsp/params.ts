/**
 * Validation of request params at the boundary. Every custom request's params pass through one of these
 * before any handler sees them; a failure is a `ResponseError(InvalidParams)` whose message names the
 * request, the field and what was expected, so a client author can fix the call from the error alone.
 * The shapes, bounds and enums are the contract's schemas (`contract/lsp.ts`); nothing is restated here.
 */
import type { TSchema } from 'typebox';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import {
  AnalyzeParams,
  CandidateParams,
  CandidateQuery,
  DocumentParams,
  NextUnreviewedParams,
  OpenParams,
  PickParams,
  ProblemPanelParams,
  ProblemsParams,
  ReviewOrder,
  SetVerdictParams,
  UndoVerdictParams,
} from '../../../contract/lsp';
import type { Wire } from '../../../contract/schema';
import { checker } from '../../../contract/validate';

/** The params reader of one request: checks them against `schema`; `optional` reads absent params as `{}`. */
export function paramsOf<S extends TSchema>(method: string, schema: S, optional = false): (p: unknown) => Wire<S> {
  const check = checker(schema, 'params');
  return (p) => {
    const r = check(optional ? (p ?? {}) : p);
    if (!r.ok) throw invalid(method, r.message);
    return r.value;
  };
}

export function invalid(method: string, message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${message}`);
}

export const openParams = paramsOf('loophole/open', OpenParams);
export const analyzeParams = paramsOf('loophole/analyze', AnalyzeParams, true);
export const problemsParams = paramsOf('loophole/problems', ProblemsParams, true);
export const candidateQuery = paramsOf('loophole/candidates', CandidateQuery, true);
export const candidateParams = paramsOf('loophole/candidate', CandidateParams);
export const documentParams = paramsOf('loophole/document', DocumentParams);
const verdictParams = paramsOf('loophole/setVerdict', SetVerdictParams);
/** An empty note is no note. */
export const setVerdictParams = (p: unknown): SetVerdictParams => {
  const { note, ...v } = verdictParams(p);
  return note ? { ...v, note } : v;
};
export const undoVerdictParams = paramsOf('loophole/undoVerdict', UndoVerdictParams);
export const nextUnreviewedParams = paramsOf('loophole/nextUnreviewed', NextUnreviewedParams);
export const reviewOrderParams = paramsOf('loophole/reviewOrder', ReviewOrder, true);
export const problemPanelParams = paramsOf('loophole/problemPanel', ProblemPanelParams);
export const pickParams = paramsOf('loophole/pick', PickParams);
