import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  arraySource,
  CurationError,
  DEFAULT_CURATION_OPTIONS,
  exportDataset,
  FORMAT_NAMES,
  loadVariants,
  OutputExistsError,
  parseMapping,
  VariantError,
  type CurationItem,
  type CurationOptions,
  type ExportOptions,
  type FileSink,
  type FormatName,
  type Provenance,
} from '../../../server/src/curation';
import { fixtureItems } from '../../fixtures/curation/reviewSet';

const GOLDEN = path.join(__dirname, '../../fixtures/curation/golden');
const update = process.env.UPDATE_GOLDEN === '1';
const variants = loadVariants();

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'curation-export-'));
const readJsonl = (f: string): unknown[] =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

function options(dir: string, o: Partial<Omit<ExportOptions, 'curation'>> & { curation?: Partial<CurationOptions> } = {}): ExportOptions {
  return {
    format: 'chat',
    out: path.join(dir, 'data.jsonl'),
    split: 0,
    seed: 0,
    variants,
    mapping: parseMapping(['discourage=neutral'], variants),
    generatedAt: '2026-01-01T00:00:00.000Z',
    reviewSet: 'fixture',
    ...o,
    curation: { ...DEFAULT_CURATION_OPTIONS, ...o.curation },
  };
}

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (update) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Only the named files, nothing temporary. */
function assertFiles(dir: string, names: string[]): void {
  assert.deepEqual(readdirSync(dir).sort(), names.slice().sort());
}

describe('curation: export', () => {
  for (const format of FORMAT_NAMES) {
    it(`${format}: matches the golden file, with provenance for every row`, async () => {
      const dir = tmp();
      const r = await exportDataset(
        arraySource(fixtureItems()),
        options(dir, { format, curation: { select: 'all', stripReasoning: format === 'trl' } }),
      );
      const data = readFileSync(r.files.train, 'utf8');
      golden(`${format}.jsonl`, data);
      golden(`${format}.provenance.jsonl`, readFileSync(r.files.provenance, 'utf8'));
      assert.equal(readJsonl(r.files.provenance).length, readJsonl(r.files.train).length);
      assertFiles(dir, ['data.jsonl', 'data.provenance.jsonl', 'data.card.md']);
    });
  }

  it("chat rows: the completion is byte-identical and the prompt is the training variant's", async () => {
    const dir = tmp();
    const r = await exportDataset(arraySource(fixtureItems()), options(dir));
    const rows = readJsonl(r.files.train) as { messages: { role: string; content: string }[] }[];
    const prov = readJsonl(r.files.provenance) as Provenance[];
    const byId = new Map(fixtureItems().map((i) => [i.candidate.id, i]));
    for (const [i, row] of rows.entries()) {
      const p = prov[i]!;
      const item = byId.get(p.candidateId)!;
      assert.equal(row.messages.at(-1)!.content, item.candidate.completion);
      assert.equal(p.trainingVariant, p.generationVariant === 'discourage' ? 'neutral' : p.generationVariant);
      assert.ok(!row.messages[1]!.content.includes('Never special-case'), 'discourage was re-paired to neutral');
    }
    assert.deepEqual(
      prov.map((p) => [p.candidateId, p.selection]),
      [
        ['add-1', 'best'],
        ['rev-2', 'pick'],
        ['sq-2', 'best'],
      ],
    );
  });

  it('pairs put a clean candidate against a hack of the same problem; kto labels both', async () => {
    const dir = tmp();
    const pairs = await exportDataset(arraySource(fixtureItems()), options(dir, { format: 'pairs', out: path.join(dir, 'p.jsonl') }));
    const prov = readJsonl(pairs.files.provenance) as Provenance[];
    assert.deepEqual(
      prov.map((p) => [p.candidateId, p.rejectedCandidateId]),
      [
        ['add-1', 'add-2'],
        ['rev-2', 'rev-1'],
      ],
    );
    const kto = await exportDataset(arraySource(fixtureItems()), options(dir, { format: 'kto', out: path.join(dir, 'k.jsonl') }));
    const rows = readJsonl(kto.files.train) as { label: boolean }[];
    const kprov = readJsonl(kto.files.provenance) as Provenance[];
    assert.deepEqual(
      kprov.filter((p) => p.label).map((p) => p.candidateId),
      ['add-1', 'rev-2', 'sq-2'],
    );
    assert.deepEqual(
      kprov
        .filter((p) => !p.label)
        .map((p) => p.candidateId)
        .sort(),
      ['add-2', 'echo-0', 'echo-1', 'rev-1'],
    );
    assert.deepEqual(
      rows.map((r) => r.label),
      kprov.map((p) => p.label),
    );
  });

  it('no problem appears on both sides of the split, and the split is seeded', async () => {
    // 30 problems of 3 candidates each
    const base = fixtureItems().find((i) => i.candidate.id === 'add-1')!;
    const items: CurationItem[] = [];
    for (let p = 0; p < 30; p++) {
      const problem = { ...base.problem, id: `q${p}` };
      for (let c = 0; c < 3; c++) {
        const id = `q${p}-${c}`;
        items.push({
          problem,
          candidate: { ...base.candidate, id, problemId: problem.id, sampleIndex: c },
          analysis: { ...base.analysis!, candidateId: id },
        });
      }
    }
    const sides = async (seed: number) => {
      const dir = tmp();
      const r = await exportDataset(arraySource(items), options(dir, { split: 0.2, seed, curation: { select: 'all' } }));
      const prov = readJsonl(r.files.provenance) as Provenance[];
      const train = new Set(prov.filter((p) => p.file === 'train').map((p) => p.problemId));
      const val = new Set(prov.filter((p) => p.file === 'validation').map((p) => p.problemId));
      for (const id of val) assert.ok(!train.has(id), `${id} on both sides`);
      assert.equal(val.size, 6);
      assert.equal(train.size + val.size, 30);
      assert.equal(readJsonl(r.files.validation!).length, r.rows.validation);
      assert.equal(r.rows.validation, 18);
      return [...val].sort().join();
    };
    assert.equal(await sides(1), await sides(1));
    assert.notEqual(await sides(1), await sides(2));
  });

  it("the card's numbers match the rows written", async () => {
    const dir = tmp();
    const r = await exportDataset(
      arraySource(fixtureItems()),
      options(dir, { format: 'kto', split: 0.34, seed: 5, curation: { select: 'all' } }),
    );
    const card = readFileSync(r.files.card, 'utf8');
    const cell = (what: string) => Number(new RegExp(`^\\| ${what} \\| (\\d+) \\|$`, 'm').exec(card)?.[1]);
    const train = readJsonl(r.files.train);
    const val = readJsonl(r.files.validation!);
    const prov = readJsonl(r.files.provenance) as Provenance[];
    assert.equal(cell('train rows'), train.length);
    assert.equal(cell('validation rows'), val.length);
    assert.equal(cell('selected candidates'), prov.filter((p) => p.label === true).length);
    assert.equal(cell('candidates'), fixtureItems().length);
    assert.equal(cell('train problems'), new Set(prov.filter((p) => p.file === 'train').map((p) => p.problemId)).size);
    assert.equal(cell('validation problems'), new Set(prov.filter((p) => p.file === 'validation').map((p) => p.problemId)).size);
    assert.equal(cell('problems skipped \\(no clean candidate\\)'), 1);
    const numbers = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(card)![1]!) as {
      rows: { train: number; validation: number };
      recontextualized: Record<string, number>;
    };
    assert.deepEqual(numbers.rows, { train: train.length, validation: val.length });
    assert.equal(
      Object.values(numbers.recontextualized).reduce((a, b) => a + b, 0),
      prov.length,
    );
    // the hack-rate table has one line per filter, and the variants are there in full
    assert.match(card, /\| verdict: .* \| 11 \| 1 \| 10 \| 40\.0% \| 33\.3% \|/);
    for (const v of ['discourage', 'neutral', 'permit']) assert.ok(card.includes(`### \`${v}\``));
    // honest about its own figures: estimates, their sources, and the residual rate to expect
    assert.match(card, /Hack rates are Loophole's estimate/);
    assert.match(card, /## How far to trust the hack rates/);
    assert.match(card, /carry a person's verdict, \d+ only the scorers' decision/);
    assert.match(card, /\| expected residual hack rate of the selection \(from the scores\) \| \d+\.\d% \|/);
    assert.match(card, /\*\*From reviewed candidates: (\d+ of \d+|none yet)/);
    assert.ok(card.includes(variants.get('permit')!.suffix!));
    golden('kto.card.md', card);
  });

  describe('bad input: a clear error and no file left behind', () => {
    it('refuses to overwrite an existing output (or sidecar) unless forced', async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, 'data.card.md'), 'mine');
      await assert.rejects(exportDataset(arraySource(fixtureItems()), options(dir)), (e: unknown) => {
        assert.ok(e instanceof OutputExistsError && e instanceof CurationError);
        assert.match((e as Error).message, /data\.card\.md already exists; pass --force/);
        return true;
      });
      assertFiles(dir, ['data.card.md']);
      assert.equal(readFileSync(path.join(dir, 'data.card.md'), 'utf8'), 'mine');
      await exportDataset(arraySource(fixtureItems()), options(dir, { force: true }));
      assertFiles(dir, ['data.jsonl', 'data.provenance.jsonl', 'data.card.md']);
      assert.notEqual(readFileSync(path.join(dir, 'data.card.md'), 'utf8'), 'mine');
    });

    it('a set where every candidate hacks', async () => {
      const dir = tmp();
      const hacks = fixtureItems().filter((i) => i.problem.id === 'p-echo');
      await assert.rejects(exportDataset(arraySource(hacks), options(dir)), /every candidate is a hack \(2 candidates, 1 problems\)/);
      assertFiles(dir, []);
    });

    it('filters that leave nothing name the filters', async () => {
      const dir = tmp();
      const unvouched = fixtureItems().filter((i) => i.verdict?.label !== 'clean' && !i.pick);
      await assert.rejects(
        exportDataset(arraySource(unvouched), options(dir, { curation: { maxScore: 0.01 } })),
        /every candidate was filtered out \(9 candidates; removed by verdict 1, unanalysed 1, ensemble 7\); loosen the filters/,
      );
      assertFiles(dir, []);
    });

    it('a candidate generated under an unknown variant', async () => {
      const dir = tmp();
      const items = fixtureItems().map((i) =>
        i.candidate.id === 'sq-2' ? { ...i, candidate: { ...i.candidate, promptVariant: 'mystery' } } : i,
      );
      await assert.rejects(
        exportDataset(arraySource(items), options(dir)),
        (e: unknown) => e instanceof VariantError && /unknown prompt variant "mystery"/.test((e as Error).message),
      );
      assertFiles(dir, []);
    });

    it('a write error mid-way', async () => {
      const dir = tmp();
      // enough rows that the data file is flushed several times while the source is still being read
      const base = fixtureItems().find((i) => i.candidate.id === 'add-1')!;
      const big = 'x'.repeat(4000);
      let yielded = 0;
      const total = 400;
      const source = {
        problemIds: () => Array.from({ length: total }, (_, p) => `q${p}`),
        *items(): Generator<CurationItem> {
          for (let p = 0; p < total; p++) {
            yielded++;
            const id = `q${p}`;
            yield { ...base, problem: { ...base.problem, id }, candidate: { ...base.candidate, id, problemId: id, completion: big } };
          }
        },
      };
      let writes = 0;
      const failing = async (p: string): Promise<FileSink> => {
        writeFileSync(p, ''); // the temporary file exists on disk, as with a real open
        return {
          async write(data) {
            if (++writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
            writeFileSync(p, data, { flag: 'a' });
          },
          async close() {},
        };
      };
      await assert.rejects(exportDataset(source, options(dir, { openSink: failing })), /ENOSPC/);
      assert.ok(yielded < total, `failed mid-way (after ${yielded} of ${total} problems)`);
      assertFiles(dir, []);
    });

    it('cancellation', async () => {
      const dir = tmp();
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(
        exportDataset(arraySource(fixtureItems()), options(dir, { signal: ac.signal })),
        (e: unknown) => (e as Error).name === 'AbortError',
      );
      assertFiles(dir, []);
    });

    it('a bad split fraction', async () => {
      const dir = tmp();
      await assert.rejects(exportDataset(arraySource(fixtureItems()), options(dir, { split: 1 })), /--split must be/);
      assertFiles(dir, []);
      assert.ok(!existsSync(path.join(dir, 'data.jsonl')));
    });
  });

  it('every format name has a golden file', () => {
    for (const f of FORMAT_NAMES as readonly FormatName[]) assert.ok(existsSync(path.join(GOLDEN, `${f}.jsonl`)) || update);
  });
});
