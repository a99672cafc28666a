// The model-compile child process. A full-size compile builds graphs of thousands of nodes and
// writes gigabytes synchronously, which would freeze the process that runs it for minutes, so the
// main side runs it here: a forked Node child (browser mode, tests) or an Electron utilityProcess.
// It waits for one `start`, compiles, answers with exactly one `done`, and leaves.
import { StudioFailure } from '../../shared/result';
import { compileModel, type CompileProgress } from '../compiler/compile';
import { openParentChannel } from './parentChannel';
import { parseCompileRequest, type CompileEvent, type CompileStep } from './compileProtocol';

/** Progress arrives once per tensor (thousands for SD1.5); the main side needs a few per second. */
const PROGRESS_INTERVAL_MS = 100;

function stepOf(event: CompileProgress): CompileStep {
  if (event.phase !== 'network') return { phase: event.phase, fraction: event.fraction };
  const { network, index, count, tensor, tensors, fraction } = event;
  return { phase: 'network', network, index, count, tensor, tensors, fraction };
}

/** Sends a step when the phase or network changes, otherwise at most every PROGRESS_INTERVAL_MS. */
function throttled(send: (step: CompileStep) => void): (event: CompileProgress) => void {
  let lastKey = '';
  let lastAt = 0;
  return (event) => {
    const step = stepOf(event);
    const key = `${step.phase}:${step.network ?? ''}`;
    const now = Date.now();
    if (key === lastKey && now - lastAt < PROGRESS_INTERVAL_MS) return;
    lastKey = key;
    lastAt = now;
    send(step);
  };
}

function main(): void {
  const channel = openParentChannel<CompileEvent>('compile worker');
  let started = false;
  channel.onMessage((message) => {
    const request = parseCompileRequest(message);
    if (!request || started) return; // one compile per child
    started = true;
    const onProgress = throttled((step) => channel.send({ type: 'progress', step }));
    compileModel({ ...request.spec, onProgress })
      .then(
        (result): CompileEvent => ({ type: 'done', status: 'success', unusedKeys: result.unusedKeys, notNeeded: result.notNeeded }),
        (err: unknown): CompileEvent => ({
          type: 'done',
          status: 'error',
          error: err instanceof StudioFailure ? { code: err.code, message: err.message } : { code: 'internal', message: err instanceof Error ? err.message : String(err) },
        }),
      )
      .then((done) => {
        channel.send(done);
        channel.close();
      });
  });
}

main();
