import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEncodeArgs, encodeFrames } from '../../src/main/media/encode';
import { etaSeconds, ProgressParser } from '../../src/main/media/progress';
import { probeMedia } from '../../src/main/media/probe';
import { build, ffmpeg, ffmpegFrameRgb, figureLine, imageRgb, meanAbsDiff, tempDir } from './corpus';

const ff = { bin: 'ffmpeg', version: null };
const tmp = tempDir('encode');
const frames = path.join(tmp.dir, 'frames');
const outDir = path.join(tmp.dir, 'out');
let tried = 0;

beforeAll(() => {
  mkdirSync(frames);
  mkdirSync(outDir);
  // Odd size on purpose: yuv420p outputs must come out even.
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=67x49:rate=10', '-frames:v', '24', '-start_number', '0', path.join(frames, '%06d.png'));
});
afterAll(() => {
  figureLine('encode', tried, 0);
  tmp.cleanup();
});

const leftovers = () => readdirSync(outDir).filter((n) => n.includes('.partial'));

describe('export encoders', () => {
  it.each(['mp4', 'webm', 'gif', 'png'] as const)('%s: exact frame range, audio trimmed, progress, atomic rename', async (format) => {
    tried += 1;
    const audio = build.audioOnly(tmp.dir);
    const outPath = path.join(outDir, `clip.${format}`);
    const progress: number[] = [];
    await encodeFrames(ff, { format, framesDir: frames, range: { start: 4, end: 14 }, fps: 10, audioPath: audio, outPath, onProgress: (f) => progress.push(f) });
    expect(progress.at(-1)).toBe(10);
    expect(leftovers()).toEqual([]);
    if (format === 'png') {
      expect(readdirSync(outPath).filter((n) => n.endsWith('.png'))).toHaveLength(10);
      expect(meanAbsDiff(imageRgb(path.join(outPath, '000000.png')), imageRgb(path.join(frames, '000004.png')))).toBe(0);
      return;
    }
    const info = (await probeMedia('ffprobe', outPath)).info;
    expect(info.frameCount).toBe(10);
    const even = format === 'gif' ? [67, 49] : [66, 48];
    expect([info.width, info.height]).toEqual(even);
    expect(info.hasAudio).toBe(format === 'mp4' || format === 'webm');
    if (info.hasAudio) expect(info.durationSec).toBeCloseTo(1, 1);
    // First exported frame is source frame 4 (compared on the common area, lossy codecs).
    const first = ffmpegFrameRgb(outPath, 0, even[0], even[1]);
    const source = new Uint8Array(ffmpeg('-i', path.join(frames, '000004.png'), '-vf', `crop=${even[0]}:${even[1]}:0:0`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'));
    const neighbour = new Uint8Array(ffmpeg('-i', path.join(frames, '000005.png'), '-vf', `crop=${even[0]}:${even[1]}:0:0`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'));
    expect(meanAbsDiff(first, source)).toBeLessThan(meanAbsDiff(first, neighbour));
  });

  it('abort kills ffmpeg and leaves neither a temp file nor the final file', async () => {
    tried += 1;
    const outPath = path.join(outDir, 'aborted.webm');
    const controller = new AbortController();
    const job = encodeFrames(ff, { format: 'webm', framesDir: frames, range: { start: 0, end: 24 }, fps: 10, outPath, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(outPath)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('a write that runs out of space gives disk_full and leaves no file under the final name', async () => {
    tried += 1;
    // NOTE: `ulimit -f` (in 512-byte blocks) makes the kernel stop ffmpeg with SIGXFSZ, like a full disk.
    const wrapper = path.join(tmp.dir, 'ffmpeg-small-disk.sh');
    writeFileSync(wrapper, '#!/bin/bash\nulimit -f 2\nexec ffmpeg "$@"\n', { mode: 0o755 });
    const outPath = path.join(outDir, 'full.mp4');
    const err = await encodeFrames({ bin: wrapper, version: null }, { format: 'mp4', framesDir: frames, range: { start: 0, end: 24 }, fps: 10, outPath }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/Free some space/) });
    expect(existsSync(outPath)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('rejects bad ranges, missing folders and missing frames clearly', async () => {
    tried += 3;
    const base = { format: 'mp4' as const, framesDir: frames, fps: 10, outPath: path.join(outDir, 'x.mp4') };
    await expect(encodeFrames(ff, { ...base, range: { start: 5, end: 5 } })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(encodeFrames(ff, { ...base, range: { start: 0, end: 2 }, outPath: path.join(tmp.dir, 'nope', 'x.mp4') })).rejects.toMatchObject({ code: 'not_found' });
    const missing = await encodeFrames(ff, { ...base, range: { start: 100, end: 110 } }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: expect.stringMatching(/not_found|io_error/) });
    expect(existsSync(base.outPath)).toBe(false);
  });

  it('builds arguments that trim audio to the range', () => {
    const args = buildEncodeArgs({ format: 'mp4', framesDir: '/f', range: { start: 25, end: 75 }, fps: 25, audioPath: '/a.wav', outPath: '/o.mp4' }, '/tmp.mp4');
    const joined = args.join(' ');
    expect(joined).toContain('-ss 1.000000 -t 2.000000 -i /a.wav');
    expect(joined).toContain('apad=whole_dur=2.000000');
    expect(joined).toContain('-start_number 25');
  });
});

describe('progress parser', () => {
  it('emits one snapshot per block and marks the end', () => {
    const parser = new ProgressParser();
    const lines = ['frame=3', 'out_time_us=120000', 'speed=2.5x', 'progress=continue', 'frame=10', 'out_time_us=N/A', 'speed=N/A', 'progress=end'];
    const snaps = lines.map((l) => parser.push(l)).filter((s) => s !== null);
    expect(snaps).toEqual([
      { frame: 3, outTimeSec: 0.12, speed: 2.5, done: false },
      { frame: 10, outTimeSec: null, speed: null, done: true },
    ]);
    expect(etaSeconds(2, 10, 30)).toBe(4);
    expect(etaSeconds(2, 0, 30)).toBeNull();
  });
});
