import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Candidate, Problem } from '../../../server/src/core/types';
import { detectFormat, validateRecord } from '../../../server/src/formats';
import { fixture } from './fixtures';

const SCHEMA = path.resolve(__dirname, '../../../server/src/formats/review-set.schema.json');

interface Node {
  description?: string;
  properties?: Record<string, Node>;
  $defs?: Record<string, Node>;
}

describe('formats/schema and detection', () => {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Node & { $schema: string; oneOf: unknown[] };

  it('is draft 2020-12 with oneOf over the record types and a description on every field', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.oneOf.length, 3);
    const missing: string[] = [];
    for (const [name, def] of Object.entries(schema.$defs ?? {})) {
      if (!def.description) missing.push(name);
      for (const [field, sub] of Object.entries(def.properties ?? {})) {
        if (!sub.description && !(sub as { $ref?: string }).$ref) missing.push(`${name}.${field}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('describes exactly the fields of Problem and Candidate', () => {
    // Adding a field to the types without the schema (or the other way round) fails to compile or here.
    const candidate: Record<keyof Candidate, true> = {
      id: true,
      problemId: true,
      completion: true,
      code: true,
      reasoning: true,
      promptVariant: true,
      model: true,
      sampleIndex: true,
      generation: true,
      completionTokenIds: true,
      externalScores: true,
      source: true,
    };
    const problem: Record<keyof Problem, true> = {
      id: true,
      statement: true,
      style: true,
      entryPoint: true,
      tests: true,
      referenceSolution: true,
      promptLiterals: true,
      files: true,
      source: true,
    };
    const fields = (def: string): string[] =>
      Object.keys(schema.$defs![def]!.properties!)
        .filter((k) => k !== 'record')
        .sort();
    assert.deepEqual(fields('candidate'), Object.keys(candidate).sort());
    assert.deepEqual(fields('problem'), Object.keys(problem).sort());
  });

  it('accepts every line of the sample set and explains what is wrong with bad ones', () => {
    for (const line of readFileSync(fixture('sample.loophole.jsonl'), 'utf8').trim().split('\n'))
      assert.equal(validateRecord(JSON.parse(line)), undefined);
    assert.equal(validateRecord({ record: 'candidate', id: 'a', completion: '' }), 'candidate.problemId: required string is missing');
    assert.equal(
      validateRecord({
        record: 'problem',
        id: 'p',
        style: 'function',
        statement: 's',
        tests: [{ id: 't0', role: 'visible', kind: 'stdio', input: '' }],
      }),
      'problem.tests[0].expectedOutput: required string is missing',
    );
    assert.equal(
      validateRecord({ record: 'problem', id: 'p', style: 'batch', statement: 's', tests: [] }),
      'problem.style: must be one of function, stdio (got "batch")',
    );
    assert.equal(validateRecord({ record: 'header', format: 'loophole', version: 2 }), 'header.version: must be 1 (got 2)');
    assert.equal(validateRecord({ id: 'x' }), 'record: required string is missing');
    assert.equal(validateRecord([1]), '(line): expected object, got array');
  });

  it('detects each format from its first record and the extension', () => {
    const cases: [string, unknown, string | undefined][] = [
      ['a.jsonl', { record: 'problem' }, 'loophole'],
      ['a.jsonl', { messages: [] }, 'chat'],
      ['a.jsonl', { problem: 'p', correct_test_list: [] }, 'mbpp'],
      ['a.jsonl', { text: 'p', test_list: [], task_id: 1 }, 'mbpp'],
      ['a.json', { version: 2, eval: { task: 't' } }, 'inspect'],
      ['a.jsonl', { id: 1, epoch: 1, input: 'x', target: 'y' }, 'inspect'],
      ['a.jsonl', { question: 'q', solutions: [] }, 'stdio'],
      ['a.eval', undefined, 'inspect'],
      ['a.jsonl', { foo: 1 }, undefined],
      ['a.jsonl', 'text', undefined],
    ];
    for (const [file, first, want] of cases) assert.equal(detectFormat(file, first), want, JSON.stringify(first));
  });
});
