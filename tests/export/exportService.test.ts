// The export service on fake render jobs: job folders made with JobFolder and frames made by
// ffmpeg's lavfi sources (what a finished render leaves on disk), exported with real ffmpeg and
// checked with ffprobe.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobFolder } from '../../src/main/engine/job';
import { probeMedia } from '../../src/main/media/probe';
import { dataPaths } from '../../src/main/paths';
import { ExportService } from '../../src/main/services/exportService';
import type { RequestOf, StudioEvent } from '../../src/shared/contract';
import { defaultRenderParams, type RenderParams } from '../../src/shared/renderParams';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mas-export-'));
const dataDir = path.join(tmp, 'data');
const media = path.join(tmp, 'media');
const outDir = path.join(tmp, 'out');
const events: StudioEvent[] = [];
const revealed: string[] = [];
const service = new ExportService({ dataDir, emit: (e) => events.push(e), ffmpeg: { bin: 'ffmpeg', version: null }, ffprobeBin: 'ffprobe', revealItem: (f) => void revealed.push(f) });

function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', '-threads', '1', ...args]);
}
const lavfi = (graph: string) => ['-f', 'lavfi', '-i', graph];

const files = {
  tone: path.join(media, 'tone.wav'),
  reference: path.join(media, 'reference.png'),
  /** Frames 0–9 blue, 10–49 yellow, with a tone: shows which clip frame the grid picked. */
  motion: path.join(media, 'motion.mp4'),
  silentMotion: path.join(media, 'silent.mp4'),
};

function makeJob(o: { frames: number; size: number; source: string; params?: Partial<RenderParams>; motion?: string }): JobFolder {
  const job = JobFolder.create(dataPaths(dataDir).jobs, {
    params: defaultRenderParams({ width: o.size, height: o.size, ...o.params }),
    inputs: { motionPath: o.motion ?? files.motion, referencePath: files.reference },
    fps: 25,
    options: { bankPrecision: 'fp32' },
  });
  ffmpeg(...lavfi(`${o.source}${o.source.includes('=') ? ':' : '='}size=${o.size}x${o.size}:rate=25`), '-frames:v', String(o.frames), '-start_number', '0', path.join(job.dir, 'final', '%06d.png'));
  job.update({ status: 'success', frameCount: o.frames });
  return job;
}

let testsrcJob: JobFolder;
let gridJob: JobFolder;

beforeAll(() => {
  for (const dir of [media, outDir]) mkdirSync(dir, { recursive: true });
  ffmpeg(...lavfi('sine=frequency=440:duration=3'), files.tone);
  ffmpeg(...lavfi('color=c=red:s=200x100'), '-frames:v', '1', files.reference);
  ffmpeg(
    ...lavfi('color=c=blue:s=128x128:r=25:d=0.4'), ...lavfi('color=c=yellow:s=128x128:r=25:d=1.6'), ...lavfi('sine=frequency=300:duration=2'),
    '-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-map', '2:a', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', files.motion,
  );
  ffmpeg(...lavfi('color=c=blue:s=128x128:r=25:d=1'), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', files.silentMotion);
  testsrcJob = makeJob({ frames: 30, size: 128, source: 'testsrc' });
  // Rendered from clip frame 8 on: export frame 2 is clip frame 10, the first yellow one.
  gridJob = makeJob({ frames: 20, size: 128, source: 'color=c=green', params: { range: { start: 8, end: 28 } } });
});
afterAll(() => {
  service.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

type Done = Extract<StudioEvent, { type: 'export.done' }>;
type Progress = Extract<StudioEvent, { type: 'export.progress' }>;
const eventsOf = (id: string) => events.filter((e) => 'exportId' in e && e.exportId === id);

async function exportAndWait(input: RequestOf<'export.start'>): Promise<{ done: Done; progress: Progress[] }> {
  const { exportId } = await service.start(input);
  await expect.poll(() => eventsOf(exportId).some((e) => e.type === 'export.done'), { timeout: 60_000, interval: 50 }).toBe(true);
  const mine = eventsOf(exportId);
  expect(mine.filter((e) => e.type === 'export.done')).toHaveLength(1);
  expect(mine.at(-1)?.type).toBe('export.done'); // nothing after done
  return { done: mine.at(-1) as Done, progress: mine.filter((e): e is Progress => e.type === 'export.progress') };
}

/** RGB of pixel (x, y) of frame 0. */
function pixel(file: string, x: number, y: number): number[] {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `format=rgb24,crop=1:1:${x}:${y}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  return [...out];
}
const near = (actual: number[], expected: number[], tolerance = 24) => actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);

const base = { fps: 25, audio: { source: 'none' as const } };

describe('export service', () => {
  it('exports a frame range to mp4 with an added audio file, with progress and one done', async () => {
    const outPath = path.join(outDir, 'result.mp4');
    const { done, progress } = await exportAndWait({ ...base, jobId: testsrcJob.id, format: 'mp4', outPath, range: { start: 5, end: 25 }, audio: { source: 'file', path: files.tone } });
    expect(done).toMatchObject({ status: 'success', path: outPath });
    const info = (await probeMedia('ffprobe', outPath)).info;
    expect(info).toMatchObject({ frameCount: 20, width: 128, height: 128, hasAudio: true, audioCodec: 'aac' });
    expect(info.fps).toBeCloseTo(25, 6);
    expect(info.durationSec).toBeCloseTo(0.8, 1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => p.frame)).toEqual([...progress.map((p) => p.frame)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ frame: 20, total: 20 });
    for (const p of progress) expect(p.etaSec === null || p.etaSec >= 0).toBe(true);
    expect(readdirSync(outDir).filter((n) => n.includes('.partial'))).toEqual([]);
  });

  it('composes the grid: reference | DensePose | result, each cell at the output size', async () => {
    const outPath = path.join(outDir, 'grid.mp4');
    const { done } = await exportAndWait({ ...base, jobId: gridJob.id, format: 'mp4', outPath, range: { start: 2, end: 12 }, layout: 'grid', size: '64x64' });
    expect(done.status).toBe('success');
    const info = (await probeMedia('ffprobe', outPath)).info;
    expect(info).toMatchObject({ width: 192, height: 64, frameCount: 10, hasAudio: false });
    const cells = { reference: pixel(outPath, 32, 32), pose: pixel(outPath, 96, 32), result: pixel(outPath, 160, 32) };
    console.log(`grid cell centres: ${JSON.stringify(cells)}`);
    expect(near(cells.reference, [255, 0, 0])).toBe(true);
    expect(near(cells.pose, [255, 255, 0])).toBe(true); // clip frame 8 + 2 = 10: yellow, not blue
    expect(near(cells.result, [0, 128, 0])).toBe(true);
    // The reference is 2:1, fitted with bars ('pad', the render's fit): the cell's top row is a bar.
    expect(near(pixel(outPath, 32, 2), [0, 0, 0])).toBe(true);
  });

  it('grid cells default to the render size, and the motion clip can supply the audio', async () => {
    const outPath = path.join(outDir, 'grid-full.webm');
    const { done } = await exportAndWait({ ...base, jobId: gridJob.id, format: 'webm', outPath, range: { start: 0, end: 8 }, layout: 'grid', audio: { source: 'motion' } });
    expect(done.status).toBe('success');
    const info = (await probeMedia('ffprobe', outPath)).info;
    expect(info).toMatchObject({ width: 384, height: 128, frameCount: 8, hasAudio: true });
  });

  it('scales the result layout to the asked size', async () => {
    const outPath = path.join(outDir, 'small.gif');
    await exportAndWait({ ...base, jobId: testsrcJob.id, format: 'gif', outPath, range: { start: 0, end: 6 }, size: '96x64' });
    expect((await probeMedia('ffprobe', outPath)).info).toMatchObject({ width: 96, height: 64, frameCount: 6 });
  });

  it('cancel kills ffmpeg mid-export and leaves nothing under the final name', async () => {
    const long = makeJob({ frames: 240, size: 256, source: 'testsrc' });
    const outPath = path.join(outDir, 'cancelled.webm');
    const { exportId } = await service.start({ ...base, jobId: long.id, format: 'webm', outPath, range: { start: 0, end: 240 } });
    await expect.poll(() => eventsOf(exportId).length > 0, { timeout: 30_000, interval: 10 }).toBe(true);
    expect(eventsOf(exportId)[0].type).toBe('export.progress'); // still running when cancelled
    expect(service.cancel({ exportId })).toEqual({ cancelled: true });
    await expect.poll(() => eventsOf(exportId).some((e) => e.type === 'export.done'), { timeout: 30_000, interval: 20 }).toBe(true);
    const seen = eventsOf(exportId).length;
    expect(eventsOf(exportId).at(-1)).toMatchObject({ type: 'export.done', status: 'aborted', error: { code: 'cancelled' } });
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(outDir).filter((n) => n.includes('.partial'))).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsOf(exportId)).toHaveLength(seen); // nothing after done
    expect(service.cancel({ exportId })).toEqual({ cancelled: false });
  });

  it('refuses clearly before starting: unknown job, unrendered frames, no audio track', async () => {
    const outPath = path.join(outDir, 'never.mp4');
    const before = events.length;
    await expect(service.start({ ...base, jobId: 'no-such-job', format: 'mp4', outPath, range: { start: 0, end: 5 } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.start({ ...base, jobId: testsrcJob.id, format: 'mp4', outPath, range: { start: 25, end: 40 } })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/Frames 30–39 of 30 .* not rendered yet/),
    });
    const silent = makeJob({ frames: 4, size: 64, source: 'testsrc', motion: files.silentMotion });
    await expect(service.start({ ...base, jobId: silent.id, format: 'mp4', outPath, range: { start: 0, end: 4 }, audio: { source: 'motion' } })).rejects.toMatchObject({
      code: 'unsupported_media',
      message: expect.stringMatching(/motion clip has no audio/),
    });
    expect(events.length).toBe(before); // a refused export emits nothing
    expect(existsSync(outPath)).toBe(false);
  });

  it('puts a bare file name into <dataDir>/exports and reveals only exported files', async () => {
    const { done } = await exportAndWait({ ...base, jobId: testsrcJob.id, format: 'png', outPath: 'frames', range: { start: 0, end: 3 } });
    const folder = path.join(dataDir, 'exports', 'frames');
    expect(done.path).toBe(folder);
    expect(readdirSync(folder).sort()).toEqual(['.magicanimate-export.json', '000000.png', '000001.png', '000002.png']); // frames + the app's marker
    await expect(service.showItem({ path: folder })).resolves.toEqual({ shown: true });
    expect(revealed).toEqual([folder]);
    await expect(service.showItem({ path: '/etc/passwd' })).rejects.toMatchObject({ code: 'invalid_request' });
    const headless = new ExportService({ dataDir, emit: () => undefined, ffmpeg: null, ffprobeBin: null, revealItem: null });
    await expect(headless.showItem({ path: folder })).rejects.toMatchObject({ code: 'not_available' });
    await expect(headless.start({ ...base, jobId: testsrcJob.id, format: 'mp4', outPath: 'x.mp4', range: { start: 0, end: 2 } })).rejects.toMatchObject({ code: 'not_available' });
  });
});
