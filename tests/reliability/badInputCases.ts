// The bad-input corpus for the SERVICE layer: each case names a request (media.import,
// render.start or models.list), the offending file, and what must come back — a specific error
// code, or acceptance with a warning naming the file. Inputs are built in a temp folder with
// ffmpeg (tests/media/corpus.ts) and a little code; model folders are damaged copies of the demo.
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorCode } from '../../src/shared/result';
import { GraphBuilder, ops, saveToFile } from '../../src/main/compiler/onnx';
import { build, ffmpeg } from '../media/corpus';
import { MONALISA, RUNNING, tinyParams } from './harness';

export type Expectation = { code: ErrorCode } | { warning: RegExp } | { anyOf: Expectation[] };

export interface BadInput {
  name: string;
  channel: 'media.import' | 'render.start' | 'project.open';
  /** The file the person must hear about: its base name must appear in the message. */
  file: string;
  payload: unknown;
  expect: Expectation;
}

/** A sentence that tells the person what to do next. */
export const ADVICE =
  /\b(choose|get|import|export|re-?export|scale|compile|install|convert|run|set|update|repair|check|try|use|select|pick|replace|resume|free|rebuild|delete|remove|needs|add|renumber)\b/i;

function garbledMp4(dir: string): string {
  // The index (moov, at the end of running.mp4) survives; most of the coded frames do not.
  const bytes = Buffer.from(fs.readFileSync(RUNNING));
  let seed = 7;
  for (let i = 2000; i < bytes.length - 40_000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  const file = path.join(dir, 'garbled.mp4');
  fs.writeFileSync(file, bytes);
  return file;
}

function hugeImage(dir: string): string {
  const file = path.join(dir, 'huge-12000.png');
  ffmpeg('-f', 'lavfi', '-i', 'color=c=gray:s=12000x12000', '-frames:v', '1', '-compression_level', '1', file);
  return file;
}

/** The media files of the corpus, built once. */
export function buildMediaFiles(dir: string) {
  return {
    zeroByte: build.zeroByte(dir),
    textAsMp4: build.textFile(dir),
    truncatedNoMoov: build.truncatedNoMoov(dir),
    truncatedFaststart: build.truncatedFaststart(dir),
    garbled: garbledMp4(dir),
    zeroFrames: build.zeroFrames(dir),
    audioOnly: build.audioOnly(dir),
    colour: build.colourWithAudio(dir),
    huge: hugeImage(dir),
    tooWide: build.tooWide(dir),
    png16: build.png16(dir),
    pngAlpha: build.pngAlpha(dir),
    cmyk: build.cmykJpeg(dir),
    vfr: build.vfrClip(dir),
    oddSize: build.oddSize(dir),
    missing: path.join(dir, 'moved-away.mp4'),
    gappedFrames: pngSequence(dir, 'frames-gap', (n) => n !== 2),
    damagedFrames: pngSequence(dir, 'frames-damaged', () => true, 1),
  };
}

/** A folder of numbered DensePose-like PNGs 000000.png…000003.png; `keep` drops some, `damage` cuts one short. */
function pngSequence(dir: string, name: string, keep: (n: number) => boolean, damage?: number): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder);
  ffmpeg('-f', 'lavfi', '-i', 'color=c=0x440154:s=64x64', '-frames:v', '4', '-start_number', '0', path.join(folder, '%06d.png'));
  for (let n = 0; n < 4; n++) if (!keep(n)) fs.rmSync(path.join(folder, `${String(n).padStart(6, '0')}.png`));
  if (damage !== undefined) {
    const file = path.join(folder, `${String(damage).padStart(6, '0')}.png`);
    fs.truncateSync(file, 40);
  }
  return folder;
}
export type MediaFiles = ReturnType<typeof buildMediaFiles>;

const imp = (name: string, file: string, role: string, expect: Expectation): BadInput => ({
  name,
  channel: 'media.import',
  file,
  payload: { path: file, role },
  expect,
});

export function mediaCases(f: MediaFiles): BadInput[] {
  return [
    imp('zero-byte file as motion', f.zeroByte, 'motion', { code: 'corrupt_media' }),
    imp('text file named .mp4', f.textAsMp4, 'motion', { code: 'unsupported_media' }),
    imp('truncated mp4 (index lost)', f.truncatedNoMoov, 'motion', { code: 'corrupt_media' }),
    imp('truncated mp4 (faststart, frames lost)', f.truncatedFaststart, 'motion', { code: 'corrupt_media' }),
    // NOTE: multi-threaded H.264 error concealment is not deterministic: the same garbled file is
    // sometimes decoded with frames lost (a warning) and sometimes refused. Both must name it.
    imp('corrupt mp4 (coded data garbled)', f.garbled, 'motion', { anyOf: [{ warning: /frames but only \d+ decode/ }, { code: 'corrupt_media' }] }),
    imp('zero frames', f.zeroFrames, 'motion', { code: 'corrupt_media' }),
    imp('audio-only file as motion', f.audioOnly, 'motion', { code: 'unsupported_media' }),
    imp('still image as motion', f.pngAlpha, 'motion', { code: 'unsupported_media' }),
    imp('video as reference', f.colour, 'reference', { code: 'unsupported_media' }),
    imp('silent image as audio', f.png16, 'audio', { code: 'unsupported_media' }),
    imp('12000×12000 image', f.huge, 'reference', { code: 'media_too_large' }),
    imp('9000 px wide image', f.tooWide, 'reference', { code: 'media_too_large' }),
    imp('16-bit PNG', f.png16, 'reference', { warning: /16 bits per channel/ }),
    imp('PNG with alpha', f.pngAlpha, 'reference', { warning: /transparency/ }),
    imp('CMYK JPEG', f.cmyk, 'reference', { warning: /CMYK/ }),
    imp('odd size, non-square pixels', f.oddSize, 'motion', { warning: /does not look like a DensePose clip/ }),
    imp('variable frame rate', f.vfr, 'motion', { warning: /variable frame rate/ }),
    imp('normal colour video (not DensePose)', f.colour, 'motion', { warning: /does not look like a DensePose clip/ }),
    imp('file that does not exist', f.missing, 'motion', { code: 'not_found' }),
  ];
}

/** Project files that are not projects, or not this version's: project.open must refuse them. */
export function projectCases(dir: string): BadInput[] {
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const cut = write('cut.maproj', '{"formatVersion":1,"id":"abc","name":"half a proj');
  const newer = write('newer.maproj', JSON.stringify({ formatVersion: 7, id: 'x', name: 'from the future' }));
  const notOurs = write('package.maproj', JSON.stringify({ name: 'some-npm-package', version: '1.0.0' }));
  const open = (name: string, file: string, code: ErrorCode): BadInput => ({ name, channel: 'project.open', file, payload: { path: file }, expect: { code } });
  return [
    open('project: truncated JSON', cut, 'corrupt_project'),
    open('project: saved by a newer version', newer, 'unsupported_version'),
    open('project: some other JSON file', notOurs, 'corrupt_project'),
  ];
}

const start = (name: string, file: string, motionPath: string, referencePath: string, expect: Expectation, model = 'demo'): BadInput => ({
  name,
  channel: 'render.start',
  file,
  payload: { motionPath, referencePath, params: tinyParams({ model }) },
  expect,
});

/** Bad render inputs through render.start (checked at the start or by the worker). */
export function renderInputCases(f: MediaFiles): BadInput[] {
  return [
    start('render: truncated mp4 as motion', f.truncatedNoMoov, f.truncatedNoMoov, MONALISA, { code: 'corrupt_media' }),
    start('render: audio-only as motion', f.audioOnly, f.audioOnly, MONALISA, { code: 'unsupported_media' }),
    start('render: zero-byte reference', f.zeroByte, RUNNING, f.zeroByte, { code: 'corrupt_media' }),
    start('render: 12000×12000 reference', f.huge, RUNNING, f.huge, { code: 'media_too_large' }),
    start('render: motion file missing', f.missing, f.missing, MONALISA, { code: 'not_found' }),
    // These pass the start checks and reach the worker, which must answer, not crash.
    start('render: PNG-sequence motion with a gap', f.gappedFrames, f.gappedFrames, MONALISA, { code: 'invalid_request' }),
    start('render: PNG-sequence motion, one PNG cut short', f.damagedFrames, f.damagedFrames, MONALISA, { code: 'corrupt_media' }),
    {
      ...start('render: range beyond the clip', RUNNING, RUNNING, MONALISA, { code: 'invalid_request' }),
      payload: { motionPath: RUNNING, referencePath: MONALISA, params: tinyParams({ range: { start: 100, end: 104 } }) },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Damaged model folders (copies of the demo model)

function copyModel(demoDir: string, dest: string): string {
  fs.cpSync(demoDir, dest, { recursive: true });
  return dest;
}

function editManifest(dir: string, edit: (m: Record<string, unknown> & { networks: { name: string; file: string; sizeBytes: number }[] }) => void): void {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
}

/** A valid ONNX graph with the wrong input and output names and shapes for a VAE encoder. */
function wrongGraph(file: string): void {
  const g = new GraphBuilder('not_a_vae_encoder');
  const x = g.input('pixels', 'float32', [1, 3, 128, 128]);
  g.output(ops.transpose(g, x, [0, 1, 3, 2]), 'whatever');
  saveToFile(g, file);
}

export function modelCases(demoDir: string, dir: string): BadInput[] {
  const truncated = copyModel(demoDir, path.join(dir, 'model-truncated'));
  const onnx = path.join(truncated, 'controlnet.onnx');
  fs.truncateSync(onnx, Math.floor(fs.statSync(onnx).size / 2));

  // The manifest records the truncated size, so only ONNX parsing can notice.
  const cut = copyModel(demoDir, path.join(dir, 'model-cut-consistent'));
  const cutOnnx = path.join(cut, 'vae_decoder.onnx');
  fs.truncateSync(cutOnnx, Math.floor(fs.statSync(cutOnnx).size / 3));
  editManifest(cut, (m) => (m.networks.find((n) => n.name === 'vae_decoder')!.sizeBytes = fs.statSync(cutOnnx).size));

  const missing = copyModel(demoDir, path.join(dir, 'model-missing-file'));
  fs.rmSync(path.join(missing, 'unet3d.onnx'));

  const version = copyModel(demoDir, path.join(dir, 'model-future-version'));
  editManifest(version, (m) => (m.formatVersion = 99));

  const wrong = copyModel(demoDir, path.join(dir, 'model-wrong-inputs'));
  const wrongOnnx = path.join(wrong, 'vae_encoder.onnx');
  wrongGraph(wrongOnnx);
  editManifest(wrong, (m) => (m.networks.find((n) => n.name === 'vae_encoder')!.sizeBytes = fs.statSync(wrongOnnx).size));

  return [
    start('model: truncated .onnx', onnx, RUNNING, MONALISA, { code: 'model_invalid' }, truncated),
    start('model: truncated .onnx, manifest agrees', cutOnnx, RUNNING, MONALISA, { code: 'model_invalid' }, cut),
    start('model: manifest names a missing file', path.join(missing, 'unet3d.onnx'), RUNNING, MONALISA, { code: 'model_missing' }, missing),
    start('model: manifest from a newer version', path.join(version, 'manifest.json'), RUNNING, MONALISA, { code: 'model_invalid' }, version),
    start('model: ONNX graph with the wrong inputs', wrongOnnx, RUNNING, MONALISA, { code: 'model_invalid' }, wrong),
  ];
}
