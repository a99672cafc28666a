import { afterAll, describe, expect, it } from 'vitest';
import { BlockPeaks, computePeaks, foldPeaks } from '../../src/main/media/peaks';
import { build, figureLine, RUNNING, tempDir } from './corpus';

const tmp = tempDir('peaks');
afterAll(() => tmp.cleanup());

describe('audio peaks', () => {
  it('shows a 1 s tone in the first half of a 2 s clip and silence after it', async () => {
    const clip = build.colourWithAudio(tmp.dir); // lavfi sine: amplitude 1/8 for 1 s, then nothing
    const { peaks, durationSec } = await computePeaks('ffmpeg', clip, { buckets: 40, durationSec: 2 });
    expect(peaks).toHaveLength(40);
    expect(durationSec).toBeGreaterThan(0.9);
    const tone = peaks.slice(2, Math.floor(40 * (0.9 / durationSec)));
    for (const p of tone) expect(p).toBeGreaterThan(0.1);
    for (const p of tone) expect(p).toBeLessThan(0.16);

    const file = build.audioOnly(tmp.dir);
    const audio = await computePeaks('ffmpeg', file, { buckets: 16, durationSec: 1.5 });
    expect(audio.durationSec).toBeCloseTo(1.5, 1);
    expect(Math.min(...audio.peaks.slice(1, -1))).toBeGreaterThan(0.1);
    figureLine('peaks', 3, 0, `tone peak ${Math.max(...tone).toFixed(3)} (expected 0.125)`);
  });

  it('says a clip without audio has no waveform', async () => {
    await expect(computePeaks('ffmpeg', RUNNING, { buckets: 16, durationSec: 1.68 })).rejects.toMatchObject({ code: 'unsupported_media' });
  });

  it('reduces float PCM split at odd byte boundaries and folds blocks into buckets', () => {
    const samples = new Float32Array([0.1, -0.5, 0.2, 0.05, -0.9, 0.3, 0.0]);
    const bytes = new Uint8Array(samples.buffer);
    const reducer = new BlockPeaks(2);
    reducer.push(bytes.subarray(0, 5));
    reducer.push(bytes.subarray(5, 17));
    reducer.push(bytes.subarray(17));
    const blocks = reducer.finish();
    expect(blocks.map((b) => +b.toFixed(2))).toEqual([0.5, 0.2, 0.9, 0]);
    expect(reducer.samples).toBe(7);
    expect(foldPeaks(blocks, 2).map((b) => +b.toFixed(2))).toEqual([0.5, 0.9]);
    expect(foldPeaks([0.3], 3)).toEqual([0.3, 0.3, 0.3]);
  });
});
