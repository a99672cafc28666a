// Command-line options of browser mode (`npm start -- --help` shows them). Pure, so it is tested
// without starting anything.
export interface ServerArgs {
  /** null: the port remembered in the data folder (server.json), else a free one. */
  port: number | null;
  host: string;
  allowRemote: boolean;
  open: boolean;
  dataDir?: string;
  help: boolean;
}

export const USAGE = `MagicAnimate Studio — browser mode

Usage: npm start -- [options]       (or: node --import tsx src/main/server/main.ts [options])

Options:
  --port N          port to listen on (default: the one used last time with this data
                    folder, or a free one if it is busy or on the first start; 0: a new
                    free port each time)
  --host ADDR       address to bind (default 127.0.0.1)
  --allow-remote    required with a --host that other machines can reach
  --data-dir DIR    where settings, caches, uploads and renders live
                    (default: $XDG_DATA_HOME/magicanimate-studio on Linux,
                    %APPDATA%\\MagicAnimate Studio on Windows, else ~/.magicanimate-studio)
  --no-open         do not open the default browser
  --help            show this text
`;

export class ArgsError extends Error {}

function valueOf(argv: readonly string[], i: number, flag: string, inline: string | undefined): [string, number] {
  if (inline !== undefined) return [inline, i];
  const next = argv[i + 1];
  if (next === undefined || next.startsWith('--')) throw new ArgsError(`${flag} needs a value.`);
  return [next, i + 1];
}

export function parseServerArgs(argv: readonly string[]): ServerArgs {
  const args: ServerArgs = { port: null, host: '127.0.0.1', allowRemote: false, open: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    switch (flag) {
      case '--port': {
        const [text, at] = valueOf(argv, i, flag, inline);
        i = at;
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new ArgsError(`--port must be a number from 0 to 65535, not "${text}".`);
        args.port = port;
        break;
      }
      case '--host':
        [args.host, i] = valueOf(argv, i, flag, inline);
        break;
      case '--data-dir':
        [args.dataDir, i] = valueOf(argv, i, flag, inline);
        break;
      case '--allow-remote':
        args.allowRemote = true;
        break;
      case '--no-open':
        args.open = false;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new ArgsError(`Unknown option "${argv[i]}". Run with --help to see the options.`);
    }
  }
  return args;
}
