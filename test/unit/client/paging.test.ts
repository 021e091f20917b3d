import assert from 'node:assert/strict';
import { PagedChildren, type Page } from '../../../src/views/paging';

/** A server holding `n` rows per parent, recording every fetch; `hold` keeps replies until released. */
function server(n: Record<string, number>) {
  const calls: { key: string; offset: number; limit: number }[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  let fail = false;
  const fetch = async (key: string, offset: number, limit: number): Promise<Page<string>> => {
    calls.push({ key, offset, limit });
    if (hold) await new Promise<void>((r) => held.push(r));
    if (fail) throw new Error('server down');
    const total = n[key] ?? 0;
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => `${key}#${offset + i}`);
    return { items, total };
  };
  return {
    fetch,
    calls,
    hold: (on: boolean) => (hold = on),
    fail: (on: boolean) => (fail = on),
    release: () => held.splice(0).forEach((r) => r()),
  };
}

describe('Candidates tree paging', () => {
  it('loads the first page and offers "Load more…" until every row is loaded', async () => {
    const s = server({ '': 25 });
    const p = new PagedChildren(s.fetch, () => 10, 100);
    let c = await p.children('');
    assert.equal(c.rows.length, 10);
    assert.deepEqual(c.more, { loaded: 10, total: 25 });
    assert.equal(await p.loadMore(''), true);
    assert.equal(await p.loadMore(''), true);
    c = await p.children('');
    assert.equal(c.rows.length, 25);
    assert.equal(c.more, undefined, 'no "Load more…" once all are loaded');
    assert.deepEqual(c.rows.slice(9, 12), ['#9', '#10', '#11']);
    assert.deepEqual(
      s.calls.map((x) => x.offset),
      [0, 10, 20],
    );
  });

  it('asks the server once per parent while the tree asks again before the first reply', async () => {
    const s = server({ p1: 3 });
    const p = new PagedChildren(s.fetch, () => 10, 100);
    s.hold(true);
    const a = p.children('p1');
    const b = p.children('p1');
    s.release();
    assert.deepEqual((await a).rows, (await b).rows);
    assert.equal(s.calls.length, 1);
  });

  it('keeps the place on refresh: fetches as many rows as were shown, capped at the page limit', async () => {
    const s = server({ '': 500, p: 40 });
    const p = new PagedChildren(s.fetch, (k) => (k === '' ? 100 : 10), 150);
    await p.children('');
    await p.loadMore('');
    await p.children('p');
    p.refresh(true);
    s.calls.length = 0;
    assert.equal((await p.children('')).rows.length, 150, '200 were shown; one fetch is capped at 150');
    assert.equal((await p.children('p')).rows.length, 10);
    assert.deepEqual(s.calls, [
      { key: '', offset: 0, limit: 150 },
      { key: 'p', offset: 0, limit: 10 },
    ]);
    p.refresh(false);
    s.calls.length = 0;
    await p.children('');
    assert.deepEqual(s.calls, [{ key: '', offset: 0, limit: 100 }], 'a new query starts from one page');
  });

  it('drops a reply that arrives after a refresh, and answers the waiting caller with the new generation', async () => {
    const s = server({ '': 5 });
    const p = new PagedChildren(s.fetch, () => 10, 100);
    s.hold(true);
    const stale = p.children('');
    p.refresh(false);
    s.hold(false);
    s.release();
    // Never an empty list in between: the tree would drop the rows and the expansion of their parents.
    assert.deepEqual((await stale).rows, ['#0', '#1', '#2', '#3', '#4']);
    assert.equal((await p.children('')).rows.length, 5);
    assert.equal(s.calls.length, 2, 'one fetch per generation');
  });

  it('keeps waiting through several refreshes in a row, and answers with the last one', async () => {
    const s = server({ '': 3 });
    const p = new PagedChildren(s.fetch, () => 10, 100);
    s.hold(true);
    const first = p.children('');
    p.refresh(true);
    s.release();
    await new Promise((r) => setImmediate(r));
    p.refresh(true);
    s.hold(false);
    s.release();
    assert.equal((await first).rows.length, 3);
    assert.equal(s.calls.length, 3);
  });

  it('reports a failed fetch and keeps what was loaded', async () => {
    const s = server({ '': 30 });
    const errors: unknown[] = [];
    const p = new PagedChildren(
      s.fetch,
      () => 10,
      100,
      (e) => errors.push(e),
    );
    await p.children('');
    s.fail(true);
    await p.loadMore('');
    assert.equal(errors.length, 1);
    const c = await p.children('');
    assert.equal(c.rows.length, 10);
    assert.deepEqual(c.more, { loaded: 10, total: 30 });
    assert.equal(await p.loadMore('never-loaded'), false);
  });
});
