import * as vscode from 'vscode';
import { CandidateRequest, candidateUriPath, CandidateScheme, type CandidateDetail, parseCandidateUri } from '../../contract/lsp';
import { describe, type Session } from '../client/session';
import { knownCandidateId } from '../editor/documents';

/**
 * The candidate the reviewer is on: the one in the active `loophole:` editor, or else the one last
 * opened or selected in the tree. Keyboard verdicts, the Tests view and the decorations all follow it.
 * Its detail (`loophole/candidate`) is fetched once per change and again when the server says it changed.
 */
export class CurrentCandidate implements vscode.Disposable {
  private _id: string | undefined;
  private _detail: CandidateDetail | undefined;
  private fetching = 0;
  private readonly emitter = new vscode.EventEmitter<CandidateDetail | undefined>();
  /** The detail of the current candidate was (re)loaded, or there is none. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly memento?: vscode.Memento,
  ) {
    // The reviewer's place survives a window reload: the candidate they were on is current again.
    this._id = memento?.get<string>(CurrentKey);
    this.disposables.push(
      this.emitter,
      vscode.window.onDidChangeActiveTextEditor((e) => {
        const id = e ? candidateIdOfUri(e.document.uri, this.session) : undefined;
        if (id) this.set(id);
      }),
      session.onDidChange((p) => {
        if (this._id && (p.all || p.candidateIds?.includes(this._id))) void this.reload();
      }),
      session.onDidChangeState((s) => {
        if (s === 'running' && this._id) void this.reload();
      }),
    );
  }

  get id(): string | undefined {
    return this._id;
  }

  get detail(): CandidateDetail | undefined {
    return this._detail?.candidate.id === this._id ? this._detail : undefined;
  }

  set(id: string): void {
    if (id === this._id) return;
    this._id = id;
    void this.memento?.update(CurrentKey, id);
    void vscode.commands.executeCommand('setContext', 'loophole.hasCurrent', true);
    void this.reload();
  }

  /** Fetches the detail; a reply that arrives after a newer request was sent is dropped. */
  async reload(): Promise<CandidateDetail | undefined> {
    const id = this._id;
    if (!id) return undefined;
    const ticket = ++this.fetching;
    try {
      const detail = await this.session.request(CandidateRequest, { id });
      if (ticket !== this.fetching) return this.detail;
      this._detail = detail;
      this.emitter.fire(detail);
      return detail;
    } catch (err) {
      if (ticket === this.fetching) {
        this.session.log.warn(`loophole/candidate ${id}: ${describe(err)}`);
        this._detail = undefined;
        this.emitter.fire(undefined);
      }
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

const CurrentKey = 'loophole.currentCandidate';

/** The candidate id behind a `loophole:` URI: as the server named it, else as the URI spells it (older URIs: the last segment). */
export function candidateIdOfUri(uri: vscode.Uri, _session?: Session): string | undefined {
  if (uri.scheme !== CandidateScheme) return undefined;
  const known = knownCandidateId(uri);
  if (known) return known;
  const named = parseCandidateUri(uri.toString());
  if (named) return named.candidateId;
  const decoded = candidateUriPath(uri.toString());
  if (!decoded) return undefined;
  // problem ids may hold '/', candidate ids are taken as the part after the last '/'.
  const slash = decoded.lastIndexOf('/');
  return slash >= 0 ? decoded.slice(slash + 1) : decoded;
}
