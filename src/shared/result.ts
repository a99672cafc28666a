// The result envelope every request returns across a process boundary. Errors are data, not
// exceptions: Electron's error serialisation drops types and codes (STYLE.md §2).

export const ERROR_CODES = [
  'invalid_request', // the payload failed schema validation
  'unknown_channel',
  'unauthorized',
  'not_found',
  'unsupported_media',
  'corrupt_media',
  'media_too_large',
  'not_densepose',
  'corrupt_project', // a project file that is not valid JSON / not a valid project (detail: the .bak, if any)
  'unsupported_version', // a file written by a newer version of the app
  'model_missing',
  'model_invalid',
  'busy',
  'exists', // the destination holds something that is only replaced when the request says overwrite
  'cancelled',
  'disk_full',
  'io_error',
  'worker_crashed',
  'not_available', // the feature exists but not in this mode / on this machine
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface StudioError {
  code: ErrorCode;
  /** What went wrong and what to do about it, for a person. */
  message: string;
  /** Optional machine-readable detail (schema issues, file name, key name). */
  detail?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: StudioError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, detail?: unknown): Result<never> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
});

/** An exception that carries a StudioError; services throw it, the dispatcher turns it into fail(). */
export class StudioFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'StudioFailure';
  }
}
