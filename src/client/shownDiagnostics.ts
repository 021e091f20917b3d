/**
 * The bookkeeping of `TabDiagnostics`, without `vscode`: the latest diagnostics the server sent per
 * document, and which documents a tab shows. Returns what to display when either changes.
 */
export class ShownDiagnostics<D> {
  private readonly latest = new Map<string, D[]>();
  private open = new Set<string>();

  /** The server sent `diags` for `uri`: what to display for it now. */
  received(uri: string, diags: D[]): D[] {
    if (diags.length) this.latest.set(uri, diags);
    else this.latest.delete(uri);
    return this.open.has(uri) ? diags : [];
  }

  /** The documents shown in tabs changed: the documents whose display changes, with what to display. */
  setOpen(open: Set<string>): [string, D[]][] {
    const changes: [string, D[]][] = [];
    for (const uri of this.open) if (!open.has(uri) && this.latest.has(uri)) changes.push([uri, []]);
    for (const uri of open) if (!this.open.has(uri) && this.latest.has(uri)) changes.push([uri, this.latest.get(uri)!]);
    this.open = open;
    return changes;
  }
}
