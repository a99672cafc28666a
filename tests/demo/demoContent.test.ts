// The demo content the app makes on first start: a DensePose-style clip that passes the importer's
// palette check, with the promised frame count, rate and real motion; and a valid reference PNG.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FPS, DEMO_FRAME_COUNT, DEMO_SIZE, ensureDemoContent, type DemoFiles } from '../../src/main/demo/demoContent';
import { DENSEPOSE_BACKGROUND, PART, partColour } from '../../src/main/demo/densePoseFrame';
import { checkDensePose, denseposeWarning, paletteStats, viridisDistance } from '../../src/main/media/densepose';
import { loadImageRgb } from '../../src/main/media/image';
import { probeMedia } from '../../src/main/media/probe';
import { readVideoFrames } from '../../src/main/media/rawFrames';
import { readProjectFile } from '../../src/main/project/projectFile';

const ff = { bin: 'ffmpeg', version: null };
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mas-demo-'));
let files: DemoFiles;

beforeAll(async () => {
  files = await ensureDemoContent(dataDir, { ffmpegBin: 'ffmpeg', modelResolution: 128 });
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const meanAbsDiff = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

describe('demo content', () => {
  it('colours every body part on the viridis curve, on the DensePose background', () => {
    expect(DENSEPOSE_BACKGROUND).toEqual([68, 1, 84]);
    for (const part of Object.values(PART)) expect(viridisDistance(partColour(part))).toBeLessThan(1.5);
    expect(new Set(Object.values(PART).map((p) => partColour(p).join())).size).toBe(Object.values(PART).length);
  });

  it('makes a clip the DensePose check accepts, with the promised frames and rate', async () => {
    const check = await checkDensePose(ff, files.motionPath);
    console.log(`demo clip palette: background ${check.stats.backgroundFraction.toFixed(3)}, on palette ${check.stats.paletteFraction.toFixed(3)}`);
    expect(check.warning).toBeNull();
    const info = (await probeMedia('ffprobe', files.motionPath)).info;
    expect(info).toMatchObject({ kind: 'video', width: DEMO_SIZE, height: DEMO_SIZE, frameCount: DEMO_FRAME_COUNT, codec: 'h264', hasAudio: false });
    expect(info.fps).toBeCloseTo(DEMO_FPS, 6);
  });

  it('moves: every frame differs from the one before, more so a quarter cycle apart', async () => {
    const frames: Uint8Array[] = [];
    for await (const frame of readVideoFrames(ff, files.motionPath, { width: 128, height: 128, fit: 'stretch' })) frames.push(frame);
    expect(frames).toHaveLength(DEMO_FRAME_COUNT);
    const steps = frames.slice(1).map((f, i) => meanAbsDiff(f, frames[i]));
    console.log(`demo clip: mean |Δ| between consecutive frames ${Math.min(...steps).toFixed(2)}…${Math.max(...steps).toFixed(2)}`);
    expect(Math.min(...steps)).toBeGreaterThan(0.3);
    expect(meanAbsDiff(frames[0], frames[6])).toBeGreaterThan(meanAbsDiff(frames[0], frames[1]));
  });

  it('draws a reference person as a valid 512×512 PNG that is not a DensePose picture', async () => {
    const png = readFileSync(files.referencePath);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([DEMO_SIZE, DEMO_SIZE]);
    const info = (await probeMedia('ffprobe', files.referencePath)).info;
    expect(info).toMatchObject({ kind: 'image', width: DEMO_SIZE, height: DEMO_SIZE });
    const rgb = await loadImageRgb(ff, files.referencePath, { width: DEMO_SIZE, height: DEMO_SIZE, fit: 'stretch' });
    const colours = new Set<string>();
    for (let i = 0; i < rgb.length; i += 3) colours.add(`${rgb[i]},${rgb[i + 1]},${rgb[i + 2]}`);
    expect(colours.size).toBeGreaterThanOrEqual(6); // background, skin, hair, shirt, jeans, shoes…
    // The centre column crosses the head (skin) and the torso (shirt), not the background.
    const at = (x: number, y: number) => [...rgb.subarray((y * DEMO_SIZE + x) * 3, (y * DEMO_SIZE + x) * 3 + 3)];
    expect(at(256, 200)).toEqual([196, 64, 52]);
    expect(at(10, 10)).toEqual([232, 228, 220]);
    expect(denseposeWarning('reference.png', paletteStats([rgb]))).not.toBeNull();
  });

  it('writes a project using both files, and reuses the folder afterwards', async () => {
    const opened = await readProjectFile(files.projectPath);
    expect(opened.missing).toEqual([]);
    expect(opened.project.inputs).toEqual([
      { role: 'motion', path: files.motionPath },
      { role: 'reference', path: files.referencePath },
    ]);
    const before = statSync(files.motionPath).mtimeMs;
    await ensureDemoContent(dataDir, { ffmpegBin: 'ffmpeg', modelResolution: 128 });
    expect(statSync(files.motionPath).mtimeMs).toBe(before);
  });

  it('leaves no demo folder behind when ffmpeg fails', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'mas-demo-fail-'));
    try {
      await expect(ensureDemoContent(other, { ffmpegBin: '/bin/false', modelResolution: 128 })).rejects.toMatchObject({ name: 'StudioFailure' });
      expect(statSync(other).isDirectory()).toBe(true);
      expect(readdirSync(other)).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
