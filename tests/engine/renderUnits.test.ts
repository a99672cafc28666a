// The render engine's small parts: CLI arguments, PNG round trips, frame-folder patterns, feed
// layouts for the UNet3D, the job folder and its frame-path confinement, and the worker host's
// crash handling with a worker that dies before it answers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRenderArgs, UsageError } from '../../src/main/cli/renderArgs';
import { sequencePattern } from '../../src/main/engine/inputs';
import { JobFolder } from '../../src/main/engine/job';
import { bankFeed, residualFeed, roundToFp16 } from '../../src/main/engine/ortFeeds';
import { decodePng, encodePng, unitChwToRgb } from '../../src/main/engine/png';
import { RenderService } from '../../src/main/services/renderService';
import { forkSpawner, startWorker } from '../../src/main/worker/host';
import { parseWorkerEvent, parseWorkerRequest } from '../../src/main/worker/protocol';
import { defaultRenderParams } from '../../src/shared/renderParams';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-units-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('render CLI arguments', () => {
  const base = ['--reference', 'ref.png', '--motion', 'clip.mp4', '--out', 'out.mp4'];

  it('applies defaults, then the preset, then explicit flags', () => {
    const o = parseRenderArgs([...base, '--preset', 'official', '--steps', '4', '--size', '128', '--range', '2:10', '--fuse', 'pyramid'])!;
    expect(o.params).toMatchObject({ steps: 4, guidance: 7.5, window: 16, overlap: 4, loop: true, padTo16: true, fuse: 'pyramid', width: 128, height: 128, range: { start: 2, end: 10 } });
    expect(o.sizeGiven).toBe(true);
    expect(o.bankPrecision).toBe('fp16');
    expect(parseRenderArgs([...base, '--size', '192x128'])!.params).toMatchObject({ width: 192, height: 128 });
    expect(parseRenderArgs([...base])!.sizeGiven).toBe(false);
  });

  it('names what is wrong', () => {
    expect(() => parseRenderArgs(['--motion', 'a'])).toThrow(/missing --reference, --out/);
    expect(() => parseRenderArgs([...base, '--steps', 'many'])).toThrow(/--steps expects a number/);
    expect(() => parseRenderArgs([...base, '--size', '100'])).toThrow(/width/);
    expect(() => parseRenderArgs([...base, '--window', '8', '--overlap', '8'])).toThrow(/overlap/);
    expect(() => parseRenderArgs([...base, '--bank-precision', 'fp8'])).toThrow(UsageError);
    expect(() => parseRenderArgs([...base, '--preset', 'fast'])).toThrow(/--preset must be one of/);
    expect(() => parseRenderArgs([...base, '--range', '5'])).toThrow(/A:B/);
    expect(parseRenderArgs(['--help'])).toBeNull();
  });
});

describe('PNG frames', () => {
  it('round-trips RGB exactly and rounds [0, 1] floats to the nearest level', () => {
    const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    expect(decodePng(encodePng(rgb, 5, 3))).toEqual({ width: 5, height: 3, rgb });
    const chw = Float32Array.of(0, 1, 0.5, 2 / 255 + 0.0019, -0.2, 1.3); // [3, 1, 2]
    expect([...unitChwToRgb(chw, 1, 2)]).toEqual([0, 128, 0, 255, 2, 255]);
  });
});

describe('motion frame folders', () => {
  it('finds the numbering pattern and refuses gaps', () => {
    const padded = path.join(tmp, 'padded');
    fs.mkdirSync(padded);
    for (const n of ['000003.png', '000004.png', '000005.png', 'notes.txt']) fs.writeFileSync(path.join(padded, n), '');
    expect(sequencePattern(padded)).toEqual({ pattern: '%06d.png', startNumber: 3, count: 3 });
    const plain = path.join(tmp, 'plain');
    fs.mkdirSync(plain);
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(plain, `${i}.png`), '');
    expect(sequencePattern(plain)).toEqual({ pattern: '%d.png', startNumber: 0, count: 12 });
    fs.rmSync(path.join(plain, '7.png'));
    expect(() => sequencePattern(plain)).toThrow(/frame 7 is missing/);
    fs.mkdirSync(path.join(tmp, 'empty'));
    expect(() => sequencePattern(path.join(tmp, 'empty'))).toThrow(/no numbered PNG/);
  });
});

describe('UNet3D feeds', () => {
  const frame = (v: number) => ({ data: Float32Array.from({ length: 2 * 2 * 2 }, (_, i) => v + i), dims: [2, 2, 2] });

  it('lays residuals out per frame or as [2, C, f, h, w] as the graph declares', () => {
    const perFrame = residualFeed({ name: 'down_00', dtype: 'float32', shape: ['frames', 2, 2, 2] }, [frame(0), frame(100)]);
    expect(perFrame.dims).toEqual([2, 2, 2, 2]);
    expect([...(perFrame.data as Float32Array)].slice(8, 10)).toEqual([100, 101]);
    const video = residualFeed({ name: 'mid', dtype: 'float32', shape: [2, 2, 'f', 2, 2] }, [frame(0), frame(100)]);
    expect(video.dims).toEqual([2, 2, 2, 2, 2]);
    const data = video.data as Float32Array;
    // [b=0, c=0, f=1] starts at 4 (frame 1); [b=0, c=1, f=0] at 8 and [b=1, c=1, f=0] at 24 (frame 0, channel 1).
    expect([data[4], data[8], data[24]]).toEqual([100, 4, 4]);
    expect(() => residualFeed({ name: 'down_01', dtype: 'float32', shape: ['frames', 2, 2, 2] }, [undefined])).toThrow(/does not produce/);
  });

  it('feeds the cond row of the bank to a [1, L, C] input, rounded to fp16 when asked', () => {
    const entry = { data: Float32Array.of(1, 2, 3, 4, 5, 6), dims: [2, 3, 1] };
    expect([...(bankFeed({ name: 'bank_00', dtype: 'float32', shape: [1, 3, 1] }, entry).data as Float32Array)]).toEqual([4, 5, 6]);
    expect([...roundToFp16(Float32Array.of(1 + 2 ** -12, 65504, 1e-8))]).toEqual([1, 65504, 0]);
  });
});

describe('job folder and frame paths', () => {
  const jobsDir = path.join(tmp, 'data', 'jobs');
  const params = defaultRenderParams({ width: 128, height: 128 });

  it('creates a job, writes frames atomically and lists the finished ones', () => {
    const job = JobFolder.create(jobsDir, { params, inputs: { motionPath: '/m.mp4', referencePath: '/r.png' }, fps: 25, options: { bankPrecision: 'fp16' } });
    expect(job.read()).toMatchObject({ status: 'queued', frameCount: 0, params });
    job.writeFrame('final', 2, encodePng(new Uint8Array(3), 1, 1));
    job.writeFrame('final', 0, encodePng(new Uint8Array(3), 1, 1));
    fs.writeFileSync(path.join(job.dir, 'final', '.000001.png.123.tmp'), '');
    expect(job.finishedFrames()).toEqual([0, 2]);
    expect(job.update({ status: 'aborted' }).status).toBe('aborted');
    expect(() => JobFolder.open(jobsDir, '../etc')).toThrow(/not a job id/);
    expect(() => JobFolder.open(jobsDir, 'nope')).toThrow(/no render job/);

    const service = new RenderService({ dataDir: path.join(tmp, 'data'), emit: () => {}, spawner: forkSpawner(), ffmpeg: null });
    expect(service.jobFramePath(job.id, 'final', 2)).toBe(path.join(job.dir, 'final', '000002.png'));
    expect(service.jobFramePath('..', 'final', 0)).toBeNull();
    expect(service.jobFramePath(job.id, 'final', -1)).toBeNull();
    expect(service.jobFramePath(job.id, 'other' as 'final', 0)).toBeNull();
    expect(service.jobFramePath('unknown-job', 'preview', 0)).toBeNull();
  });

  it('answers not_available without ffmpeg and not_found for missing inputs', async () => {
    const service = new RenderService({ dataDir: path.join(tmp, 'data'), emit: () => {}, spawner: forkSpawner(), ffmpeg: null });
    await expect(service.startJob({ motionPath: path.join(tmp, 'missing.mp4'), referencePath: path.join(tmp, 'x.png'), params })).rejects.toThrow(/does not exist/);
    const ref = path.join(tmp, 'r.png');
    fs.writeFileSync(ref, encodePng(new Uint8Array(3), 1, 1));
    await expect(service.startJob({ motionPath: ref, referencePath: ref, params })).rejects.toMatchObject({ code: 'not_available' });
  });
});

describe('worker protocol and host', () => {
  it('validates messages from the other process', () => {
    expect(parseWorkerRequest({ type: 'cancel' })).toEqual({ type: 'cancel' });
    expect(parseWorkerRequest({ type: 'start', spec: {} })).toBeNull();
    expect(parseWorkerEvent({ type: 'segment', start: 0, end: 4, kind: 'final', step: 2 })).not.toBeNull();
    expect(parseWorkerEvent({ type: 'done', status: 'maybe' })).toBeNull();
  });

  it('reports a worker that exits without done as worker_crashed, once', async () => {
    const entry = path.join(tmp, 'dies.mjs');
    fs.writeFileSync(entry, "process.on('message', () => process.exit(3));\n");
    const events: string[] = [];
    const spec = { jobDir: tmp, modelDir: tmp, ffmpeg: { bin: 'ffmpeg', version: null }, motionPath: 'm', referencePath: 'r', params: defaultRenderParams(), bankPrecision: 'fp16' as const, resume: false };
    const worker = startWorker(spec, { spawner: forkSpawner({ entry }), onEvent: (e) => events.push(e.type) });
    const done = await worker.done;
    expect(done).toMatchObject({ status: 'error', error: { code: 'worker_crashed', message: expect.stringContaining('exit code 3') } });
    expect(events).toEqual(['done']);
  });
});
