// Seeded generators of hostile payloads for the fuzz test: random JSON, valid samples with one
// field mutated, prototype-pollution keys, deep nesting and raw garbage frames.
import { CHANNELS, type Channel } from '../../src/shared/contract';
import { mulberry32 } from '../../src/main/compiler/weights/seeded';
import { defaultRenderParams } from '../../src/shared/renderParams';

/** Seeded, so every fuzz run picks the same cases. */
export const rng = mulberry32;

/** One valid payload per channel; mutations start from these. */
export const VALID: Record<Channel, Record<string, unknown>> = {
  'app.info': {},
  'settings.get': {},
  'settings.set': { language: 'ja', threads: 4 },
  'media.probe': { path: '/tmp/x.mp4' },
  'media.import': { path: '/tmp/x.mp4', role: 'motion' },
  'media.peaks': { mediaId: 'abc', buckets: 512 },
  'dialog.open': { kind: 'media' },
  'dialog.save': { kind: 'export', defaultName: 'out.mp4' },
  'dialog.confirm': { title: 'Replace?', message: 'x.mp4 exists', confirm: 'Replace', cancel: 'Cancel' },
  'models.list': {},
  'models.import': { sd15Dir: '/m/sd15', vaeDir: '/m/vae', magicAnimateDir: '/m/ma', name: 'My model', precision: 'fp16', textEmbeddingPath: '/m/e.safetensors' },
  'models.cancelImport': { importId: 'i1' },
  'models.remove': { id: 'my-model' },
  'render.start': { motionPath: '/a.mp4', referencePath: '/b.png', params: defaultRenderParams() },
  'render.cancel': { jobId: 'j1', hard: true },
  'render.resume': { jobId: 'j1' },
  'render.job': { jobId: 'j1' },
  'export.start': {
    jobId: 'j1',
    format: 'mp4',
    outPath: '/tmp/o.mp4',
    fps: 25,
    range: { start: 0, end: 10 },
    audio: { source: 'none' },
  },
  'export.cancel': { exportId: 'e1' },
  'shell.showItem': { path: '/tmp/o.mp4' },
  'project.new': { name: 'Untitled' },
  'project.open': { path: '/tmp/p.maproj' },
  'project.save': { path: '/tmp/p.maproj', project: sampleProject() },
  'project.autosave': { project: sampleProject() },
  'project.recent': {},
  'project.demo': {},
  'project.recoverable': {},
  'project.recover': { id: 'p1' },
  'project.discardAutosave': { id: 'p1' },
};

function sampleProject(): Record<string, unknown> {
  const now = '2024-01-01T00:00:00.000Z';
  return {
    formatVersion: 1, id: 'p1', name: 'Untitled', createdAt: now, modifiedAt: now,
    inputs: [{ role: 'motion', path: '/tmp/x.mp4' }], render: defaultRenderParams(),
    range: { in: null, out: null }, playhead: 0, takes: [], activeTake: null,
    export: { format: 'mp4', fps: null, size: null, layout: 'result', audio: 'none', outPath: null },
    viewerMode: 'output',
  };
}

const WEIRD_STRINGS = ['', ' ', '\u0000', '../../etc/passwd', '%2e%2e', '\ud800', '💥', 'a'.repeat(5000), 'constructor', '__proto__', 'NaN'];
const WEIRD_NUMBERS = [0, -1, 1e308, -1e308, 0.5, 2 ** 53, -(2 ** 31), 65, 3.14159];

export function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 5 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return WEIRD_NUMBERS[Math.floor(r() * WEIRD_NUMBERS.length)];
    case 3:
      return WEIRD_STRINGS[Math.floor(r() * WEIRD_STRINGS.length)];
    case 4:
      return Math.floor(r() * 1e6) - 5e5;
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const keys = ['path', 'role', 'kind', 'jobId', 'language', 'threads', 'params', 'x', '__proto__', 'constructor'];
      for (let i = Math.floor(r() * 4); i > 0; i--) object[keys[Math.floor(r() * keys.length)]] = randomValue(r, depth + 1);
      return object;
    }
  }
}

function mutate(r: () => number, valid: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = structuredClone(valid);
  const keys = Object.keys(copy);
  const action = Math.floor(r() * 4);
  if (action === 0 || keys.length === 0) copy[`extra${Math.floor(r() * 3)}`] = randomValue(r);
  else if (action === 1) delete copy[keys[Math.floor(r() * keys.length)]];
  else if (action === 2) copy[keys[Math.floor(r() * keys.length)]] = randomValue(r);
  else {
    const key = keys[Math.floor(r() * keys.length)];
    const inner = copy[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const innerKeys = Object.keys(inner);
      (inner as Record<string, unknown>)[innerKeys[Math.floor(r() * innerKeys.length)] ?? 'z'] = randomValue(r);
    } else copy[key] = [inner];
  }
  return copy;
}

function deepNesting(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { path: value };
  return value;
}

export interface FuzzCase {
  channel: Channel;
  /** The message as JSON text (so __proto__ keys survive as own properties). */
  payloadJson: string;
}

export function fuzzCases(count: number, seed: number): FuzzCase[] {
  const r = rng(seed);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const channel = CHANNELS[i % CHANNELS.length];
    const kind = Math.floor(r() * 10);
    let payloadJson: string;
    if (kind < 4) payloadJson = JSON.stringify(mutate(r, VALID[channel]));
    else if (kind < 8) payloadJson = JSON.stringify(randomValue(r));
    else if (kind === 8) payloadJson = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}';
    else payloadJson = JSON.stringify(deepNesting(200 + Math.floor(r() * 300)));
    cases.push({ channel, payloadJson });
  }
  return cases;
}

export const GARBAGE_FRAMES = ['', 'null', '42', '"str"', '{', '{"id":', '[]', '{"id":{},"channel":"app.info"}', '{"id":1.5,"channel":"app.info"}', '\u0000\u0001', 'x'.repeat(10_000)];
