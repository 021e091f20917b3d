/**
 * Validation of request params at the boundary. Every custom request's params pass through one of these
 * before any handler sees them; a failure is a `ResponseError(InvalidParams)` whose message names the
 * request, the field and what was expected, so a client author can fix the call from the error alone.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { VerdictLabel } from '../../../contract/domain';
import { FORMAT_NAMES } from '../formats/reader';
import {
  type AnalyzeParams,
  type CandidateParams,
  type CandidateQuery,
  type DocumentParams,
  MaxPageSize,
  type NextUnreviewedParams,
  type OpenParams,
  type PickParams,
  type ProblemPanelParams,
  type ProblemsParams,
  type ReviewOrder,
  type SetVerdictParams,
  type UndoVerdictParams,
} from '../../../contract/lsp';

type Obj = Record<string, unknown>;

export class ParamReader {
  constructor(
    private readonly method: string,
    private readonly obj: Obj,
  ) {}

  static of(method: string, params: unknown): ParamReader {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw invalid(method, `params must be an object, got ${describe(params)}`);
    }
    return new ParamReader(method, params as Obj);
  }

  string(name: string): string {
    const v = this.obj[name];
    if (typeof v !== 'string' || v.length === 0) throw this.bad(name, 'a non-empty string', v);
    return v;
  }

  optString(name: string): string | undefined {
    return this.obj[name] === undefined ? undefined : this.string(name);
  }

  /** A string or null (null is meaningful, e.g. "clear the pick"). */
  stringOrNull(name: string): string | null {
    const v = this.obj[name];
    if (v === null) return null;
    if (typeof v !== 'string' || v.length === 0) throw this.bad(name, 'a non-empty string or null', v);
    return v;
  }

  optBoolean(name: string): boolean | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.bad(name, 'a boolean', v);
    return v;
  }

  optNumber(name: string, min: number, max: number, integer = false): number | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      throw this.bad(name, `${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`, v);
    }
    return v;
  }

  optEnum<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    return this.enumValue(name, values, v);
  }

  enum<T extends string>(name: string, values: readonly T[]): T {
    return this.enumValue(name, values, this.obj[name]);
  }

  /** A nested object field, read with the same rules; absent → undefined. */
  optObject(name: string): ParamReader | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw this.bad(name, 'an object', v);
    return new ParamReader(`${this.method} ${name}`, v as Obj);
  }

  /** Free text that may be empty (a cleared note): empty → undefined. */
  optText(name: string): string | undefined {
    const v = this.obj[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw this.bad(name, 'a string', v);
    return v;
  }

  /** The raw value, for fields the LSP library interprets itself (progress tokens). */
  raw(name: string): unknown {
    return this.obj[name];
  }

  private enumValue<T extends string>(name: string, values: readonly T[], v: unknown): T {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw this.bad(name, `one of ${values.map((x) => `'${x}'`).join(', ')}`, v);
    }
    return v as T;
  }

  private bad(name: string, expected: string, got: unknown): ResponseError<void> {
    return invalid(this.method, `'${name}' must be ${expected}, got ${describe(got)}`);
  }
}

function invalid(method: string, message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${message}`);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

const LABELS: readonly VerdictLabel[] = ['hack', 'clean', 'unsure'];
const SORTS = ['score', 'id', 'problem', 'likely'] as const;
const ORDERS = ['asc', 'desc'] as const;

export function openParams(p: unknown): OpenParams {
  const r = ParamReader.of('loophole/open', p);
  const format = r.optEnum('format', ['auto', ...FORMAT_NAMES]);
  return { path: r.string('path'), ...(format ? { format } : {}) };
}

export function analyzeParams(p: unknown): AnalyzeParams {
  const r = ParamReader.of('loophole/analyze', p ?? {});
  const token = r.raw('workDoneToken');
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'number') {
    throw invalid('loophole/analyze', `'workDoneToken' must be a string or an integer, got ${describe(token)}`);
  }
  return strip({
    force: r.optBoolean('force'),
    execute: r.optBoolean('execute'),
    coverage: r.optBoolean('coverage'),
    workDoneToken: token as string | number | undefined,
  });
}

export function problemsParams(p: unknown): ProblemsParams {
  const r = ParamReader.of('loophole/problems', p ?? {});
  return strip({
    offset: r.optNumber('offset', 0, Number.MAX_SAFE_INTEGER, true),
    limit: r.optNumber('limit', 0, MaxPageSize * 1000, true),
    sort: r.optEnum('sort', ['id', 'hacks', 'score'] as const),
  });
}

export function candidateQuery(p: unknown): CandidateQuery {
  const r = ParamReader.of('loophole/candidates', p ?? {});
  return strip({
    problemId: r.optString('problemId'),
    offset: r.optNumber('offset', 0, Number.MAX_SAFE_INTEGER, true),
    limit: r.optNumber('limit', 0, MaxPageSize * 1000, true),
    sort: r.optEnum('sort', SORTS),
    order: r.optEnum('order', ORDERS),
    verdict: r.optEnum('verdict', [...LABELS, 'none'] as const),
    promptVariant: r.optString('promptVariant'),
    model: r.optString('model'),
    minScore: r.optNumber('minScore', 0, 1),
    maxScore: r.optNumber('maxScore', 0, 1),
    scorer: r.optString('scorer'),
    isHack: r.optBoolean('isHack'),
  });
}

export function candidateParams(p: unknown): CandidateParams {
  return { id: ParamReader.of('loophole/candidate', p).string('id') };
}

export function documentParams(p: unknown): DocumentParams {
  return { uri: ParamReader.of('loophole/document', p).string('uri') };
}

export function setVerdictParams(p: unknown): SetVerdictParams {
  const r = ParamReader.of('loophole/setVerdict', p);
  const note = r.optText('note');
  return { candidateId: r.string('candidateId'), label: r.enum('label', LABELS), ...(note ? { note } : {}) };
}

export function undoVerdictParams(p: unknown): UndoVerdictParams {
  return { candidateId: ParamReader.of('loophole/undoVerdict', p).string('candidateId') };
}

export function nextUnreviewedParams(p: unknown): NextUnreviewedParams {
  const r = ParamReader.of('loophole/nextUnreviewed', p);
  const order = r.optObject('order');
  return strip({
    from: r.optString('from'),
    direction: r.enum('direction', ['next', 'previous'] as const),
    order: order ? orderOf(order) : undefined,
  });
}

export function reviewOrderParams(p: unknown): ReviewOrder {
  return orderOf(ParamReader.of('loophole/reviewOrder', p ?? {}));
}

function orderOf(r: ParamReader): ReviewOrder {
  return strip({
    grouping: r.optEnum('grouping', ['problem', 'flat'] as const),
    sort: r.optEnum('sort', SORTS),
    order: r.optEnum('order', ORDERS),
    verdict: r.optEnum('verdict', [...LABELS, 'none'] as const),
    promptVariant: r.optString('promptVariant'),
    model: r.optString('model'),
    minScore: r.optNumber('minScore', 0, 1),
    maxScore: r.optNumber('maxScore', 0, 1),
    scorer: r.optString('scorer'),
    isHack: r.optBoolean('isHack'),
  });
}

export function problemPanelParams(p: unknown): ProblemPanelParams {
  return { problemId: ParamReader.of('loophole/problemPanel', p).string('problemId') };
}

export function pickParams(p: unknown): PickParams {
  const r = ParamReader.of('loophole/pick', p);
  return { problemId: r.string('problemId'), candidateId: r.stringOrNull('candidateId') };
}

/** Drops undefined fields, so that optional properties stay absent under exactOptionalPropertyTypes. */
function strip<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
