// The real main-side services (createServices with the app's own loaders) in a temporary data
// folder, driven through the dispatcher exactly as both shells drive them, with every event
// recorded. Reliability tests use it to inject bad inputs and faults and to check what survives.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StudioEvent } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { createServices, type Services } from '../../src/main/services/index';
import { SERVICE_LOADERS } from '../../src/main/services/loaders';
import { JsonSettingsStore } from '../../src/main/services/settings';
import type { Logger } from '../../src/main/services/serviceTypes';
import { dataPaths } from '../../src/main/paths';
import { buildDemoModel } from '../../src/main/compiler/compile';
import type { RenderParams } from '../../src/shared/renderParams';
import { defaultRenderParams } from '../../src/shared/renderParams';

export const SAMPLES = path.resolve('../shared/data/magicanimate-samples');
export const RUNNING = path.join(SAMPLES, 'running.mp4');
export const MONALISA = path.join(SAMPLES, 'monalisa.png');

/** A logger that keeps what it is told; `errors` are unexpected failures (dispatcher 'internal'). */
export function recordingLog(): Logger & { errors: string[]; warnings: string[] } {
  return {
    errors: [],
    warnings: [],
    info: () => undefined,
    warn(message) {
      this.warnings.push(message);
    },
    error(message, err) {
      this.errors.push(`${message} ${err instanceof Error ? err.message : (err ?? '')}`);
    },
  };
}

export interface Studio {
  root: string;
  dataDir: string;
  services: Services;
  log: ReturnType<typeof recordingLog>;
  events: StudioEvent[];
  dispatch(channel: string, payload: unknown): Promise<Result<unknown>>;
  /** Resolves with the first recorded event from index `after` on (past or future) that matches; rejects after `ms`. */
  waitFor<T extends StudioEvent>(match: (e: StudioEvent) => e is T, ms: number, after?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startStudio(tag: string): Promise<Studio> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `ma-rel-${tag}-`));
  const dataDir = path.join(root, 'data');
  const log = recordingLog();
  const services = await createServices({
    mode: 'browser',
    version: '0.0.0-reliability',
    dataDir,
    settings: JsonSettingsStore.inDataDir(dataDir, log),
    log,
    loaders: SERVICE_LOADERS,
  });
  const events: StudioEvent[] = [];
  const waiters = new Set<(e: StudioEvent) => void>();
  services.events.subscribe((e) => {
    events.push(e);
    for (const w of [...waiters]) w(e);
  });
  return {
    root,
    dataDir,
    services,
    log,
    events,
    dispatch: (channel, payload) => services.dispatcher.dispatch(channel, payload),
    waitFor(match, ms, after = 0) {
      const seen = events.slice(after).find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${ms} ms; last events: ${JSON.stringify(events.slice(-3))}`));
        }, ms);
        const check = (e: StudioEvent): void => {
          if (!match(e)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(e);
        };
        waiters.add(check);
      });
    },
    async close() {
      await services.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export type RenderDone = Extract<StudioEvent, { type: 'render.done' }>;
export const isDoneOf =
  (jobId: string) =>
  (e: StudioEvent): e is RenderDone =>
    e.type === 'render.done' && e.jobId === jobId;

/** Builds the demo model into the studio's data folder once (the worker would otherwise build it mid-job). */
export async function ensureDemoModel(studio: Studio): Promise<string> {
  const dir = path.join(dataPaths(studio.dataDir).models, 'demo');
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) await buildDemoModel(studio.dataDir);
  return dir;
}

/** Small, fast render parameters for the demo model (128×128, few steps, one thread). */
export function tinyParams(overrides: Partial<RenderParams> = {}): RenderParams {
  return defaultRenderParams({ width: 128, height: 128, steps: 2, window: 4, overlap: 1, range: { start: 0, end: 4 }, threads: 1, provider: 'cpu', ...overrides });
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file under `dir` (relative names), for before/after comparisons. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

/** Direct children of a process (from /proc), to prove none is left behind. */
export function childPids(pid = process.pid): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may itself hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The whole command line: never cut, since a clone's path can push the entry's name far right. */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return `(pid ${pid} gone)`;
  }
}

/** The command line shortened for messages: its last 120 characters, where the entry is. */
export function describeProcess(pid: number): string {
  const line = commandLine(pid);
  return line.length > 120 ? `…${line.slice(-119)}` : line;
}
