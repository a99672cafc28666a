import { describe, expect, it } from 'vitest';
import { runPipeline, type PipelineProgress, type PipelineRun, type PipelineSegment, type SamplingParams } from '../../src/main/engine/pipeline';
import { residualHighWater } from '../../src/main/engine/sampler/wavefront';
import { fakeControl, fakeReference, makeFakeNetworks, type FakeBank, type FakeResidual } from './fakeNetworks';
import { readFixtureJson } from './fixtureTensors';

const OPEN: SamplingParams = { steps: 5, guidance: 7.5, seed: 7, window: 8, overlap: 2, fuse: 'flat', loop: false, padTo16: false };
const SIZE = 32; // image 32×32 → latents 4×4

function baseRun(params: SamplingParams, frames: number, extra: Partial<PipelineRun<FakeBank, FakeResidual>> = {}) {
  const networks = makeFakeNetworks();
  const segments: PipelineSegment[] = [];
  const run: PipelineRun<FakeBank, FakeResidual> = {
    networks,
    reference: fakeReference(SIZE, SIZE),
    control: fakeControl(frames, SIZE, SIZE),
    params,
    saveLatents: true,
    onSegment: (s) => void segments.push(s),
    ...extra,
  };
  return { networks, segments, run };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('runPipeline order', () => {
  for (const fuse of ['flat', 'pyramid', 'linear'] as const) {
    it(`wavefront and step-major give identical numbers (open windows, ${fuse})`, async () => {
      const params = { ...OPEN, fuse };
      const a = baseRun(params, 40, { order: 'stepMajor' });
      const b = baseRun(params, 40, { order: 'wavefront' });
      const ra = await runPipeline(a.run);
      const rb = await runPipeline(b.run);
      expect(ra.order).not.toEqual(rb.order);
      const diff = maxAbsDiff(ra.finalLatents!.data, rb.finalLatents!.data);
      console.log(`wavefront vs step-major (${fuse}): max abs diff of final latents ${diff}`);
      expect(diff).toBe(0);
      const framesOf = (segments: PipelineSegment[]) => {
        const byFrame = new Map<number, number[]>();
        for (const s of segments) for (let i = s.start; i < s.end; i++) byFrame.set(i, [...s.frames.data.subarray((i - s.start) * 3 * SIZE * SIZE, (i - s.start + 1) * 3 * SIZE * SIZE)]);
        return byFrame;
      };
      expect(framesOf(b.segments)).toEqual(framesOf(a.segments));
      expect(framesOf(a.segments).size).toBe(40);
    });
  }

  it('streams the first frames long before the end with the wavefront order', async () => {
    const { networks, run } = baseRun(OPEN, 40, { order: 'wavefront' });
    let unetCallsAtFirstSegment = -1;
    run.onSegment = () => {
      if (unetCallsAtFirstSegment < 0) unetCallsAtFirstSegment = networks.log.filter((c) => c.kind === 'unet').length;
    };
    const result = await runPipeline(run);
    console.log(`wavefront: first segment after ${unetCallsAtFirstSegment} of ${result.order.length} UNet calls`);
    expect(unetCallsAtFirstSegment).toBeLessThan(result.order.length / 2);
  });

  it('wavefront with maxLag 0 is the step-major order', async () => {
    const a = await runPipeline(baseRun(OPEN, 30, { order: 'stepMajor' }).run);
    const b = await runPipeline(baseRun(OPEN, 30, { order: 'wavefront', maxLag: 0 }).run);
    expect(b.order).toEqual(a.order);
  });
});

describe('runPipeline calls and memory', () => {
  it('runs the appearance encoder once per step, ControlNet once per frame per step, the UNet once per window per step', async () => {
    for (const order of ['stepMajor', 'wavefront'] as const) {
      const { networks, run } = baseRun(OPEN, 40, { order });
      const result = await runPipeline(run);
      const count = (kind: string) => networks.log.filter((c) => c.kind === kind);
      expect(count('appearance').length).toBe(OPEN.steps);
      expect(new Set(count('appearance').map((c) => c.t)).size).toBe(OPEN.steps);
      expect(count('controlnet').reduce((n, c) => n + (c.frames ?? 0), 0)).toBe(40 * OPEN.steps);
      expect(count('unet').length).toBe(result.windows.length * OPEN.steps);
      expect(count('vaeDecode').reduce((n, c) => n + (c.frames ?? 0), 0)).toBe(40);
      expect(count('vaeEncode').length).toBe(1);
    }
  });

  it('holds ControlNet results only for the windows in flight, and releases everything', async () => {
    for (const [order, maxLag] of [['stepMajor', undefined], ['wavefront', undefined], ['wavefront', 1]] as const) {
      const { networks, run } = baseRun({ ...OPEN, steps: 6 }, 64, { order, maxLag });
      const result = await runPipeline(run);
      const bound = residualHighWater(64, result.windows, result.order);
      console.log(`${order}${maxLag === undefined ? '' : ` maxLag ${maxLag}`}: peak ControlNet results held ${networks.residualPeak} (64 frames), banks ${networks.bankPeak}`);
      expect(networks.residualPeak).toBe(bound);
      expect(result.residualPeak).toBe(bound);
      expect(networks.liveResiduals.size).toBe(0);
      expect(networks.liveBanks).toBe(0);
      if (order === 'stepMajor') {
        expect(networks.residualPeak).toBeLessThanOrEqual(OPEN.window + OPEN.overlap);
        expect(networks.bankPeak).toBe(1);
      }
      if (maxLag === 1) expect(networks.bankPeak).toBeLessThanOrEqual(2);
    }
  });
});

describe('runPipeline official configuration', () => {
  it('pads 24 frames to 32 and uses the closed-loop windows of case5', async () => {
    const case5 = readFixtureJson<{ per_step: { unet_pass: { windows: number[][] } }[] }>('case5_context_windows.json');
    const params: SamplingParams = { steps: 4, guidance: 7.5, seed: 1, window: 16, overlap: 4, fuse: 'flat', loop: true, padTo16: true };
    const { run, segments } = baseRun(params, 24, { order: 'stepMajor' });
    const result = await runPipeline(run);
    expect(result.paddedFrames).toBe(32);
    expect(result.windows).toEqual(case5.per_step[0].unet_pass.windows);
    expect(result.timesteps).toEqual([751, 501, 251, 1]);
    expect(result.finalLatents!.dims).toEqual([1, 4, 32, 4, 4]);
    const decoded = segments.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => s.start + i)).sort((a, b) => a - b);
    expect(decoded).toEqual(Array.from({ length: 24 }, (_, i) => i)); // padded frames are not decoded
  });
});

describe('runPipeline events', () => {
  it('progress never goes backwards and ends at 1', async () => {
    for (const order of ['stepMajor', 'wavefront'] as const) {
      const events: PipelineProgress[] = [];
      const { run } = baseRun(OPEN, 40, { order, onProgress: (e) => void events.push(e) });
      await runPipeline(run);
      for (let i = 1; i < events.length; i++) {
        expect(events[i].fraction).toBeGreaterThanOrEqual(events[i - 1].fraction);
        expect(events[i].step).toBeGreaterThanOrEqual(events[i - 1].step);
      }
      expect(events.at(-1)!.fraction).toBeCloseTo(1, 12);
      expect(events.at(-1)!.step).toBe(OPEN.steps);
    }
  });

  it('previews carry x0 for the frames that just stepped', async () => {
    const previews: { start: number; end: number; step: number; n: number; rgb: number }[] = [];
    const { run } = baseRun(OPEN, 20, {
      previewRgb: true,
      onPreview: (p) => void previews.push({ start: p.start, end: p.end, step: p.step, n: p.x0.length, rgb: p.rgb?.length ?? 0 }),
    });
    await runPipeline(run);
    expect(previews.length).toBeGreaterThan(0);
    for (const p of previews) {
      expect(p.n).toBe(p.end - p.start);
      expect(p.rgb).toBe(p.n);
      expect(p.step).toBeGreaterThanOrEqual(1);
    }
    const covered = new Set(previews.filter((p) => p.step === OPEN.steps).flatMap((p) => Array.from({ length: p.n }, (_, i) => p.start + i)));
    expect(covered.size).toBe(20);
  });

  for (const stopAt of [1, 5, 17, 40]) {
    it(`cancel during network call ${stopAt} stops before the next call and emits nothing after`, async () => {
      const controller = new AbortController();
      const { networks, run } = baseRun(OPEN, 40, { signal: controller.signal });
      let eventsAfterAbort = 0;
      const count = (): void => {
        if (controller.signal.aborted) eventsAfterAbort++;
      };
      run.onProgress = count;
      run.onPreview = count;
      run.onSegment = count;
      networks.onCall = () => {
        if (networks.log.length === stopAt) controller.abort();
      };
      await expect(runPipeline(run)).rejects.toMatchObject({ code: 'cancelled' });
      expect(networks.log.length).toBe(stopAt);
      expect(eventsAfterAbort).toBe(0);
      expect(networks.liveResiduals.size).toBe(0);
    });
  }
});

describe('runPipeline resume', () => {
  it('skips work outside the dependency cone and reproduces the remaining frames exactly', async () => {
    const full = baseRun(OPEN, 40, { order: 'wavefront', saveLatents: false });
    await runPipeline(full.run);
    const skip = Array.from({ length: 20 }, (_, i) => i);
    const resumed = baseRun(OPEN, 40, { order: 'wavefront', saveLatents: false, skipFrames: skip });
    const result = await runPipeline(resumed.run);
    const decoded = resumed.segments.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => s.start + i));
    expect(decoded.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
    console.log(`resume after 20/40 frames: ${result.calls.unet} of ${full.networks.log.filter((c) => c.kind === 'unet').length} UNet calls`);
    expect(result.calls.unet).toBeLessThan(full.networks.log.filter((c) => c.kind === 'unet').length);
    const pixel = (segments: PipelineSegment[], frame: number) => {
      const s = segments.find((x) => frame >= x.start && frame < x.end)!;
      const size = 3 * SIZE * SIZE;
      return [...s.frames.data.subarray((frame - s.start) * size, (frame - s.start + 1) * size)];
    };
    for (let f = 20; f < 40; f++) expect(pixel(resumed.segments, f)).toEqual(pixel(full.segments, f));
  });

  it('refuses saveLatents together with skipFrames', async () => {
    const { run } = baseRun(OPEN, 10, { skipFrames: [0] });
    await expect(runPipeline(run)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
