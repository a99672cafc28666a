// Starts the render worker and follows it to its one `done`.
//
//   const worker = startWorker(spec, { spawner: forkSpawner(), onEvent });
//   worker.cancel();          // soft: the job stops before its next network call, done 'aborted'
//   worker.kill();            // hard: the process is killed, done 'aborted'
//   await worker.done;        // always settles, with exactly one WorkerDone
//
// Spawners: `forkSpawner()` forks entry.ts with tsx (browser mode, CLI, tests);
// `utilityProcessSpawner(utilityProcess, entryJs)` is for the Electron shell, which passes its own
// `utilityProcess` so this module never imports Electron. A worker that exits or crashes without
// sending `done` is reported as a worker_crashed error, never left hanging.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RenderJobSpec } from '../engine/runJob';
import { forkTsSpawner, utilitySpawner, type ChildLike, type Spawner, type UtilityProcessLike } from './spawn';
import { parseWorkerEvent, type WorkerDone, type WorkerEvent, type WorkerRequest } from './protocol';

export type WorkerChild = ChildLike<WorkerRequest>;

export type WorkerSpawner = Spawner<WorkerRequest>;

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Forks entry.ts under Node with tsx (browser mode, CLI, tests). */
export function forkSpawner(options: { entry?: string; env?: NodeJS.ProcessEnv } = {}): WorkerSpawner {
  return forkTsSpawner<WorkerRequest>(options.entry ?? path.join(HERE, 'entry.ts'), options.env);
}

/** The Electron shell's spawner: the bundled worker entry as a utility process. */
export function utilityProcessSpawner(utilityProcess: UtilityProcessLike, entryJs: string): WorkerSpawner {
  return utilitySpawner<WorkerRequest>(utilityProcess, entryJs, 'MagicAnimate render worker');
}

export type { UtilityProcessLike };

export interface WorkerHandle {
  readonly pid: number | undefined;
  readonly done: Promise<WorkerDone>;
  cancel(): void;
  kill(): void;
}

export interface StartOptions {
  spawner: WorkerSpawner;
  /** Every event, done included (once, last). */
  onEvent?: (event: WorkerEvent) => void;
  /** After done, how long the worker may take to exit before it is killed (ms). */
  exitGraceMs?: number;
}

export function startWorker(spec: RenderJobSpec, o: StartOptions): WorkerHandle {
  const child = o.spawner();
  let settled = false;
  let killedByUs = false;
  let resolveDone: (done: WorkerDone) => void = () => {};
  const done = new Promise<WorkerDone>((resolve) => (resolveDone = resolve));
  const settle = (event: WorkerDone): void => {
    if (settled) return;
    settled = true;
    o.onEvent?.(event);
    resolveDone(event);
  };
  child.onMessage((message) => {
    const event = parseWorkerEvent(message);
    if (!event || settled) return; // nothing is delivered after done
    if (event.type === 'done') {
      settle(event);
      const timer = setTimeout(() => child.kill(), o.exitGraceMs ?? 5000);
      child.onExit(() => clearTimeout(timer));
      return;
    }
    o.onEvent?.(event);
  });
  child.onExit((code, signal) => {
    if (killedByUs) return settle({ type: 'done', status: 'aborted' });
    settle({
      type: 'done',
      status: 'error',
      error: { code: 'worker_crashed', message: `The render worker stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}). Frames already finished are kept; resume the job to continue.` },
    });
  });
  child.send({ type: 'start', spec });
  return {
    pid: child.pid,
    done,
    cancel: () => child.send({ type: 'cancel' }),
    kill: () => {
      if (settled) return;
      killedByUs = true;
      child.kill();
    },
  };
}
