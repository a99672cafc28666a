// Starts the model-compile child and follows it to its one outcome.
//
//   const compile = startCompile(spec, { spawner: forkCompileSpawner(), onStep });
//   compile.kill();            // cancel: the child is killed, the outcome is 'aborted'
//   await compile.done;        // always settles, exactly once
//
// Cancel kills rather than asks: the compiler writes each network synchronously, so a cancel
// message would wait until that network is written (minutes for the SD1.5 UNet). The compiler
// writes into `<outDir>.partial` and renames it only when complete, so after a kill the host
// removes the partial folder, and nothing half-built is ever where the app looks for models.
//
// Spawners: `forkCompileSpawner()` forks compileEntry.ts with tsx (browser mode, tests, and the
// Electron shell unless it injects one); `utilityCompileSpawner(utilityProcess, entryJs)` is for an
// Electron shell that builds compileEntry.ts as its own entry, so this module never imports Electron.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCompileEvent, type CompileJobSpec, type CompileRequest, type CompileStep } from './compileProtocol';
import type { NotNeededInput } from '../../shared/contract';
import { forkTsSpawner, utilitySpawner, type ChildLike, type Spawner, type UtilityProcessLike } from './spawn';

export type CompileChild = ChildLike<CompileRequest>;

export type CompileSpawner = Spawner<CompileRequest>;

/** After its done, how long the child may take to exit before it is killed (ms). */
const EXIT_GRACE_MS = 5000;

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Forks compileEntry.ts under Node with tsx (browser mode, tests, and the CLI). */
export function forkCompileSpawner(options: { entry?: string; env?: NodeJS.ProcessEnv } = {}): CompileSpawner {
  return forkTsSpawner<CompileRequest>(options.entry ?? path.join(HERE, 'compileEntry.ts'), options.env);
}

/** The Electron shell's spawner: the bundled compile entry as a utility process. */
export function utilityCompileSpawner(utilityProcess: UtilityProcessLike, entryJs: string): CompileSpawner {
  return utilitySpawner<CompileRequest>(utilityProcess, entryJs, 'MagicAnimate model compiler');
}

export type CompileOutcome =
  | { status: 'success'; unusedKeys: Record<string, string[]>; notNeeded: NotNeededInput[] }
  | { status: 'aborted' }
  | { status: 'error'; error: { code: string; message: string } };

export interface CompileHandle {
  readonly done: Promise<CompileOutcome>;
  /** Kills the child; the outcome is 'aborted' unless it had already finished. */
  kill(): void;
}

/** Removes what a killed or crashed compile may leave: its partial folder (and, when aborted, a just-renamed output). */
function sweep(spec: CompileJobSpec, outcome: CompileOutcome): void {
  fs.rmSync(`${spec.outDir}.partial`, { recursive: true, force: true });
  // The child may have renamed the finished folder into place just before it was killed; the
  // import was cancelled, and the service refuses names in use, so that folder is this import's.
  if (outcome.status === 'aborted') fs.rmSync(spec.outDir, { recursive: true, force: true });
}

export function startCompile(spec: CompileJobSpec, o: { spawner: CompileSpawner; onStep?: (step: CompileStep) => void }): CompileHandle {
  const child = o.spawner();
  let outcome: CompileOutcome | null = null;
  let killedByUs = false;
  let resolveDone: (outcome: CompileOutcome) => void = () => {};
  const done = new Promise<CompileOutcome>((resolve) => (resolveDone = resolve));
  child.onMessage((message) => {
    const event = parseCompileEvent(message);
    if (!event || outcome || killedByUs) return; // nothing is delivered after done or a cancel
    if (event.type === 'progress') return o.onStep?.(event.step);
    outcome = event.status === 'success' ? { status: 'success', unusedKeys: event.unusedKeys ?? {}, notNeeded: event.notNeeded ?? [] } : { status: 'error', error: event.error ?? { code: 'internal', message: 'the compile failed' } };
    // The outcome is known; a child that does not leave on its own is ended (its work is done).
    const timer = setTimeout(() => child.kill(), EXIT_GRACE_MS);
    child.onExit(() => clearTimeout(timer));
  });
  child.onExit((code, signal) => {
    if (!outcome || killedByUs) {
      outcome = killedByUs
        ? { status: 'aborted' }
        : { status: 'error', error: { code: 'worker_crashed', message: `The model compiler stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); nothing was imported.` } };
    }
    if (outcome.status !== 'success') sweep(spec, outcome);
    resolveDone(outcome);
  });
  child.send({ type: 'start', spec });
  return {
    done,
    kill: () => {
      if (outcome) return;
      killedByUs = true;
      child.kill();
    },
  };
}
