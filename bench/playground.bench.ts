// The playground's weight and speed (issue 13's goals): the page's files compressed (goal: wasm
// + JS + CSS ≤ 400 KB), first paint to a ready prompt in this machine's chromium (goal ≤ 500 ms),
// and a command's output with the diagram's update (goal ≤ 16 ms) in a world of ~50 processes.
// Needs the built page (npm install) and Debian's chromium; writes bench/results/playground.json.
//
//   npx tsx bench/playground.bench.ts [--runs N]

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { servePage } from '../src/cli/playground.js';
import { arg, describeMachine, machine, record, spread, stats } from './lib.js';

const ROOT = join(import.meta.dirname, '..');
const PAGE = join(ROOT, 'dist', 'playground');
const CHROMIUM = process.env.NSMODEL_CHROMIUM ?? '/usr/bin/chromium';
const runs = Number(arg('runs', '10'));

if (!existsSync(join(PAGE, 'index.html'))) throw new Error(`no built page in ${PAGE}: run npm install`);
const m = machine();
console.log(`== playground  (${describeMachine(m)})`);

const sizes: Record<string, { raw: number; gzip: number; brotli: number }> = {};
for (const f of readdirSync(PAGE).sort()) {
  const b = readFileSync(join(PAGE, f));
  sizes[f] = { raw: b.length, gzip: gzipSync(b, { level: 9 }).length, brotli: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
}
const total = (k: 'raw' | 'gzip' | 'brotli') => Object.values(sizes).reduce((n, s) => n + s[k], 0);
for (const [f, s] of Object.entries(sizes)) console.log(`${f.padEnd(14)} ${(s.raw / 1024).toFixed(1).padStart(7)} KB raw ${(s.gzip / 1024).toFixed(1).padStart(7)} KB gzip ${(s.brotli / 1024).toFixed(1).padStart(7)} KB brotli`);
console.log(`${'page'.padEnd(14)} ${(total('raw') / 1024).toFixed(1).padStart(7)} KB raw ${(total('gzip') / 1024).toFixed(1).padStart(7)} KB gzip ${(total('brotli') / 1024).toFixed(1).padStart(7)} KB brotli  (goal ≤ 400 KB compressed)`);

const figures: Record<string, unknown> = { sizes, total: { raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') } };
if (!existsSync(CHROMIUM)) {
  console.log(`no ${CHROMIUM}: the load and command times are not measured`);
} else {
  const { chromium } = await import('playwright-core');
  const server = await servePage(PAGE, 0);
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const profile = mkdtempSync(join(tmpdir(), 'nsmodel-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1500, height: 950 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  try {
    const ready: number[] = [], fcp: number[] = [], paintToReady: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="1"]');
      const t = await page.evaluate(() => ({
        ready: performance.getEntriesByName('nsmodel-ready')[0]?.startTime ?? Number.NaN,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      }));
      await page.close();
      if (i === 0) continue; // warm-up: the first load pays chromium's own start-up
      ready.push(t.ready);
      fcp.push(t.fcp);
      paintToReady.push(t.ready - t.fcp);
    }
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log(`navigation to a ready prompt        ${spread(stats(ready), ms)}`);
    console.log(`first contentful paint              ${spread(stats(fcp), ms)}`);
    console.log(`first paint to a ready prompt       ${spread(stats(paintToReady), ms)}  (goal ≤ 500 ms)`);
    figures.readyMs = stats(ready);
    figures.firstContentfulPaintMs = stats(fcp);
    figures.paintToReadyMs = stats(paintToReady);

    // a command's output and the diagram's update, in worlds of ~5 and ~50 processes
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    const typeLine = async (line: string) => {
      const n: number = await page.evaluate(() => (globalThis as never as { nsmodelPlayground: { commandTimes(): number[] } }).nsmodelPlayground.commandTimes().length);
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
      await page.waitForFunction((k: number) => (globalThis as never as { nsmodelPlayground: { commandTimes(): number[] } }).nsmodelPlayground.commandTimes().length > k, n);
    };
    const times = async () => page.evaluate(() => (globalThis as never as { nsmodelPlayground: { commandTimes(): number[] } }).nsmodelPlayground.commandTimes());
    await typeLine('unshare -u');
    for (let i = 0; i < 20; i++) await typeLine(i % 2 ? 'hostname' : 'readlink /proc/self/ns/uts');
    const small = (await times()).slice(-20);
    // 45 nested shells: ~50 processes
    for (let i = 0; i < 45; i++) await typeLine(i % 3 === 0 ? 'unshare -u' : 'bash');
    const processes: number = await page.evaluate(() => (globalThis as never as { nsmodelPlayground: { diagram(): { processes: unknown[] } } }).nsmodelPlayground.diagram().processes.length);
    for (let i = 0; i < 20; i++) await typeLine(i % 2 ? 'hostname' : 'readlink /proc/self/ns/uts');
    const big = (await times()).slice(-20);
    console.log(`command + diagram, 3 processes      ${spread(stats(small), (x) => `${x.toFixed(1)} ms`)}  (goal ≤ 16 ms)`);
    console.log(`command + diagram, ${processes} processes     ${spread(stats(big), (x) => `${x.toFixed(1)} ms`)}  (goal ≤ 16 ms)`);
    figures.commandSmallMs = stats(small);
    figures.commandBigMs = stats(big);
    figures.commandBigProcesses = processes;
    await page.close();
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
console.log(`written: ${record('playground', m, 'npx tsx bench/playground.bench.ts', figures)}`);
