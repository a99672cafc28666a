// The render worker process. It runs under Electron as a utilityProcess (messages through
// process.parentPort) and, in browser mode and the CLI, as a forked Node child (process.send).
// It waits for one `start`, runs the job with an AbortSignal that `cancel` trips, and answers
// with exactly one `done`; then it disconnects so the process can end.
import { StudioFailure } from '../../shared/result';
import { runRenderJob, type JobSink } from '../engine/runJob';
import { openParentChannel, type ParentChannel } from './parentChannel';
import { parseWorkerRequest, type WorkerEvent } from './protocol';

type Channel = ParentChannel<WorkerEvent>;

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof StudioFailure) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

function main(): void {
  const channel: Channel = openParentChannel<WorkerEvent>('render worker');
  const controller = new AbortController();
  let started = false;
  let finished = false;
  const finish = (event: Extract<WorkerEvent, { type: 'done' }>): void => {
    if (finished) return;
    finished = true;
    channel.send({ ...event, peakRssBytes: peakRss() });
    channel.close();
  };
  channel.onMessage((message) => {
    const request = parseWorkerRequest(message);
    if (!request) {
      channel.send({ type: 'log', level: 'warn', message: 'the worker ignored a malformed message' });
      return;
    }
    if (request.type === 'cancel') {
      controller.abort();
      if (!started) finish({ type: 'done', status: 'aborted' });
      return;
    }
    if (started) return; // one job per worker
    started = true;
    const sink: JobSink = {
      progress: (p) => channel.send({ type: 'progress', ...p }),
      segment: (s) => channel.send({ type: 'segment', ...s }),
      log: (level, text) => channel.send({ type: 'log', level, message: text }),
    };
    runRenderJob(request.spec, sink, controller.signal).then(
      (summary) => finish({ type: 'done', status: 'success', summary }),
      (err: unknown) => {
        const error = errorOf(err);
        finish(controller.signal.aborted ? { type: 'done', status: 'aborted' } : { type: 'done', status: 'error', error });
      },
    );
  });
}

main();
