// One entry point for every request from either transport: look the channel up, validate the
// payload with the contract's schema, run the handler, and turn every outcome into a Result
// envelope (STYLE.md §1–2). `dispatch` never throws and never rejects.
import type { z } from 'zod';
import { requests, type Channel, type RequestOf, type ResponseOf } from '../../shared/contract';
import { ERROR_CODES, fail, ok, StudioFailure, type ErrorCode, type Result } from '../../shared/result';
import { consoleLogger, type Handler, type Handlers, type Logger } from './serviceTypes';

export interface Dispatcher {
  dispatch<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  dispatch(channel: string, payload: unknown): Promise<Result<unknown>>;
  /** Channels with a handler (others answer not_available). */
  readonly handled: readonly Channel[];
}

export interface DispatcherOptions {
  log?: Logger;
  /** Why a channel without handler is unavailable, e.g. "native dialogs need the desktop app". */
  unavailable?: Partial<Record<Channel, string>>;
}

/** The most schema issues echoed back in `detail`: a fuzzed payload can produce thousands. */
const MAX_ISSUES = 20;

export interface IssueDetail {
  path: string;
  code: string;
  message: string;
}

export function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(requests, channel);
}

/** Schema issues as a person-readable sentence naming the first offending field, plus detail. */
export function describeIssues(channel: string, error: z.ZodError): { message: string; detail: IssueDetail[] } {
  const detail = error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.') || '(payload)',
    code: issue.code,
    message: issue.message,
  }));
  const first = detail[0];
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  const message = first
    ? `Invalid request for '${channel}': ${first.path}: ${first.message}${more}.`
    : `Invalid request for '${channel}'.`;
  return { message, detail };
}

function isStudioFailure(err: unknown): err is StudioFailure {
  // NOTE: checked by shape too, because a bundled worker or a second copy of result.ts would
  // make `instanceof` miss.
  if (err instanceof StudioFailure) return true;
  const candidate = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.name === 'StudioFailure' &&
    typeof candidate.message === 'string' &&
    (ERROR_CODES as readonly unknown[]).includes(candidate.code)
  );
}

function describeChannelForLog(channel: unknown): string {
  return typeof channel === 'string' ? JSON.stringify(channel.slice(0, 80)) : typeof channel;
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const log = options.log ?? consoleLogger;
  const handled = (Object.keys(requests) as Channel[]).filter((c) => typeof handlers[c] === 'function');

  async function run(channel: Channel, input: unknown): Promise<Result<unknown>> {
    const handler = handlers[channel] as Handler<Channel> | undefined;
    if (!handler) {
      const why = options.unavailable?.[channel] ?? `The service behind '${channel}' is not available in this build.`;
      return fail('not_available', why);
    }
    let value: unknown;
    try {
      value = await handler(input as never);
    } catch (err) {
      if (isStudioFailure(err)) return fail(err.code as ErrorCode, err.message, err.detail);
      log.error(`'${channel}' failed unexpectedly`, err);
      return fail('internal', `Something went wrong while handling '${channel}'. The details are in the log.`);
    }
    // The outputs are part of the contract too: a service returning the wrong shape is a bug
    // that should surface here, not as a confusing renderer crash.
    const checked = requests[channel].output.safeParse(value);
    if (!checked.success) {
      log.error(`'${channel}' returned a value that does not match the contract`, checked.error);
      return fail('internal', `The reply to '${channel}' did not match the contract. The details are in the log.`);
    }
    return ok(checked.data);
  }

  async function dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    try {
      if (!isChannel(channel)) {
        return fail('unknown_channel', `Unknown request channel ${describeChannelForLog(channel)}.`);
      }
      const parsed = requests[channel].input.safeParse(payload);
      if (!parsed.success) {
        const { message, detail } = describeIssues(channel, parsed.error);
        return fail('invalid_request', message, detail);
      }
      return await run(channel, parsed.data);
    } catch (err) {
      // Only reachable through a bug in a schema refinement; still never throw across the boundary.
      log.error(`dispatch of ${describeChannelForLog(channel)} failed`, err);
      return fail('internal', 'Something went wrong while reading the request. The details are in the log.');
    }
  }

  return { dispatch: dispatch as Dispatcher['dispatch'], handled };
}
