// Render jobs through RenderService and a real forked worker on the demo model (real ORT sessions):
// segments stream before done, a soft cancel stops within one network call, a killed worker is
// reported as worker_crashed, and a resume finishes the job with the same frames as an
// uninterrupted render. Event-stream invariants (STYLE.md §15) are checked on every run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioEvent } from '../../src/shared/contract';
import { defaultRenderParams } from '../../src/shared/renderParams';
import { buildDemoModel } from '../../src/main/compiler/compile';
import { locateMediaTools } from '../../src/main/media/locate';
import { RenderService } from '../../src/main/services/renderService';
import { forkSpawner } from '../../src/main/worker/host';
import type { WorkerEvent } from '../../src/main/worker/protocol';

const SAMPLES = path.resolve(__dirname, '../../../shared/data/magicanimate-samples');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-worker-'));
// 40 frames, windows of 8 overlapping by 2 (open): 7 windows × 2 steps = 14 UNet calls.
const params = defaultRenderParams({ width: 128, height: 128, steps: 2, window: 8, overlap: 2, range: { start: 0, end: 40 }, provider: 'cpu', threads: 1 });
const request = { motionPath: path.join(SAMPLES, 'running.mp4'), referencePath: path.join(SAMPLES, 'monalisa.png'), params };
let service: RenderService;
const studioEvents: StudioEvent[] = [];
let fullJobId = '';

beforeAll(async () => {
  await buildDemoModel(dataDir);
  const tools = await locateMediaTools();
  if (!tools.ffmpeg) throw new Error('these tests need ffmpeg');
  service = new RenderService({ dataDir, emit: (e) => studioEvents.push(e), spawner: forkSpawner(), ffmpeg: { bin: tools.ffmpeg.path, version: tools.ffmpeg.version } });
});
afterAll(async () => {
  await service?.dispose(1000);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts a job and records its worker events with arrival times. */
async function startRecorded(onEvent?: (e: WorkerEvent, jobId: string) => void) {
  const events: { at: number; event: WorkerEvent }[] = [];
  let jobId = '';
  const job = await service.startJob({
    ...request,
    onEvent: (event) => {
      events.push({ at: performance.now(), event });
      onEvent?.(event, jobId);
    },
  });
  jobId = job.jobId;
  const done = await service.whenDone(job.jobId);
  return { job, events, done: done! };
}

function checkStreamInvariants(events: { event: WorkerEvent }[]): void {
  const kinds = events.map((e) => e.event.type);
  expect(kinds.filter((k) => k === 'done')).toHaveLength(1);
  expect(kinds[kinds.length - 1]).toBe('done');
  let fraction = 0;
  for (const { event } of events) {
    if (event.type !== 'progress') continue;
    expect(event.fraction).toBeGreaterThanOrEqual(fraction);
    fraction = event.fraction;
  }
}

const jobFrames = (jobId: string) => fs.readdirSync(path.join(dataDir, 'jobs', jobId, 'final')).filter((n) => n.endsWith('.png')).sort();

describe('render jobs in a worker process', () => {
  it('streams final segments before done and records success', async () => {
    const { job, events, done } = await startRecorded();
    fullJobId = job.jobId;
    expect(done.status).toBe('success');
    checkStreamInvariants(events);
    const finals = events.filter((e) => e.event.type === 'segment' && e.event.kind === 'final');
    const doneAt = events[events.length - 1].at;
    expect(finals.length).toBeGreaterThan(1);
    // The first final segment arrives well before the job ends (the wavefront finishes early windows first).
    console.log(`first final segment at ${(finals[0].at - events[0].at).toFixed(0)} ms, done at ${(doneAt - events[0].at).toFixed(0)} ms`);
    expect(finals[0].at).toBeLessThan(doneAt);
    expect(jobFrames(job.jobId)).toHaveLength(40);
    expect(service.jobFramePath(job.jobId, 'final', 3)).toBe(path.join(dataDir, 'jobs', job.jobId, 'final', '000003.png'));
    const record = JSON.parse(fs.readFileSync(path.join(dataDir, 'jobs', job.jobId, 'job.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'success', frameCount: 40 });
    expect(fs.existsSync(path.join(dataDir, 'jobs', job.jobId, 'motion.rgb'))).toBe(false);
    // The same stream reached the renderer side as render.* events, ending in one render.done.
    const mine = studioEvents.filter((e) => 'jobId' in e && e.jobId === job.jobId);
    expect(mine.filter((e) => e.type === 'render.done')).toEqual([{ type: 'render.done', jobId: job.jobId, status: 'success' }]);
    expect(mine[mine.length - 1].type).toBe('render.done');
    expect(mine.some((e) => e.type === 'render.segment' && e.kind === 'preview')).toBe(true);
  });

  it('a soft cancel stops within one network call', async () => {
    let cancelledAt = 0;
    const { job, events, done } = await startRecorded((event, jobId) => {
      if (!cancelledAt && event.type === 'progress' && event.phase === 'sampling') {
        cancelledAt = performance.now();
        service.cancel(jobId);
      }
    });
    expect(done.status).toBe('aborted');
    checkStreamInvariants(events);
    const afterCancel = events.filter((e) => e.at > cancelledAt && e.event.type === 'progress' && e.event.phase === 'sampling');
    // At most the call already in flight finishes (its progress may have been on its way).
    expect(afterCancel.length).toBeLessThanOrEqual(1);
    const doneAt = events[events.length - 1].at;
    console.log(`soft cancel → done in ${(doneAt - cancelledAt).toFixed(0)} ms`);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'jobs', job.jobId, 'job.json'), 'utf8')).status).toBe('aborted');
  });

  it('reports a killed worker as worker_crashed, and a resume finishes with the same frames', async () => {
    let finals = 0;
    const { job, events, done } = await startRecorded((event, jobId) => {
      if (event.type === 'segment' && event.kind === 'final' && ++finals === 2) {
        process.kill(service.workerPid(jobId)!, 'SIGKILL'); // a crash, not a cancel
      }
    });
    expect(done).toMatchObject({ status: 'error', error: { code: 'worker_crashed' } });
    checkStreamInvariants(events);
    const kept = jobFrames(job.jobId);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(40);
    const keptTimes = kept.map((n) => fs.statSync(path.join(dataDir, 'jobs', job.jobId, 'final', n)).mtimeMs);

    await service.resumeJob(job.jobId);
    const resumed = await service.whenDone(job.jobId);
    expect(resumed?.status).toBe('success');
    expect(resumed?.summary?.skipped).toBe(kept.length);
    // The finished prefix lies outside the remaining frames' dependency cone: its work is skipped.
    expect(resumed?.summary?.unetCalls).toBeLessThan(14);
    expect(jobFrames(job.jobId)).toHaveLength(40);
    // Frames from before the crash were not rewritten, and every frame equals the uninterrupted render's.
    expect(kept.map((n) => fs.statSync(path.join(dataDir, 'jobs', job.jobId, 'final', n)).mtimeMs)).toEqual(keptTimes);
    for (const name of jobFrames(job.jobId)) {
      const ours = fs.readFileSync(path.join(dataDir, 'jobs', job.jobId, 'final', name));
      expect(ours.equals(fs.readFileSync(path.join(dataDir, 'jobs', fullJobId, 'final', name))), name).toBe(true);
    }
  });
});
