/**
 * The paging memory behind the Candidates tree, without `vscode`: which rows each parent has loaded,
 * how many it showed before a refresh, and whether a reply is stale.
 *
 * Contract:
 * - `children(key)` loads a parent's first page on first use (or as many rows as it showed before the
 *   last `refresh(true)`, capped at `maxPage`) and answers the loaded rows plus, when the server has more,
 *   a `more` marker that the tree turns into a "Load more…" row.
 * - `loadMore(key)` appends the next page.
 * - `refresh(keepPlace)` forgets every page; with `keepPlace` each parent re-fetches as many rows as it
 *   showed, so the reviewer keeps their place. A reply to a fetch started before a refresh is dropped, and
 *   the caller waiting on it gets the new generation's rows instead (never an empty list in between).
 * - A failed fetch is reported to `onError` and leaves what was loaded (an empty page on first load).
 */

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/** Fetches `limit` rows from `offset` of one parent's children. */
export type FetchPage<T> = (key: string, offset: number, limit: number) => Promise<Page<T>>;

export interface Children<T> {
  readonly rows: readonly T[];
  /** Present when the server holds more rows than are loaded. */
  readonly more?: { readonly loaded: number; readonly total: number };
}

interface Loaded<T> {
  rows: T[];
  total: number;
}

export class PagedChildren<T> {
  private loaded = new Map<string, Loaded<T>>();
  private shown = new Map<string, number>();
  private firstLoads = new Map<string, Promise<Loaded<T> | undefined>>();
  private generation = 0;

  constructor(
    private readonly fetchPage: FetchPage<T>,
    private readonly pageSize: (key: string) => number,
    private readonly maxPage: number,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  refresh(keepPlace: boolean): void {
    if (keepPlace) for (const [k, v] of this.loaded) this.shown.set(k, v.rows.length);
    else this.shown.clear();
    this.loaded = new Map();
    this.firstLoads = new Map();
    this.generation++;
  }

  async children(key: string): Promise<Children<T>> {
    for (;;) {
      let loaded = this.loaded.get(key);
      if (!loaded) {
        // One first fetch per parent, however often the tree asks while it is under way.
        let pending = this.firstLoads.get(key);
        if (!pending) {
          pending = this.firstLoad(key);
          this.firstLoads.set(key, pending);
        }
        const generation = this.generation;
        const fresh = await pending;
        // A refresh came in meanwhile: answer with the new generation's rows. An empty answer would make
        // the tree drop the rows, and with them the expansion of every parent the reviewer had open.
        if (generation !== this.generation || !fresh) continue;
        loaded = fresh;
      }
      const rows = [...loaded.rows];
      return rows.length < loaded.total ? { rows, more: { loaded: rows.length, total: loaded.total } } : { rows };
    }
  }

  private async firstLoad(key: string): Promise<Loaded<T> | undefined> {
    const generation = this.generation;
    const fresh: Loaded<T> = { rows: [], total: 0 };
    const want = Math.min(this.maxPage, Math.max(this.shown.get(key) ?? 0, this.pageSize(key)));
    try {
      await this.fetch(key, fresh, want);
    } finally {
      if (generation === this.generation) this.firstLoads.delete(key);
    }
    if (generation !== this.generation) return undefined;
    this.loaded.set(key, fresh);
    return fresh;
  }

  /** Appends the next page of `key`'s children; false when nothing was loaded for it yet. */
  async loadMore(key: string): Promise<boolean> {
    const loaded = this.loaded.get(key);
    if (!loaded) return false;
    await this.fetch(key, loaded, Math.min(this.maxPage, this.pageSize(key)));
    return true;
  }

  private async fetch(key: string, into: Loaded<T>, limit: number): Promise<void> {
    const generation = this.generation;
    try {
      const page = await this.fetchPage(key, into.rows.length, limit);
      if (generation !== this.generation) return;
      into.rows.push(...page.items);
      into.total = page.total;
    } catch (err) {
      if (generation === this.generation) this.onError(err);
    }
  }
}
