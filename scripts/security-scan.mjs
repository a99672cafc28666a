// `node scripts/security-scan.mjs [--json] [--allowlist FILE] [dir ...]`: runs Doyensec's Electronegativity over the
// Electron main side and the preload (default: src/main src/preload), prints the findings table
// and exits non-zero on any HIGH or MEDIUM finding that tests/security/allowlist.json does not
// justify, on any file the scanner could not parse (an unparsed file is an unscanned file), and on
// any allowlist entry that no longer matches a finding (stale justifications hide new problems).
//
// NOTE: Electronegativity fetches translations (1 s timeout) before scanning; offline it prints
// "Could not retrieve updated translations" and goes on with its bundled English strings. Its
// AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub, so it is
// excluded: keeping Electron current is `npm outdated`'s job, and the scan must run offline.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const repo = resolve(import.meta.dirname, '..');
const ALLOWLIST = resolve(repo, 'tests/security/allowlist.json');
const NETWORK_CHECKS = ['availablesecurityfixesglobalcheck'];
const BLOCKING = new Set(['HIGH', 'MEDIUM']);

function electronVersion() {
  const installed = resolve(repo, 'node_modules/electron/package.json');
  if (existsSync(installed)) return JSON.parse(readFileSync(installed, 'utf8')).version;
  const declared = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')).devDependencies?.electron ?? '';
  return declared.replace(/^[^\d]*/, '') || undefined;
}

function readAllowlist(file) {
  if (!existsSync(file)) return [];
  const entries = JSON.parse(readFileSync(file, 'utf8'));
  for (const e of entries) {
    if (typeof e.check !== 'string' || typeof e.file !== 'string' || typeof e.reason !== 'string' || e.reason.length < 40) {
      throw new Error(`${relative(repo, file)}: every entry needs "check", "file" and a "reason" of at least 40 characters: ${JSON.stringify(e)}`);
    }
  }
  return entries;
}

/** How a file is named in the report: relative to the repository when inside it. */
function displayPath(abs) {
  const rel = relative(repo, abs);
  return (rel.startsWith('..') ? abs : rel).split(sep).join('/');
}

/**
 * The global checks (navigation limits, permission handler, CSP) look across every file of one
 * scan, so the folders are copied side by side into one temporary tree and scanned together.
 */
function stageFolders(dirs) {
  const stage = mkdtempSync(join(tmpdir(), 'security-scan-'));
  const origins = dirs.map((dir, i) => {
    const src = resolve(repo, dir);
    if (!existsSync(src)) throw new Error(`no such folder to scan: ${dir}`);
    const dest = join(stage, `${i}-${basename(src)}`);
    cpSync(src, dest, { recursive: true, filter: (f) => !f.includes(`${sep}node_modules`) });
    return { dest, src };
  });
  const original = (file) => {
    const origin = origins.find((o) => file === o.dest || file.startsWith(o.dest + sep));
    return origin ? displayPath(origin.src + file.slice(origin.dest.length)) : file;
  };
  return { stage, original };
}

async function scanTogether(run, dirs, version) {
  const { stage, original } = stageFolders(dirs);
  try {
    const report = await run(
      { input: stage, isRelative: false, customScan: [], excludeFromScan: NETWORK_CHECKS, electronVersionOverride: version, parserPlugins: [] },
      false,
    );
    const issues = report.issues.map((i) => ({
      check: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: original(i.file),
      line: i.location?.line ?? 0,
      sample: (i.sample ?? '').trim().slice(0, 60),
      description: i.description,
    }));
    const errors = report.errors.map((e) => ({ file: original(e.file), message: e.message, tolerable: e.tolerable }));
    return { checks: report.globalChecks + report.atomicChecks, issues, errors };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Scans `dirs`; returns the findings with their verdicts and the reasons the scan fails. */
export async function securityScan(dirs, allowlistFile = ALLOWLIST) {
  const run = require('@doyensec/electronegativity');
  const allow = readAllowlist(allowlistFile);
  const version = electronVersion();
  const { checks, issues: findings, errors } = await scanTogether(run, dirs, version);
  const problems = errors.filter((e) => !e.tolerable).map((e) => `could not parse ${e.file} (${e.message}), so it was not scanned`);
  const used = new Set();
  for (const f of findings) {
    const entry = allow.findIndex((a) => a.check === f.check && a.file === f.file);
    f.allowed = entry >= 0;
    if (entry >= 0) used.add(entry);
    if (!f.allowed && BLOCKING.has(f.severity)) problems.push(`${f.severity} ${f.check} at ${f.file}:${f.line}: ${f.description}`);
  }
  allow.forEach((a, i) => {
    if (!used.has(i)) problems.push(`stale allowlist entry ${a.check} for ${a.file}: no such finding any more; remove it from ${relative(repo, allowlistFile)}`);
  });
  const blocking = findings.filter((f) => !f.allowed && BLOCKING.has(f.severity));
  const high = blocking.filter((f) => f.severity === 'HIGH').length;
  return { checks, version, findings, problems, high, medium: blocking.length - high };
}

function printTable(findings) {
  const rows = findings.map((f) => [f.severity, f.confidence, f.check, `${f.file}:${f.line}`, f.allowed ? 'allowlisted' : BLOCKING.has(f.severity) ? 'FAIL' : 'note']);
  const head = ['severity', 'confidence', 'check', 'where', 'verdict'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const at = args.indexOf('--allowlist');
  const allowlist = at >= 0 ? resolve(args[at + 1]) : ALLOWLIST;
  const dirs = args.filter((a, i) => !a.startsWith('--') && i !== at + 1);
  const report = await securityScan(dirs.length > 0 ? dirs : ['src/main', 'src/preload'], allowlist);
  if (json) {
    console.log(JSON.stringify(report));
  } else {
    printTable(report.findings);
    for (const p of report.problems) console.error(`security scan: ${p}`);
  }
  const allowed = report.findings.filter((f) => f.allowed).length;
  console.log(
    `security scan: ${report.checks} checks, ${report.findings.length} findings (high ${report.high}, medium ${report.medium}) ` +
      `— ${allowed} allowlisted with reasons, Electron ${report.version}`,
  );
  process.exit(report.problems.length > 0 ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(`security scan: the scanner failed to run: ${err?.stack ?? err}`);
    process.exit(2);
  });
}
