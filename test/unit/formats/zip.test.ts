/** Archive caps: a zip bomb is refused before anything is inflated, and the CLI says so and exits 2. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ArchiveLimitError, ZipReader } from '../../../server/src/formats/zip';

interface Entry {
  name: string;
  data: Buffer;
  method: number;
  size: number;
}

/** A zip archive whose directory declares `size` for each entry, whatever `data` holds. */
function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(Math.min(e.size, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(Math.min(e.size, 0xffffffff), 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    central.push(dir, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('formats/zip caps', function () {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-zip-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, entries: Entry[]): string => {
    const file = path.join(dir, name);
    writeFileSync(file, zip(entries));
    return file;
  };
  const zeros = deflateRawSync(Buffer.alloc(1 << 20)); // 1 MiB of zeros, about 1 KiB deflated

  it('refuses an entry that declares gigabytes, before inflating anything', async function () {
    const file = write('bomb.eval', [{ name: 'samples/1.json', data: zeros, method: 8, size: 3 * 1024 ** 3 }]);
    await assert.rejects(
      ZipReader.open(file),
      (e: Error) =>
        e instanceof ArchiveLimitError && /3072 MiB, over the cap of 256 MiB per entry: refused as a possible zip bomb/.test(e.message),
    );
  });

  it('refuses an entry whose compression ratio is beyond any log', async function () {
    const file = write('ratio.eval', [{ name: 'samples/1.json', data: zeros, method: 8, size: 100 * 1024 * 1024 }]);
    await assert.rejects(
      ZipReader.open(file),
      (e: Error) => e instanceof ArchiveLimitError && /inflate \d+×.*over the cap of 200×/.test(e.message),
    );
  });

  it('refuses the sum of many entries each under the cap', async function () {
    const many = Array.from({ length: 20 }, (_, i) => ({
      name: `samples/${i}.json`,
      data: Buffer.alloc(2 << 20),
      method: 8,
      size: 250 * 1024 * 1024,
    }));
    await assert.rejects(ZipReader.open(write('many.eval', many)), /the archive would inflate to 5000 MiB, over the cap of 4096 MiB/);
  });

  it('stops inflating at the declared size when an entry lies about it', async function () {
    const file = write('liar.eval', [{ name: 'samples/1.json', data: zeros, method: 8, size: 100 }]);
    const reader = await ZipReader.open(file);
    try {
      await assert.rejects(
        reader.read(reader.entries[0]!),
        (e: Error) => e instanceof ArchiveLimitError && /more than the 100 bytes it declares/.test(e.message),
      );
    } finally {
      await reader.close();
    }
  });

  it('reads an honest archive', async function () {
    const body = Buffer.from('{"ok": true}');
    const reader = await ZipReader.open(
      write('ok.eval', [{ name: 'header.json', data: deflateRawSync(body), method: 8, size: body.length }]),
    );
    try {
      assert.equal((await reader.read(reader.entries[0]!)).toString(), '{"ok": true}');
    } finally {
      await reader.close();
    }
  });

  it('refuses a file that is not a zip archive, saying what was expected', async function () {
    const file = path.join(dir, 'text.eval');
    writeFileSync(file, 'just some text, not an archive\n');
    await assert.rejects(ZipReader.open(file), /not a valid zip archive: .*end of central directory/i);
  });

  it('refuses a stored entry whose two declared sizes disagree', async function () {
    const file = write('stored.eval', [{ name: 'header.json', data: Buffer.from('{}'), method: 0, size: 1000 }]);
    await assert.rejects(ZipReader.open(file), /not a valid zip archive: .*size mismatch for stored file/);
  });

  it('reports an entry that inflates to fewer bytes than it declares', async function () {
    const body = Buffer.from('{"ok": true}');
    const reader = await ZipReader.open(write('short.eval', [{ name: 'header.json', data: deflateRawSync(body), method: 8, size: 500 }]));
    try {
      await assert.rejects(
        reader.read(reader.entries[0]!),
        /header\.json: not a valid zip archive: not enough bytes in the stream\. expected 500/,
      );
    } finally {
      await reader.close();
    }
  });

  it('reads the entries of a stored and a deflated entry one at a time', async function () {
    const a = Buffer.from('{"a": 1}');
    const b = Buffer.from(JSON.stringify({ b: 'x'.repeat(5000) }));
    const reader = await ZipReader.open(
      write('two.eval', [
        { name: 'samples/a.json', data: a, method: 0, size: a.length },
        { name: 'samples/b.json', data: deflateRawSync(b), method: 8, size: b.length },
      ]),
    );
    try {
      assert.deepEqual(
        reader.entries.map((e) => e.name),
        ['samples/a.json', 'samples/b.json'],
      );
      assert.equal((await reader.read(reader.entries[1]!)).toString(), b.toString());
      assert.equal((await reader.read(reader.entries[0]!)).toString(), a.toString());
    } finally {
      await reader.close();
    }
  });

  it('the CLI refuses a zip bomb with a clear message and exit 2', function () {
    this.timeout(60_000);
    const file = write('bomb.eval', [{ name: 'samples/1.json', data: zeros, method: 8, size: 3 * 1024 ** 3 }]);
    const cli = path.resolve(__dirname, '../../../server/src/cli/main.ts');
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), cli, 'analyze', file, '--no-execute'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /bomb\.eval:1: .*refused as a possible zip bomb/);
  });
});
