#!/usr/bin/env node
// Runs the three install scripts npm is told not to run (package.json "allowScripts"), guarded:
// each downloads a binary from the internet, and each is optional. They run in parallel, each
// behind a quick reachability probe and a timeout, so an offline or CI install finishes fast.
// A failure prints what is missing and what still works, and the install still succeeds.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODULES = join(REPO, 'node_modules');
const CI = process.env.CI === 'true' || process.env.CI === '1';
const TIMEOUT_MS = Number(process.env.STUDIO_POSTINSTALL_TIMEOUT_MS) || (CI ? 45_000 : 120_000);
const PROBE_MS = 4_000;
const HAS_PROXY = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'GLOBAL_AGENT_HTTPS_PROXY'].some((v) => process.env[v]);

const isFile = (path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of process.platform === 'win32' ? ['.exe', ''] : ['']) if (isFile(join(dir, name + ext))) return join(dir, name + ext);
  }
  return null;
}

function electronInstalled() {
  try {
    return isFile(join(MODULES, 'electron', 'dist', readFileSync(join(MODULES, 'electron', 'path.txt'), 'utf8').trim()));
  } catch {
    return false;
  }
}

const ffmpegStaticBinary = () => join(MODULES, 'ffmpeg-static', process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
const ortCudaLibrary = () => join(MODULES, 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so');

const ffmpegFallback = () => {
  const found = onPath('ffmpeg');
  return found ? `using ffmpeg from PATH (${found}) or set FFMPEG_BIN` : 'no ffmpeg on PATH either: install ffmpeg or set FFMPEG_BIN';
};

/** Each step: its script, when to skip it, how to tell it worked, and what a failure means. */
const STEPS = [
  {
    name: 'electron',
    script: join(MODULES, 'electron', 'install.js'),
    host: 'github.com',
    skip: () => (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1' ? 'ELECTRON_SKIP_BINARY_DOWNLOAD=1' : null),
    done: electronInstalled,
    missing: () => 'Electron binary not downloaded: `npm start` will use browser mode (the same editor in your browser).',
  },
  {
    name: 'ffmpeg-static',
    script: join(MODULES, 'ffmpeg-static', 'install.js'),
    host: 'github.com',
    skip: () => (process.env.FFMPEG_BIN ? `FFMPEG_BIN=${process.env.FFMPEG_BIN}` : null),
    done: () => isFile(ffmpegStaticBinary()),
    missing: () => `ffmpeg-static binary missing: ${ffmpegFallback()}.`,
  },
  {
    name: 'onnxruntime-node',
    script: join(MODULES, 'onnxruntime-node', 'script', 'install.js'),
    host: 'api.nuget.org',
    // Only Linux x64 has anything to download (the CUDA provider); elsewhere the script is a no-op.
    skip: () =>
      process.env.ONNXRUNTIME_NODE_INSTALL === 'skip' ? 'ONNXRUNTIME_NODE_INSTALL=skip' : process.platform !== 'linux' || process.arch !== 'x64' ? 'nothing to download on this platform' : null,
    done: () => isFile(ortCudaLibrary()),
    missing: () => 'onnxruntime CUDA provider not installed: CPU inference works (set ONNXRUNTIME_NODE_INSTALL=skip to stop trying).',
  },
];

/** Resolves true when the host answers HTTPS at all (any status) within PROBE_MS. */
function reachable(host) {
  if (HAS_PROXY) return Promise.resolve(true); // the scripts know the proxy; a direct probe would not
  return new Promise((resolveProbe) => {
    const req = request({ host, method: 'HEAD', path: '/', timeout: PROBE_MS }, (res) => {
      res.resume();
      resolveProbe(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolveProbe(false));
    req.end();
  });
}

function runScript(script) {
  return new Promise((resolveRun) => {
    // NOTE: onnxruntime-node's script exits early when it believes it is being installed as the
    // top-level package (npm_package_json in our directory); drop those variables so it behaves
    // as it would when npm runs it as a dependency.
    const env = { ...process.env };
    delete env.npm_package_json;
    delete env.npm_config_local_prefix;
    const child = spawn(process.execPath, [script], { cwd: dirname(script), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      output += `\n(stopped after ${TIMEOUT_MS / 1000} s)`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (err) => keep(err.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

/** The most telling line of a failed script's output: the first error-looking one, else the last. */
function reasonOf(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.find((l) => /error|ENOTFOUND|ECONN|EAI_AGAIN|timed? ?out|stopped after|statusCode/i.test(l));
  return (telling ?? lines[lines.length - 1] ?? '').slice(0, 200);
}

async function runStep(step) {
  if (!existsSync(step.script)) return { step, status: 'absent' };
  if (step.done()) return { step, status: 'ok' };
  const skipped = step.skip();
  if (skipped) return { step, status: 'skipped', why: `skipped (${skipped})` };
  if (!(await reachable(step.host))) return { step, status: 'failed', why: `${step.host} is not reachable (offline?)` };
  const { code, output } = await runScript(step.script);
  if (step.done()) return { step, status: 'ok' };
  return { step, status: 'failed', why: `install script exited with ${code}${reasonOf(output) ? `: ${reasonOf(output)}` : ''}` };
}

function box(lines) {
  const width = Math.min(100, Math.max(...lines.map((l) => l.length)));
  const wrap = (line) => (line.match(new RegExp(`.{1,${width}}(\\s|$)|\\S+`, 'g')) ?? ['']).map((l) => l.trimEnd());
  const body = lines.flatMap(wrap).map((l) => `│ ${l.padEnd(width)} │`);
  return [`┌${'─'.repeat(width + 2)}┐`, ...body, `└${'─'.repeat(width + 2)}┘`].join('\n');
}

const started = Date.now();
const results = await Promise.all(STEPS.map((step) => runStep(step).catch((err) => ({ step, status: 'failed', why: String(err) }))));
const problems = results.filter((r) => r.status === 'failed' || (r.status === 'skipped' && !r.step.done()));
for (const r of results) if (r.status === 'ok') console.log(`postinstall: ${r.step.name} ready`);
if (problems.length > 0) {
  const lines = ['MagicAnimate Studio: some optional downloads are missing (the install still succeeded).', ''];
  for (const r of problems) lines.push(`• ${r.step.missing()}`, `  (${r.step.name}: ${r.why})`);
  lines.push('', 'Run `node scripts/postinstall.mjs` again once online to retry.');
  console.log(box(lines));
}
console.log(`postinstall: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
