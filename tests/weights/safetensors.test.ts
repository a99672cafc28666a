import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSafetensors, readSafetensorsFile, writeSafetensors } from '../../src/main/compiler/weights/safetensors';
import { halfToFloat } from '../../src/main/compiler/weights/dtypes';
import { StudioFailure } from '../../src/shared/result';

const TINY = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Builds a raw safetensors file from a header object and a data blob. */
function rawFile(name: string, header: unknown, data: Uint8Array, headerLengthOverride?: bigint): string {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(headerLengthOverride ?? BigInt(json.length));
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.concat([len, json, data]));
  return file;
}

function expectFailure(fn: () => unknown, pattern: RegExp): StudioFailure {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StudioFailure);
    expect((error as Error).message).toMatch(pattern);
    return error as StudioFailure;
  }
  throw new Error('expected a failure');
}

describe('safetensors', () => {
  it('reads the fixture text embedding [1, 77, 32] lazily', () => {
    const source = openSafetensors(path.join(TINY, 'text_embedding.safetensors'));
    expect(source.keys()).toEqual(['text_embedding']);
    expect(source.shape('text_embedding')).toEqual([1, 77, 32]);
    const values = source.take('text_embedding', [1, 77, 32]).read();
    expect(values.length).toBe(77 * 32);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.1); // README: N(0, 1)
    expect(variance).toBeGreaterThan(0.8);
    expect(variance).toBeLessThan(1.2);
    expect([...source.usedKeys()]).toEqual(['text_embedding']);
  });

  it('names file and key for a missing or mis-shaped weight', () => {
    const file = path.join(TINY, 'sd-vae-ft-mse/diffusion_pytorch_model.safetensors');
    const source = openSafetensors(file);
    expect(source.metadata).toEqual({ format: 'pt' });
    expectFailure(() => source.take('nope.weight', [1]), /diffusion_pytorch_model\.safetensors: missing weight "nope\.weight"/);
    const key = source.keys()[0];
    expectFailure(() => source.take(key, [7, 7]), new RegExp(`"${key.replace(/\./g, '\\.')}" has shape .* expected \\[7, 7\\]`));
  });

  it('round-trips a write, widening F16 and BF16 on read', () => {
    const file = path.join(tmp, 'roundtrip.safetensors');
    const a = { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-3, -7]) };
    writeSafetensors(file, { b_second: a, a_first: { shape: [1], data: Float32Array.of(42) } }, { note: 'x' });
    const back = readSafetensorsFile(file);
    expect([...back.keys()]).toEqual(['a_first', 'b_second']);
    expect(back.get('b_second')).toEqual(a);
    expect(openSafetensors(file).metadata).toEqual({ note: 'x' });
    expect((fs.readFileSync(file).readBigUInt64LE(0) + 8n) % 8n).toBe(0n);
    expect(fs.readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const half = new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7bff]); // 1, -2, smallest subnormal, 65504
    const bf = new Uint16Array([0x3f80, 0xc040]); // 1, -3
    const f16 = rawFile('f16.safetensors', { h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] } },
      Buffer.concat([Buffer.from(half.buffer), Buffer.from(bf.buffer)]));
    const read = readSafetensorsFile(f16);
    expect([...read.get('h')!.data]).toEqual([1, -2, 2 ** -24, 65504]);
    expect([...read.get('b')!.data]).toEqual([1, -3]);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
  });

  it('rejects truncated and corrupt files with clear errors', () => {
    const good = { t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } };
    expectFailure(() => openSafetensors(rawFile('short.safetensors', good, new Uint8Array(8))), /short\.safetensors: tensor "t": data ends at 16 .*\(truncated/);
    expectFailure(() => openSafetensors(rawFile('huge.safetensors', good, new Uint8Array(16), 1n << 40n)), /header length \d+ is too large/);
    expectFailure(() => openSafetensors(rawFile('over.safetensors', good, new Uint8Array(16), 5000n)), /does not fit .*\(truncated/);
    const bad = path.join(tmp, 'bad.safetensors');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from([5, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{oops')]));
    expectFailure(() => openSafetensors(bad), /bad\.safetensors: header is not valid JSON/);
    expectFailure(() => openSafetensors(rawFile('i64.safetensors', { t: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8))), /"t": unsupported dtype "C64"/);
    expectFailure(() => openSafetensors(rawFile('span.safetensors', { t: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, new Uint8Array(16))), /span 16 bytes, .* need 12/);
    fs.writeFileSync(path.join(tmp, 'tiny.safetensors'), Buffer.from([1, 2]));
    expectFailure(() => openSafetensors(path.join(tmp, 'tiny.safetensors')), /only 2 bytes/);
    expect(expectFailure(() => openSafetensors(path.join(tmp, 'absent.safetensors')), /cannot open/).code).toBe('model_missing');
  });

  it('fails a lazy read clearly when the file shrank after opening', () => {
    const file = path.join(tmp, 'shrink.safetensors');
    writeSafetensors(file, { t: { shape: [8], data: new Float32Array(8) } });
    const source = openSafetensors(file);
    fs.truncateSync(file, fs.statSync(file).size - 4);
    expectFailure(() => source.take('t', [8]).read(), /shrink\.safetensors: file is truncated while reading tensor "t"/);
  });
});
