import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTorchZip } from '../../src/main/compiler/weights/torchZip';
import { openSafetensors } from '../../src/main/compiler/weights/safetensors';
import { StudioFailure } from '../../src/shared/result';
import { P, floats, stateDictPickle, zipArchive, type ZipInput } from './torchZipFixtures';

const TINY = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny');
const UNET_BIN = path.join(TINY, 'stable-diffusion-v1-5/unet/diffusion_pytorch_model.bin');
const CKPT = path.join(TINY, 'MagicAnimate/temporal_attention/temporal_attention.ckpt');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tz-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, entries: ZipInput[], zip64 = false): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, zipArchive(entries, zip64));
  return file;
}

function failure(fn: () => unknown): StudioFailure {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StudioFailure);
    return error as StudioFailure;
  }
  throw new Error('expected a failure');
}

const allFinite = (values: Float32Array): boolean => values.every((v) => Number.isFinite(v));

describe('torch zip fixtures', () => {
  it('reads the tiny SD1.5 unet .bin: 684 keys with the tiny config shapes', () => {
    const source = openTorchZip(UNET_BIN);
    expect(source.keys()).toHaveLength(684);
    expect(source.shape('conv_in.weight')).toEqual([32, 4, 3, 3]);
    expect(source.shape('time_embedding.linear_1.weight')).toEqual([128, 32]);
    expect(source.shape('down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight')).toEqual([32, 32]);
    expect(source.shape('mid_block.resnets.0.conv1.weight')).toEqual([64, 64, 3, 3]);
    expect(source.shape('conv_out.weight')).toEqual([4, 32, 3, 3]);
    const values = source.take('conv_in.weight', [32, 4, 3, 3]).read();
    expect(allFinite(values)).toBe(true);
    // README: N(0,1)/sqrt(fan_in), fan_in = 36 → std ≈ 1/6.
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.12);
    expect(std).toBeLessThan(0.22);
  });

  it('reads the tiny temporal_attention.ckpt: 1244 keys, 40 pos_encoder.pe buffers, spatial weights unlike the .bin', () => {
    const ckpt = openTorchZip(CKPT);
    const bin = openTorchZip(UNET_BIN);
    const keys = ckpt.keys();
    expect(keys).toHaveLength(1244);
    expect(keys.filter((k) => k.includes('.motion_modules.'))).toHaveLength(560);
    const pe = keys.filter((k) => k.endsWith('pos_encoder.pe'));
    expect(pe).toHaveLength(40);
    expect(ckpt.shape('down_blocks.0.motion_modules.0.temporal_transformer.transformer_blocks.0.attention_blocks.0.pos_encoder.pe')).toEqual([1, 24, 32]);
    // The sinusoidal buffer: pe[0, p, 0] = sin(p), pe[0, p, 1] = cos(p).
    const buffer = ckpt.take(pe[0], ckpt.shape(pe[0]) ?? []).read();
    const channels = (ckpt.shape(pe[0]) ?? [])[2];
    expect(buffer[3 * channels]).toBeCloseTo(Math.sin(3), 6);
    expect(buffer[3 * channels + 1]).toBeCloseTo(Math.cos(3), 6);
    const spatial = keys.filter((k) => !k.includes('.motion_modules.'));
    expect(new Set(spatial)).toEqual(new Set(bin.keys()));
    const a = ckpt.take('conv_in.weight', [32, 4, 3, 3]).read();
    const b = bin.take('conv_in.weight', [32, 4, 3, 3]).read();
    expect(allFinite(a)).toBe(true);
    expect(a.some((v, i) => v !== b[i])).toBe(true);
  });

  it('the safetensors fixtures and the zip reader agree on the shared config (ControlNet conv_in)', () => {
    const controlnet = openSafetensors(path.join(TINY, 'MagicAnimate/densepose_controlnet/diffusion_pytorch_model.safetensors'));
    expect(controlnet.shape('conv_in.weight')).toEqual(openTorchZip(UNET_BIN).shape('conv_in.weight'));
  });
});

describe('torch zip layouts', () => {
  const tensors = [
    { key: 'module.a.weight', storageKey: '0', numel: 6, shape: [2, 3], stride: [3, 1] },
    { key: 'module.b.t', storageKey: '0', numel: 6, shape: [3, 2], stride: [1, 3] }, // a transposed view
    { key: 'module.c.bias', storageKey: '1', numel: 4, offset: 1, shape: [2], stride: [1] },
  ];
  const data = (root: string, deflate = false): ZipInput[] => [
    { name: `${root}/data.pkl`, data: stateDictPickle(tensors, true), deflate },
    { name: `${root}/data/0`, data: floats([0, 1, 2, 3, 4, 5]), deflate },
    { name: `${root}/data/1`, data: floats([9, 10, 11, 12]) },
    { name: `${root}/version`, data: Buffer.from('3\n') },
  ];

  for (const [label, entries, zip64] of [
    ['stored, root "archive"', data('archive'), false],
    ['deflated, zip64 records', data('weights', true), true],
  ] as const) {
    it(`unwraps state_dict, strips module. and reads views (${label})`, () => {
      const source = openTorchZip(write(`${label.length}.ckpt`, [...entries], zip64));
      expect(source.keys()).toEqual(['a.weight', 'b.t', 'c.bias']);
      expect([...source.take('a.weight', [2, 3]).read()]).toEqual([0, 1, 2, 3, 4, 5]);
      expect([...source.take('b.t', [3, 2]).read()]).toEqual([0, 3, 1, 4, 2, 5]);
      expect([...source.take('c.bias', [2]).read()]).toEqual([10, 11]);
    });
  }

  it('widens HalfStorage', () => {
    const half = Buffer.from(new Uint16Array([0x3c00, 0xc400]).buffer); // 1, -4
    const pkl = stateDictPickle([{ key: 'h', storageKey: '0', storageType: 'HalfStorage', numel: 2, shape: [2], stride: [1] }]);
    const source = openTorchZip(write('half.bin', [{ name: 'x/data.pkl', data: pkl }, { name: 'x/data/0', data: half }]));
    expect([...source.take('h', [2]).read()]).toEqual([1, -4]);
  });
});

describe('torch zip refusals', () => {
  const one = [{ key: 'w', storageKey: '0', numel: 4, shape: [4], stride: [1] }];

  it('refuses a pickle that calls os.system, naming the global', () => {
    const evil = Buffer.concat([P.proto, P.global('os', 'system'), P.mark, P.str('echo pwned'), P.tuple, P.reduce, P.stop]);
    const error = failure(() => openTorchZip(write('evil.ckpt', [{ name: 'evil/data.pkl', data: evil }])));
    expect(error.message).toMatch(/evil\.ckpt: refusing pickle global os\.system/);
    expect(error.code).toBe('model_invalid');
  });

  it('refuses opcodes torch never writes (INST, NEWOBJ) and a REDUCE on a storage class', () => {
    const inst = Buffer.concat([P.proto, Buffer.from('(ios\nsystem\n'), P.stop]);
    expect(failure(() => openTorchZip(write('inst.ckpt', [{ name: 'r/data.pkl', data: inst }]))).message).toMatch(/refusing pickle opcode 0x69 at byte 3/);
    const newobj = Buffer.concat([P.proto, P.global('collections', 'OrderedDict'), P.emptyTuple, Buffer.from([0x81]), P.stop]);
    expect(failure(() => openTorchZip(write('newobj.ckpt', [{ name: 'r/data.pkl', data: newobj }]))).message).toMatch(/refusing pickle opcode 0x81/);
    const call = Buffer.concat([P.proto, P.global('torch', 'FloatStorage'), P.emptyTuple, P.reduce, P.stop]);
    expect(failure(() => openTorchZip(write('call.ckpt', [{ name: 'r/data.pkl', data: call }]))).message).toMatch(/refusing to call torch\.FloatStorage/);
  });

  it('reports a truncated pickle, a missing storage and a short storage', () => {
    const pkl = stateDictPickle(one);
    expect(failure(() => openTorchZip(write('cut.ckpt', [{ name: 'r/data.pkl', data: pkl.subarray(0, 40) }]))).message).toMatch(/pickle data ends early/);
    expect(failure(() => openTorchZip(write('nostore.ckpt', [{ name: 'r/data.pkl', data: pkl }]))).message)
      .toMatch(/nostore\.ckpt: tensor "w": its storage r\/data\/0 is missing/);
    expect(failure(() => openTorchZip(write('short.ckpt', [{ name: 'r/data.pkl', data: pkl }, { name: 'r/data/0', data: floats([1]) }]))).message)
      .toMatch(/tensor "w": needs 16 bytes of its storage, which holds 4/);
  });

  it('reports a truncated archive, a non-zip file and a zip without data.pkl', () => {
    const whole = zipArchive([{ name: 'r/data.pkl', data: stateDictPickle(one) }, { name: 'r/data/0', data: floats([1, 2, 3, 4]) }]);
    const cut = path.join(tmp, 'cut.bin');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 30));
    expect(failure(() => openTorchZip(cut)).message).toMatch(/cut\.bin: not a zip archive, or truncated/);
    const text = path.join(tmp, 'text.bin');
    fs.writeFileSync(text, 'hello, this is not a checkpoint at all');
    expect(failure(() => openTorchZip(text)).message).toMatch(/text\.bin: not a zip archive/);
    expect(failure(() => openTorchZip(write('empty.bin', [{ name: 'r/other', data: floats([1]) }]))).message).toMatch(/expected one <root>\/data\.pkl/);
    expect(failure(() => openTorchZip(path.join(tmp, 'absent.bin'))).code).toBe('model_missing');
  });
});
