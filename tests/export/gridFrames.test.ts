// The grid export frame by frame: every panel of every exported frame is decoded and compared with
// its source (reference still, motion clip frame motionStart + n, render frame n). Each source frame
// carries its own index as 8 black/white stripes (bit k in columns 8k…8k+7), so a dropped, repeated
// or shifted frame shows as a wrong index, not only as a count; the pixels are compared too.
// Real ffmpeg on both sides; the clips use mp4's usual 1/12800 time base, where the old retiming
// (setpts=N/fps/TB) rounded timestamps and the encoder dropped and repeated frames.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobFolder } from '../../src/main/engine/job';
import { dataPaths } from '../../src/main/paths';
import { ExportService } from '../../src/main/services/exportService';
import type { ExportFormat, RequestOf, StudioEvent } from '../../src/shared/contract';
import { defaultRenderParams } from '../../src/shared/renderParams';

const CELL = 64;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mas-grid-frames-'));
const dataDir = path.join(tmp, 'data');
const media = path.join(tmp, 'media');
const events: StudioEvent[] = [];
const service = new ExportService({
  dataDir,
  emit: (e) => events.push(e),
  ffmpeg: { bin: 'ffmpeg', version: null },
  ffprobeBin: 'ffprobe',
  revealItem: null,
});

const ffmpeg = (...args: string[]) =>
  execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', '-threads', '1', ...args]);
/** Frames whose stripes spell N + offset in binary. */
const indexed = (rate: number, offset: number) =>
  `nullsrc=s=${CELL}x${CELL}:r=${rate},format=gray,` +
  `geq=lum='255*gt(bitand(N+${offset},pow(2,floor(X/8))),0)',format=rgb24`;

/** Decodes a video (or a %06d.png sequence) into RGB frames of width×height. */
function decode(file: string, width: number, height: number, before: string[] = []): Buffer[] {
  const args = ['-v', 'error', ...before, '-i', file, '-fps_mode', 'passthrough'];
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24');
  const raw = execFileSync('ffmpeg', [...args, 'pipe:1'], { maxBuffer: 1 << 30 });
  const size = width * height * 3;
  return Array.from({ length: raw.length / size }, (_, i) => raw.subarray(i * size, (i + 1) * size));
}

/** The CELL×CELL panel `col` (0 reference, 1 DensePose, 2 result) of a 3·CELL-wide grid frame. */
function panel(frame: Buffer, col: number): Buffer {
  const out = Buffer.alloc(CELL * CELL * 3);
  const row = (y: number, c: number) => (y * 3 * CELL + c * CELL) * 3;
  for (let y = 0; y < CELL; y++) frame.copy(out, y * CELL * 3, row(y, col), row(y, col + 1));
  return out;
}

/** The index a panel spells: the stripes' centres read at mid height. */
function readIndex(cell: Buffer): number {
  let n = 0;
  for (let bit = 0; bit < 8; bit++) if (cell[((CELL / 2) * CELL + bit * 8 + 4) * 3] > 127) n |= 1 << bit;
  return n;
}

const meanAbsDiff = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

interface Case {
  name: string;
  frames: number;
  clipFrames: number;
  clipFps: number;
  /** Where the render started in the clip. */
  renderStart: number;
  range: { start: number; end: number };
  format: ExportFormat;
}

const cases: Case[] = [
  {
    name: '100-frame take, 25 fps clip, mp4',
    frames: 100, clipFrames: 107, clipFps: 25, renderStart: 0, range: { start: 0, end: 100 }, format: 'mp4',
  },
  {
    name: '41-frame take from clip frame 1 of a 42-frame clip, webm',
    frames: 41, clipFrames: 42, clipFps: 25, renderStart: 1, range: { start: 0, end: 41 }, format: 'webm',
  },
  {
    name: 'a range of a take from a 29.97 fps clip, PNG frames',
    frames: 60, clipFrames: 80, clipFps: 29.97, renderStart: 7, range: { start: 13, end: 57 }, format: 'png',
  },
];

const reference = path.join(media, 'reference.png');

beforeAll(() => {
  mkdirSync(media, { recursive: true });
  // A still the same size as the cell, so the reference panel is the image itself.
  ffmpeg('-f', 'lavfi', '-i', `${indexed(1, 165)}`, '-frames:v', '1', reference);
});
afterAll(() => {
  service.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

async function exportAndWait(input: RequestOf<'export.start'>): Promise<string> {
  const { exportId } = await service.start(input);
  const done = () => events.find((e) => e.type === 'export.done' && e.exportId === exportId);
  await expect.poll(() => Boolean(done()), { timeout: 60_000, interval: 50 }).toBe(true);
  const event = done() as Extract<StudioEvent, { type: 'export.done' }>;
  expect(event.status, JSON.stringify(event.error)).toBe('success');
  return event.path as string;
}

describe('grid export, frame by frame', () => {
  it.each(cases)('$name: every panel of every frame is its own source frame', async (c) => {
    const clip = path.join(media, `clip-${c.clipFrames}-${c.clipFps}.mp4`);
    const x264 = ['-c:v', 'libx264', '-crf', '12', '-pix_fmt', 'yuv420p'];
    ffmpeg('-f', 'lavfi', '-i', indexed(c.clipFps, 0), '-frames:v', String(c.clipFrames), ...x264, clip);
    const job = JobFolder.create(dataPaths(dataDir).jobs, {
      params: defaultRenderParams({
        width: CELL,
        height: CELL,
        range: { start: c.renderStart, end: c.renderStart + c.frames },
      }),
      inputs: { motionPath: clip, referencePath: reference },
      fps: c.clipFps,
      options: { bankPrecision: 'fp32' },
    });
    // Render frame n spells n + 100, so it is never mistaken for a clip frame.
    const finalFrames = path.join(job.dir, 'final', '%06d.png');
    const fromZero = ['-start_number', '0'];
    ffmpeg('-f', 'lavfi', '-i', indexed(c.clipFps, 100), '-frames:v', String(c.frames), ...fromZero, finalFrames);
    job.update({ status: 'success', frameCount: c.frames });

    const ext = c.format === 'png' ? '' : `.${c.format}`;
    const out = await exportAndWait({
      jobId: job.id,
      format: c.format,
      outPath: path.join(tmp, `${c.format}-${c.frames}${ext}`),
      range: c.range,
      fps: c.clipFps,
      audio: { source: 'none' },
      layout: 'grid',
    });
    const exported =
      c.format === 'png' ? decode(path.join(out, '%06d.png'), 3 * CELL, CELL, fromZero) : decode(out, 3 * CELL, CELL);
    const sources = {
      reference: decode(reference, CELL, CELL)[0],
      clip: decode(clip, CELL, CELL),
      render: decode(finalFrames, CELL, CELL, fromZero),
    };
    const count = c.range.end - c.range.start;
    const expected = Array.from({ length: count }, (_, n) => ({
      pose: Math.min(c.renderStart + c.range.start + n, c.clipFrames - 1),
      result: c.range.start + n,
    }));
    const seen = exported.map((f) => ({ pose: readIndex(panel(f, 1)), result: readIndex(panel(f, 2)) - 100 }));
    expect(seen).toEqual(expected);
    const tolerance = c.format === 'png' ? 0 : 6; // lossless PNG is exact; mp4/webm within a few levels
    let worst = 0;
    exported.forEach((frame, n) => {
      const diffs = [
        meanAbsDiff(panel(frame, 0), sources.reference),
        meanAbsDiff(panel(frame, 1), sources.clip[expected[n].pose]),
        meanAbsDiff(panel(frame, 2), sources.render[expected[n].result]),
      ];
      worst = Math.max(worst, ...diffs);
      const shown = diffs.map((d) => d.toFixed(2)).join(', ');
      if (diffs.some((d) => d > tolerance)) throw new Error(`frame ${n}: panel mean |Δ| ${shown} > ${tolerance}`);
    });
    console.log(`${c.name}: ${exported.length} frames, worst panel mean |Δ| ${worst.toFixed(2)}`);
  });
});
