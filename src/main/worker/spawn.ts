// How the main side starts a child process (render worker, model compiler), written once for both.
// Node side: fork a .ts entry with tsx's loader (browser mode, CLI, tests). Electron: the shell
// passes its own `utilityProcess` and the bundled .js entry, so no module here imports Electron.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A started child as the hosts see it; `Request` is the message type the child accepts. */
export interface ChildLike<Request> {
  readonly pid: number | undefined;
  send(message: Request): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type Spawner<Request> = () => ChildLike<Request>;

/** The subset of Electron's utilityProcess API the hosts need (injected by the Electron shell). */
export interface UtilityProcessLike {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }): {
    pid: number | undefined;
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: unknown) => void): unknown;
    on(event: 'exit', listener: (code: number) => void): unknown;
    kill(): boolean;
  };
}

/** Forks `entryTs` under Node with tsx's loader (resolved from this package, whatever the cwd). */
export function forkTsSpawner<Request>(entryTs: string, env: NodeJS.ProcessEnv = process.env): Spawner<Request> {
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const loader = pathToFileURL(path.join(tsxDir, 'dist', 'loader.mjs')).href;
  return () => {
    const child = fork(entryTs, [], { execArgv: ['--import', loader], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
    return {
      pid: child.pid,
      send: (message) => void (child.connected && child.send(message as object)),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}

/** Starts `entryJs` as an Electron utility process. */
export function utilitySpawner<Request>(utilityProcess: UtilityProcessLike, entryJs: string, serviceName: string): Spawner<Request> {
  return () => {
    const child = utilityProcess.fork(entryJs, [], { serviceName, stdio: 'inherit' });
    return {
      pid: child.pid,
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code: number) => listener(code, null)),
      kill: () => void child.kill(),
    };
  };
}
