import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTorchCheckpoint } from '../../src/main/compiler/weights/torchFile';
import { openTorchZip } from '../../src/main/compiler/weights/torchZip';
import { StudioFailure } from '../../src/shared/result';
import { legacyTorchSave } from './torchLegacyWriter';

const LEGACY = path.join(__dirname, 'data/legacy.ckpt');
const EXPECTED = JSON.parse(fs.readFileSync(path.join(__dirname, 'data/legacy.expected.json'), 'utf8')) as Record<string, { shape: number[]; values: number[] }>;
const CKPT = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny/MagicAnimate/temporal_attention/temporal_attention.ckpt');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function failure(fn: () => unknown): StudioFailure {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StudioFailure);
    return error as StudioFailure;
  }
  throw new Error('expected a failure');
}

describe('legacy (pre-zip) torch.save files', () => {
  it('reads the file torch 1.13 wrote: state_dict wrapper, shared storage with offset, transposed view, fp16, 0-d int64', () => {
    const source = openTorchCheckpoint(LEGACY);
    expect(source.keys()).toEqual(Object.keys(EXPECTED));
    for (const [key, { shape, values }] of Object.entries(EXPECTED)) {
      expect(source.shape(key)).toEqual(shape);
      expect([...source.take(key, shape).read()]).toEqual(values.map(Math.fround));
    }
  });

  it('reads what the test writer makes (the writer is checked by torch.load) like the zip original', () => {
    const zip = openTorchZip(CKPT);
    const tensors = zip.keys().slice(0, 40).map((key) => {
      const shape = [...(zip.shape(key) ?? [])];
      return { key, shape, data: zip.take(key, shape).read() };
    });
    const file = path.join(tmp, 'converted.ckpt');
    fs.writeFileSync(file, legacyTorchSave(tensors, true));
    const legacy = openTorchCheckpoint(file);
    expect(legacy.keys()).toEqual(tensors.map((t) => t.key));
    for (const t of tensors) expect(legacy.take(t.key, t.shape).read()).toEqual(t.data);
  });

  it('refuses a wrong magic number, a big-endian file and a text file with clear messages', () => {
    const good = legacyTorchSave([{ key: 'w', shape: [1], data: Float32Array.from([1]) }]);
    const wrongMagic = Buffer.from(good);
    wrongMagic[4] ^= 0xff;
    fs.writeFileSync(path.join(tmp, 'magic.ckpt'), wrongMagic);
    expect(failure(() => openTorchCheckpoint(path.join(tmp, 'magic.ckpt'))).message).toMatch(/magic\.ckpt: not a torch\.save file \(wrong magic number\)/);
    const bigEndian = Buffer.from(good.toString('latin1').replace('little_endian\x88', 'little_endian\x89'), 'latin1');
    fs.writeFileSync(path.join(tmp, 'be.ckpt'), bigEndian);
    expect(failure(() => openTorchCheckpoint(path.join(tmp, 'be.ckpt'))).message).toMatch(/big-endian/);
    fs.writeFileSync(path.join(tmp, 'text.ckpt'), 'definitely not a checkpoint');
    const text = failure(() => openTorchCheckpoint(path.join(tmp, 'text.ckpt')));
    expect(text.code).toBe('model_invalid');
    expect(text.message).toMatch(/text\.ckpt: neither a torch\.save zip archive nor a legacy torch\.save file/);
  });
});
