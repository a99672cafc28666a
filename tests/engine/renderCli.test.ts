// `npm run render` end to end on the demo model: a video out (encoded at the clip's frame rate by
// src/main/media), and the exit codes for usage errors and missing inputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main as renderCli } from '../../src/main/cli/render';
import { locateMediaTools } from '../../src/main/media/locate';
import { probeMedia } from '../../src/main/media/probe';

const SAMPLES = path.resolve(__dirname, '../../../shared/data/magicanimate-samples');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const common = ['--reference', path.join(SAMPLES, 'monalisa.png'), '--data-dir', path.join(tmp, 'data'), '--provider', 'cpu', '--threads', '1'];

describe('render CLI', () => {
  it('renders a clip range into an mp4 at the clip frame rate (building the demo model on first use)', async () => {
    const out = path.join(tmp, 'out.mp4');
    const code = await renderCli([...common, '--motion', path.join(SAMPLES, 'running.mp4'), '--out', out, '--steps', '1', '--range', '0:8', '--window', '8', '--overlap', '2']);
    expect(code).toBe(0);
    const tools = await locateMediaTools();
    const info = (await probeMedia(tools.ffprobe!.path, out)).info;
    expect(info).toMatchObject({ kind: 'video', width: 128, height: 128, frameCount: 8 });
    expect(info.fps).toBeCloseTo(25, 3);
    expect(fs.existsSync(path.join(tmp, 'data', 'models', 'demo', 'manifest.json'))).toBe(true);
  });

  it('exits 2 on usage errors and 1 with the reason on bad inputs', async () => {
    expect(await renderCli(['--motion', 'x'])).toBe(2);
    expect(await renderCli([...common, '--motion', path.join(tmp, 'nope.mp4'), '--out', path.join(tmp, 'o')])).toBe(1);
    expect(await renderCli([...common, '--motion', path.join(SAMPLES, 'running.mp4'), '--out', path.join(tmp, 'o'), '--size', '256'])).toBe(1);
    expect(fs.existsSync(path.join(tmp, 'o'))).toBe(false);
  });
});
