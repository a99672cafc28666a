import { afterAll, describe, expect, it } from 'vitest';
import { checkDensePose, DENSEPOSE_BACKGROUND, paletteStats, viridisDistance } from '../../src/main/media/densepose';
import { build, DEMO4, figureLine, RUNNING, tempDir } from './corpus';

const ff = { bin: 'ffmpeg', version: null };
const tmp = tempDir('dp');
afterAll(() => tmp.cleanup());

describe('DensePose palette check', () => {
  it('passes the DensePose samples and warns on a normal colour video', async () => {
    const running = await checkDensePose(ff, RUNNING);
    const demo = await checkDensePose(ff, DEMO4);
    const colour = await checkDensePose(ff, build.colourWithAudio(tmp.dir));
    expect(running.warning).toBeNull();
    expect(demo.warning).toBeNull();
    expect(colour.warning).toMatch(/does not look like a DensePose clip.*run DensePose/);
    const pct = (x: number) => (x * 100).toFixed(1);
    figureLine('densepose', 3, 0,
      `palette share running ${pct(running.stats.paletteFraction)}%, demo4 ${pct(demo.stats.paletteFraction)}%, testsrc ${pct(colour.stats.paletteFraction)}%`);
  });

  it('measures colours against the viridis curve', () => {
    expect(viridisDistance(DENSEPOSE_BACKGROUND)).toBe(0);
    expect(viridisDistance([33, 145, 140])).toBeLessThan(1); // viridis(0.5)
    expect(viridisDistance([255, 0, 0])).toBeGreaterThan(100);
    const bg = Uint8Array.from({ length: 30 }, (_, i) => DENSEPOSE_BACKGROUND[i % 3]);
    expect(paletteStats([bg])).toEqual({ backgroundFraction: 1, paletteFraction: 1, pixels: 10 });
  });
});
