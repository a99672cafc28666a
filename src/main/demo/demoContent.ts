// The demo project the app makes for itself on first start: a drawn reference person, a drawn
// DensePose-style clip of a figure walking and waving, and a project file using both (with the
// demo model). Everything is built in a sibling temp folder and renamed to `<dataDir>/demo` when
// complete, so a crash or cancel never leaves a half-made demo behind; after that it is reused.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_EXTENSION } from '../../shared/projectFile';
import { applyPreset, defaultRenderParams } from '../../shared/renderParams';
import { encodePng } from '../engine/png';
import { newProject, writeProjectFile } from '../project/projectFile';
import { drawDensePoseFrame } from './densePoseFrame';
import { encodeRawClip } from './encodeRawClip';
import { walkingWavePose } from './figure';
import { drawReferencePerson } from './referenceImage';

export const DEMO_SIZE = 512;
export const DEMO_FRAME_COUNT = 48;
export const DEMO_FPS = 25;

export interface DemoFiles {
  dir: string;
  referencePath: string;
  motionPath: string;
  projectPath: string;
}

export type DemoPhase = 'reference' | 'motion';

export interface DemoContentOptions {
  ffmpegBin: string;
  /** The demo model's native size (the tiny model renders at 128). */
  modelResolution: number;
  onProgress?: (phase: DemoPhase, fraction: number) => void;
  signal?: AbortSignal;
}

export function demoFiles(dataDir: string): DemoFiles {
  const dir = path.join(dataDir, 'demo');
  return {
    dir,
    referencePath: path.join(dir, 'reference.png'),
    motionPath: path.join(dir, 'motion.mp4'),
    projectPath: path.join(dir, `Demo${PROJECT_EXTENSION}`),
  };
}

/** The clip's frames, made one at a time as the encoder asks for them. */
function* motionFrames(onFrame: (index: number) => void): Generator<Uint8Array> {
  for (let i = 0; i < DEMO_FRAME_COUNT; i++) {
    yield drawDensePoseFrame(walkingWavePose(i), DEMO_SIZE);
    onFrame(i + 1);
  }
}

async function writeDemoProject(files: DemoFiles, modelResolution: number): Promise<void> {
  const size = Math.max(64, Math.round(modelResolution / 64) * 64);
  const project = newProject({
    name: 'Demo: walking and waving',
    inputs: [
      { role: 'motion', path: files.motionPath },
      { role: 'reference', path: files.referencePath },
    ],
    render: applyPreset(defaultRenderParams({ model: 'demo', width: size, height: size }), 'fastPreview'),
  });
  await writeProjectFile(files.projectPath, { ...project, viewerMode: 'sideBySide' }, { keepBackup: false });
}

async function buildInto(dir: string, o: DemoContentOptions): Promise<void> {
  const files = demoFiles(path.dirname(dir));
  const inside = (file: string) => path.join(dir, path.basename(file));
  o.onProgress?.('reference', 0);
  await writeFile(inside(files.referencePath), encodePng(drawReferencePerson(DEMO_SIZE), DEMO_SIZE, DEMO_SIZE));
  o.onProgress?.('reference', 1);
  const spec = { width: DEMO_SIZE, height: DEMO_SIZE, fps: DEMO_FPS, outPath: inside(files.motionPath) };
  await encodeRawClip(o.ffmpegBin, spec, motionFrames((n) => o.onProgress?.('motion', n / DEMO_FRAME_COUNT)), o.signal);
  // Written last: its presence marks a complete demo folder.
  await writeDemoProject({ ...files, dir, referencePath: inside(files.referencePath), motionPath: inside(files.motionPath), projectPath: inside(files.projectPath) }, o.modelResolution);
}

/** Makes `<dataDir>/demo` unless a complete one is there; returns its files. */
export async function ensureDemoContent(dataDir: string, o: DemoContentOptions): Promise<DemoFiles> {
  const files = demoFiles(dataDir);
  if (existsSync(files.projectPath)) return files;
  await mkdir(dataDir, { recursive: true });
  const partial = `${files.dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(partial);
  try {
    await buildInto(partial, o);
    await rm(files.dir, { recursive: true, force: true }); // an incomplete older attempt
    await rename(partial, files.dir);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return files;
}
