// Turns an ffmpeg/ffprobe failure (exit code, signal, stderr tail) into a StudioFailure whose
// message says what happened and what to do. Pure, so the mapping is tested on text alone.
import { StudioFailure, type ErrorCode } from '../../shared/result';
import { refusedDemuxer } from './inputPolicy';

/** The detail attached to failures from `failureFromFfmpeg`. */
export interface ToolFailureDetail {
  why: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface ToolExit {
  what: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

interface Rule {
  test: (exit: ToolExit) => boolean;
  code: ErrorCode;
  advice: string;
}

const has = (re: RegExp) => (exit: ToolExit) => re.test(exit.stderr);

// Order matters: a full disk also makes ffmpeg print generic "Error writing" lines.
const RULES: Rule[] = [
  {
    // inputPolicy.ts refused the demuxer ffmpeg detected: a script (concat, playlist) named like media.
    test: has(/Format not on whitelist/),
    code: 'unsupported_media',
    advice: 'It is not a video, picture or audio file (ffmpeg read it as a script or playlist, which the studio never follows). Choose the media file itself.',
  },
  {
    // NOTE: a process over its `ulimit -f` gets SIGXFSZ (or EFBIG, "File too large", if it ignores it).
    test: (e) => e.signal === 'SIGXFSZ' || /No space left on device|File too large|ENOSPC|EFBIG/i.test(e.stderr),
    code: 'disk_full',
    advice: 'The disk (or the allowed file size) is full. Free some space or choose another folder, then try again.',
  },
  {
    test: has(/Permission denied|Read-only file system|EACCES|EROFS/i),
    code: 'io_error',
    advice: 'The file or folder cannot be written or read. Check its permissions or choose another location.',
  },
  {
    test: has(/No such file or directory/i),
    code: 'not_found',
    advice: 'The file does not exist (any more). Check the path.',
  },
  {
    // Killed from outside (the OOM killer, a task manager); our own aborts never get here: the
    // services report those as cancelled.
    test: (e) => e.signal === 'SIGKILL' || e.signal === 'SIGTERM',
    code: 'internal',
    advice: 'ffmpeg was stopped from outside (out of memory, or ended by another program); nothing was kept under the final name. Try again, with a smaller size if memory is short.',
  },
  {
    // `-map 0:v:0` on a file without a video track (an audio file given as the motion clip).
    test: has(/matches no streams|does not contain any stream/i),
    code: 'unsupported_media',
    advice: 'The file has no video or picture in it (is it an audio file?). Choose a DensePose video for the motion track, or a photo for the reference.',
  },
  {
    test: has(/moov atom not found|partial file|Invalid NAL unit|Invalid data found|error while decoding|corrupt|truncat/i),
    code: 'corrupt_media',
    advice: 'The file looks damaged or incomplete. Re-export or re-download it, or convert it with another tool.',
  },
];

/** The last meaningful stderr line, which is where ffmpeg puts the actual reason. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^(Conversion failed!|Exiting normally)/.test(l));
  return lines.length > 0 ? lines[lines.length - 1].slice(0, 300) : '';
}

export function failureFromFfmpeg(exit: ToolExit): StudioFailure {
  const rule = RULES.find((r) => r.test(exit));
  const refused = refusedDemuxer(exit.stderr);
  const why = refused
    ? `the file's content is an ffmpeg "${refused}" file, not media`
    : lastErrorLine(exit.stderr) || (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`);
  const detail = { why, code: exit.code, signal: exit.signal, stderr: exit.stderr.slice(-2000) };
  if (rule) return new StudioFailure(rule.code, `Failed while ${exit.what}: ${why}. ${rule.advice}`, detail);
  return new StudioFailure('internal', `ffmpeg failed while ${exit.what}: ${why}.`, detail);
}

/** Map a Node fs error (ENOSPC while renaming, EACCES, …) to a StudioFailure. */
export function failureFromFsError(err: unknown, what: string): StudioFailure {
  if (err instanceof StudioFailure) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') {
    return new StudioFailure('disk_full', `The disk is full while ${what}. Free some space and try again.`);
  }
  if (code === 'ENOENT') return new StudioFailure('not_found', `Not found while ${what}: ${message}.`);
  return new StudioFailure('io_error', `Failed while ${what}: ${message}. Check the folder's permissions and free space.`);
}
