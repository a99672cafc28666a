// `npm run render` end to end on the demo model: a video out (encoded at the clip's frame rate by
// src/main/media), and the exit codes for usage errors and missing inputs. Then a model compiled
// from the tiny checkpoints at a portrait size (compile-model --size) renders at that size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main as compileCli } from '../../src/main/cli/compileModel';
import { main as renderCli } from '../../src/main/cli/render';
import { decodePng } from '../../src/main/engine/png';
import { locateMediaTools } from '../../src/main/media/locate';
import { probeMedia } from '../../src/main/media/probe';

const SAMPLES = path.resolve(__dirname, '../../../shared/data/magicanimate-samples');
const TINY = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny');
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

  it('renders at the portrait size a model was compiled for (compile-model --size 128x192)', async () => {
    const model = path.join(tmp, 'portrait');
    const compiled = await compileCli([
      '--sd15', path.join(TINY, 'stable-diffusion-v1-5'), '--vae', path.join(TINY, 'sd-vae-ft-mse'), '--magicanimate', path.join(TINY, 'MagicAnimate'),
      '--text-embedding', path.join(TINY, 'text_embedding.safetensors'), '--out', model, '--size', '128x192',
    ]);
    expect(compiled).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(model, 'manifest.json'), 'utf8'));
    expect(manifest.frameSize).toEqual({ width: 128, height: 192 });
    expect(await compileCli(['--sd15', 'a', '--vae', 'b', '--magicanimate', 'c', '--out', path.join(tmp, 'odd'), '--size', '100x200'])).toBe(1);

    // No --size: the CLI takes the model's own (non-square) size; the frames come out 128 wide, 192 high.
    const out = path.join(tmp, 'portrait-frames');
    expect(await renderCli([...common, '--motion', path.join(SAMPLES, 'running.mp4'), '--model', model, '--out', out, '--steps', '1', '--range', '0:4', '--window', '4', '--overlap', '1'])).toBe(0);
    const frames = fs.readdirSync(out).filter((n) => n.endsWith('.png')).sort(); // besides the export marker
    expect(frames).toHaveLength(4);
    const first = decodePng(fs.readFileSync(path.join(out, frames[0])));
    expect([first.width, first.height]).toEqual([128, 192]);
    // A real picture, not a constant: the demo-weight output still varies across the frame.
    expect(new Set(first.rgb).size).toBeGreaterThan(32);
  });
});
