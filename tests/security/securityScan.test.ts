// The Electronegativity scan of the Electron main side and preload (scripts/security-scan.mjs)
// passes on the real tree, and fails on a deliberately unsafe window, on a stale allowlist entry
// and on a file the scanner cannot parse, so a green run means something.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const script = join(repo, 'scripts/security-scan.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'secscan-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Finding {
  check: string;
  severity: string;
  file: string;
  allowed: boolean;
}
interface Report {
  checks: number;
  findings: Finding[];
  problems: string[];
  high: number;
  medium: number;
}

function scan(args: string[]): { status: number | null; report: Report; stdout: string } {
  const result = spawnSync(process.execPath, [script, '--json', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  const jsonLine = result.stdout.split('\n').find((l) => l.startsWith('{')) ?? '';
  expect(jsonLine, `no JSON report; stderr: ${result.stderr}`).not.toBe('');
  return { status: result.status, report: JSON.parse(jsonLine) as Report, stdout: result.stdout };
}

function unsafeApp(dir: string, extra = ''): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.ts'),
    `import { BrowserWindow } from 'electron';\n` +
      `export function open(): BrowserWindow {\n` +
      `  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\n` +
      `  void w.loadURL('http://example.com/');\n  return w;\n}\n${extra}`,
  );
  return dir;
}

describe('security scan', () => {
  it('passes on src/main + src/preload with only justified findings', () => {
    const { status, report, stdout } = scan([]);
    const summary = stdout.split('\n').find((l) => l.startsWith('security scan:')) ?? '';
    console.log(summary);
    expect(status, stdout).toBe(0);
    expect(summary).toMatch(/^security scan: \d+ checks, \d+ findings \(high 0, medium 0\)/);
    expect(report.checks).toBeGreaterThan(20);
    expect(report.problems).toEqual([]);
    for (const f of report.findings.filter((x) => x.severity === 'HIGH' || x.severity === 'MEDIUM')) expect(f.allowed).toBe(true);
  });

  it('fails on a window without isolation, sandbox or web security', () => {
    const { status, report } = scan(['--allowlist', join(scratch, 'none.json'), unsafeApp(join(scratch, 'unsafe'))]);
    expect(status).toBe(1);
    const checks = report.findings.map((f) => f.check);
    expect(checks).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']));
    expect(report.high).toBeGreaterThan(0);
  });

  it('fails on a stale allowlist entry and on a file it cannot parse', () => {
    const allowlist = join(scratch, 'stale.json');
    const reason = 'A justification long enough to pass the length rule of the allowlist reader.';
    writeFileSync(allowlist, JSON.stringify([{ check: 'PRELOAD_JS_CHECK', file: 'src/nowhere.ts', reason }]));
    const dir = join(scratch, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'broken.ts'), 'export const = ;\n');
    const { status, report } = scan(['--allowlist', allowlist, dir]);
    expect(status).toBe(1);
    expect(report.problems.join('\n')).toMatch(/stale allowlist entry PRELOAD_JS_CHECK/);
    expect(report.problems.join('\n')).toMatch(/could not parse .*broken\.ts/);
  });
});
