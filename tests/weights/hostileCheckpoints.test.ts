// Hostile and broken checkpoints (issue 9, "Checkpoints can balloon memory"): each file is built
// here, opened in a child that reads every tensor, and must be refused as model_invalid naming
// the file, in under a second, with RSS rising by less than 64 MiB. The figures are printed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { legacyTorchSave } from './torchLegacyWriter';
import { P, floats, stateDictPickle, zipArchive } from './torchZipFixtures';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const CHILD = path.join(__dirname, 'openCheckpointChild.ts');
const WARM_UP = path.join(__dirname, 'data/legacy.ckpt');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-ckpt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface ChildOutcome {
  ok: boolean;
  code?: string;
  message?: string;
  ms: number;
  peakRssGrowthMiB: number;
}

function openInChild(file: string): ChildOutcome {
  const run = spawnSync(process.execPath, [TSX, CHILD, file, WARM_UP], { encoding: 'utf8', timeout: 60_000 });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`child failed (status ${run.status}): ${run.stderr}`);
  return JSON.parse(line) as ChildOutcome;
}

/** 1 GiB of zeros as raw DEFLATE, ~1 MiB: 1024 full-flushed copies of one 1 MiB block, then a final empty block. */
function deflateBomb(): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  return Buffer.concat([...new Array<Buffer>(1024).fill(block), zlib.deflateRawSync(Buffer.alloc(0))]);
}

/** A zip whose one entry's directory record is rewritten (method, sizes) after the fact. */
function zipWithEntry(name: string, method: number, data: Buffer, size: number): Buffer {
  const zip = zipArchive([{ name, data }]);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt16LE(method, central + 10);
  zip.writeUInt32LE(data.length, central + 20);
  zip.writeUInt32LE(size, central + 24);
  return zip;
}

const pickleOf = (...parts: Buffer[]): Buffer => Buffer.concat([P.proto, ...parts, P.stop]);
const tensor = (shape: number[], stride: number[], numel = 1) => [{ key: 'w', storageKey: '0', numel, shape, stride }];

const CASES: { label: string; name: string; build: () => Buffer; expect: RegExp }[] = [
  {
    label: 'a 1 MiB data.pkl that inflates to 1 GiB, declaring 1 MiB',
    name: 'bomb-small.ckpt',
    build: () => zipWithEntry('bomb/data.pkl', 8, deflateBomb(), 1 << 20),
    expect: /inflates to more than the 1048576 bytes it declares/,
  },
  {
    label: 'a 1 MiB data.pkl that inflates to 1 GiB, declaring 1 GiB',
    name: 'bomb-declared.ckpt',
    build: () => zipWithEntry('bomb/data.pkl', 8, deflateBomb(), 2 ** 30),
    expect: /data\.pkl declares 1073741824 bytes/,
  },
  {
    label: 'a 411-byte-class ckpt: a [16384, 16384] stride-0 view of 4 bytes',
    name: 'stride0.ckpt',
    build: () => zipArchive([{ name: 'r/data.pkl', data: stateDictPickle(tensor([16384, 16384], [0, 0])) }, { name: 'r/data/0', data: floats([1]) }]),
    expect: /tensor "w": strides \[0, 0\] make elements overlap/,
  },
  {
    label: 'an overlapping view (stride 1 over a 2-D shape)',
    name: 'overlap.ckpt',
    build: () => zipArchive([{ name: 'r/data.pkl', data: stateDictPickle(tensor([4, 4], [1, 1], 16)) }, { name: 'r/data/0', data: floats(new Array(16).fill(1)) }]),
    expect: /make elements overlap/,
  },
  {
    label: 'a negative shape',
    name: 'negative.ckpt',
    build: () => zipArchive([{ name: 'r/data.pkl', data: stateDictPickle(tensor([-4, 1], [1, 1])) }, { name: 'r/data/0', data: floats([1]) }]),
    expect: /tensor "w": impossible shape \[-4, 1\]/,
  },
  {
    label: 'APPENDS of 500k items',
    name: 'appends.ckpt',
    build: () => {
      const items = Buffer.alloc(500_000 * 2);
      for (let i = 0; i < 500_000; i++) items.writeUInt16BE(0x4b00, i * 2); // BININT1 0
      return zipArchive([{ name: 'r/data.pkl', data: pickleOf(Buffer.from([0x5d]), P.mark, items, Buffer.from([0x65])) }]);
    },
    expect: /not a dict \(not a state dict\)/,
  },
  {
    label: 'a STORED entry claiming 3.75 GiB',
    name: 'stored-huge.ckpt',
    build: () => zipWithEntry('r/data.pkl', 0, pickleOf(P.emptyDict), 0xf0000000),
    expect: /stored entry r\/data\.pkl claims 4026531840 bytes but stores/,
  },
  {
    label: 'a legacy file whose storage claims 2^40 elements',
    name: 'legacy-huge.ckpt',
    build: () => {
      const file = legacyTorchSave([{ key: 'w', shape: [2], data: Float32Array.from([1, 2]) }]);
      const at = file.length - 16; // the int64 count before the 8 data bytes
      file.writeBigInt64LE(2n ** 40n, at);
      return file;
    },
    expect: /storage 1000 claims 1099511627776 elements, more than the \d+-byte file holds/,
  },
  {
    label: 'a legacy file cut in its storages',
    name: 'legacy-cut.ckpt',
    build: () => legacyTorchSave([{ key: 'w', shape: [64], data: new Float32Array(64) }]).subarray(0, -100),
    expect: /truncated/,
  },
];

describe('hostile checkpoints are refused quickly, in bounded memory, naming the file', () => {
  const figures: string[] = [];
  afterAll(() => console.log(`hostile checkpoints (refusal time, peak RSS growth):\n${figures.join('\n')}`));

  for (const c of CASES) {
    it(c.label, () => {
      const file = path.join(tmp, c.name);
      fs.writeFileSync(file, c.build());
      const outcome = openInChild(file);
      figures.push(`  ${c.name.padEnd(20)} ${fs.statSync(file).size} bytes  ${outcome.ms.toFixed(1)} ms  +${outcome.peakRssGrowthMiB.toFixed(1)} MiB  ${outcome.message}`);
      expect(outcome.ok).toBe(false);
      expect(outcome.code).toBe('model_invalid');
      expect(outcome.message).toContain(file);
      expect(outcome.message).toMatch(c.expect);
      expect(outcome.ms).toBeLessThan(1000);
      expect(outcome.peakRssGrowthMiB).toBeLessThan(64);
    });
  }
});
