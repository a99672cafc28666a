import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentedSource, unet3dSource } from '../../src/main/compiler/weights/overlay';
import { TableSource } from '../../src/main/compiler/weights/tableSource';
import { openTorchZip } from '../../src/main/compiler/weights/torchZip';

const TINY = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny');
const BIN = path.join(TINY, 'stable-diffusion-v1-5/unet/diffusion_pytorch_model.bin');
const CKPT = path.join(TINY, 'MagicAnimate/temporal_attention/temporal_attention.ckpt');
const MOTION_KEY = 'down_blocks.0.motion_modules.0.temporal_transformer.proj_in.weight';

const table = (name: string, entries: Record<string, number>) =>
  new TableSource(name, new Map(Object.entries(entries).map(([k, v]) => [k, { shape: [1], read: () => Float32Array.of(v) }])));

describe('unet3dSource', () => {
  it('takes every weight of the full tiny ckpt from the ckpt, none from the .bin', () => {
    const bin = openTorchZip(BIN);
    const ckpt = openTorchZip(CKPT);
    const source = unet3dSource(bin, ckpt);
    expect(source.keys()).toHaveLength(1244);
    const fromSource = source.take('conv_in.weight', [32, 4, 3, 3]).read();
    expect(fromSource).toEqual(openTorchZip(CKPT).take('conv_in.weight', [32, 4, 3, 3]).read());
    expect(source.shape(MOTION_KEY)).toEqual(ckpt.shape(MOTION_KEY));
    expect(bin.usedKeys().size).toBe(0);
  });

  it('falls back to the .bin for spatial keys of a motion-only ckpt, stripping unet. prefixes', () => {
    const bin = table('sd15.bin', { 'conv_in.weight': 1, 'conv_out.weight': 2 });
    const ckpt = table('mm.ckpt', { [`unet.${MOTION_KEY}`]: 3, 'unet.conv_in.weight': 99, 'optimizer.step': 5 });
    const source = unet3dSource(bin, ckpt);
    expect([...source.take(MOTION_KEY, [1]).read()]).toEqual([3]);
    // The loader's fallback keeps only motion keys, so the prefixed spatial copy is ignored.
    expect([...source.take('conv_in.weight', [1]).read()]).toEqual([1]);
    expect(source.has('optimizer.step')).toBe(false);
    expect(() => source.take('nowhere.weight', [1])).toThrow(/mm\.ckpt: missing weight "nowhere\.weight"/);
  });

  it('lets a plain motion-only ckpt override nothing but its own keys', () => {
    const source = unet3dSource(table('bin', { 'conv_in.weight': 1 }), table('ckpt', { [MOTION_KEY]: 4 }));
    expect([...source.take('conv_in.weight', [1]).read()]).toEqual([1]);
    expect([...source.take(MOTION_KEY, [1]).read()]).toEqual([4]);
  });

  it('refuses a ckpt without motion modules', () => {
    expect(() => unet3dSource(openTorchZip(BIN), openTorchZip(BIN))).toThrow(/holds no motion_modules weights/);
  });
});

describe('instrumentedSource', () => {
  it('reports each read and can stop before one', () => {
    const seen: string[] = [];
    let stop = false;
    const source = instrumentedSource(table('t', { a: 1, b: 2 }), (e) => seen.push(`${e.index}:${e.key}`), () => {
      if (stop) throw new Error('stopped');
    });
    const a = source.take('a', [1]);
    const b = source.take('b', [1]);
    a.read();
    stop = true;
    expect(() => b.read()).toThrow('stopped');
    expect(seen).toEqual(['0:a']);
    expect([...source.usedKeys()]).toEqual(['a', 'b']);
  });
});
