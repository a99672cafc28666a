// The PPM frame stream that carries native-size frames from ffmpeg (media/nativeFrames.ts).
import { describe, expect, it } from 'vitest';
import { readNativeVideoFrames, slicePpmFrames } from '../../src/main/media/nativeFrames';
import { build, tempDir } from './corpus';

function ppm(width: number, height: number, fill: number): Uint8Array {
  const head = new TextEncoder().encode(`P6\n${width} ${height}\n255\n`);
  const out = new Uint8Array(head.length + width * height * 3).fill(fill);
  out.set(head);
  return out;
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('slicePpmFrames', () => {
  const stream = new Uint8Array([...ppm(3, 2, 7), ...ppm(1, 4, 9), ...ppm(2, 2, 200)]);

  it('cuts frames of different sizes, whatever the chunk boundaries', async () => {
    for (const size of [1, 2, 5, 13, 17, 64, stream.length]) {
      const frames = await collect(slicePpmFrames(chunked(stream, size)));
      expect(frames.map((f) => [f.width, f.height, f.pixels.length, f.pixels[0]])).toEqual([
        [3, 2, 18, 7], [1, 4, 12, 9], [2, 2, 12, 200],
      ]);
    }
  });

  it('refuses a truncated frame and a stream that is not PPM', async () => {
    await expect(collect(slicePpmFrames(chunked(stream.subarray(0, stream.length - 1), 7)))).rejects.toThrow(/ended mid-frame/);
    await expect(collect(slicePpmFrames(chunked(new TextEncoder().encode('GIF89a……'), 4)))).rejects.toThrow(/unexpected frame header/);
    const huge = new TextEncoder().encode('P6\n90000 90000\n255\n');
    await expect(collect(slicePpmFrames(chunked(huge, 64)))).rejects.toThrow(/90000×90000/);
  });
});

describe('readNativeVideoFrames', () => {
  const tmp = tempDir('native');
  it('streams an odd-sized clip at its own size, honouring start/count', async () => {
    const file = build.oddSize(tmp.dir);
    const all = await collect(readNativeVideoFrames({ bin: 'ffmpeg', version: null }, file));
    expect(all.length).toBeGreaterThan(2);
    const some = await collect(readNativeVideoFrames({ bin: 'ffmpeg', version: null }, file, { start: 1, count: 2 }));
    expect(some).toHaveLength(2);
    expect(some[0].pixels).toEqual(all[1].pixels);
    expect([all[0].width, all[0].height, all[0].pixels.length]).toEqual([67, 45, 67 * 45 * 3]);
    tmp.cleanup();
  });
});
