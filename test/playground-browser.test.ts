// The playground in a real browser: Debian's chromium driven by playwright-core, on the page
// `nsmodel playground --out` writes, served by the command's own static server. Skipped, with
// the reason printed, where there is no chromium — unless NSMODEL_REQUIRE_BROWSER=1, which
// makes that a failure. Screenshots after each lesson step go to build/test-artifacts/playground/.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePage } from '../src/cli/playground.js';
import { ModelBackend } from '../src/model/backend.js';
import { runShell, ScriptSource } from '../src/shell/index.js';
import { parseScenario } from '../src/shell/scenario.js';
import type { Setup, Trace } from '../src/trace/types.js';
import { nsmodel, ROOT } from './cli-helpers.js';

const CHROMIUM = process.env.NSMODEL_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.NSMODEL_REQUIRE_BROWSER === '1';
let why = '';
if (!existsSync(CHROMIUM)) why = `no ${CHROMIUM} (apt-get install chromium)`;
else if (!existsSync(join(ROOT, 'node_modules', 'playwright-core'))) why = 'no playwright-core in node_modules (npm install)';
if (why && required) throw new Error(`NSMODEL_REQUIRE_BROWSER=1 but the browser tests cannot run: ${why}`);
if (why) console.warn(`test/playground-browser.test.ts: skipped: ${why}`);

const ARTIFACTS = join(ROOT, 'build', 'test-artifacts', 'playground');
const scenarioDir = join(ROOT, 'sim', 'scenarios');

/** What `nsmodel shell --script` prints for these lines (the same runShell and ScriptSource, in Node). */
async function nodeTranscript(setup: Setup, script: string): Promise<string> {
  let text = '';
  const io = { write: (t: string) => { text += t; } };
  await runShell({ backend: new ModelBackend(), setup, io, input: new ScriptSource(script, io) });
  return text;
}

// playwright's types, loaded only when there is a browser
type Any = any;

describe.skipIf(why !== '')('the playground in chromium', () => {
  let server: Server;
  let base: string;
  let context: Any;
  let site: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    site = mkdtempSync(join(tmpdir(), 'nsmodel-site-'));
    const out = await nsmodel(['playground', '--out', site]);
    expect(out.stderr).toMatch(/wrote \d+ files/);
    expect(out.status).toBe(0);
    server = await servePage(site, 0);
    const addr = server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}/`;
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'nsmodel-chromium-')), {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1500, height: 950 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    server?.close();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  async function open(url = base): Promise<Any> {
    const page = await context.newPage();
    page.on('console', (m: Any) => { if (m.type() === 'error') consoleErrors.push(`${url}: ${m.text()}`); });
    page.on('pageerror', (e: Error) => consoleErrors.push(`${url}: ${e.message}`));
    // once more after a second when the page does not load at all (seen once on a machine
    // loaded by QEMU and kernel sandboxes: net::ERR_INTERNET_DISCONNECTED from 127.0.0.1)
    await page.goto(url).catch(async (e: Error) => {
      if (!/net::ERR_/.test(e.message)) throw e;
      await new Promise((r) => setTimeout(r, 1000));
      await page.goto(url);
    });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
    return page;
  }

  /**
   * xterm.js renders what it is given on a later frame: wait (at most 10 s, on a loaded
   * machine) until the screen shows the transcript, so that the test compares the two and
   * not the terminal's lag. A screen that never catches up still fails the assertion after.
   */
  async function screenCaughtUp(page: Any): Promise<void> {
    await page.waitForFunction(() => {
      const p = (globalThis as Any).nsmodelPlayground;
      return p.screen() === p.transcript().split('\n').map((l: string) => l.trimEnd()).join('\n').trimEnd();
    }, undefined, { timeout: 10_000 }).catch(() => undefined);
  }

  /** Type a line key by key and wait until the shell prompts again. */
  async function typeLine(page: Any, line: string): Promise<void> {
    const before = await page.evaluate(() => (globalThis as Any).nsmodelPlayground.transcript().length);
    await page.keyboard.type(line, { delay: 5 });
    await page.keyboard.press('Enter');
    await page.waitForFunction((n: number) => {
      const t = (globalThis as Any).nsmodelPlayground.transcript();
      return t.length > n && /[#$] $/.test(t);
    }, before);
  }

  const transcript = (page: Any): Promise<string> => page.evaluate(() => (globalThis as Any).nsmodelPlayground.transcript());
  const diagram = (page: Any): Promise<Any> => page.evaluate(() => (globalThis as Any).nsmodelPlayground.diagram());

  it('the article\'s UTS listing typed key by key prints what nsmodel shell prints, and the diagram follows', async () => {
    const page = await open();
    const requests: string[] = [];
    page.on('request', (r: Any) => requests.push(r.url()));
    const lines = ['unshare -u', 'hostname x', 'hostname', 'readlink /proc/self/ns/uts', 'readlink /proc/1/ns/uts'];
    const d0 = await diagram(page);
    const utsBefore = d0.namespaces.filter((n: Any) => n.type === 'uts').length;
    await typeLine(page, lines[0]);
    const d1 = await diagram(page);
    expect(d1.namespaces.filter((n: Any) => n.type === 'uts').length).toBe(utsBefore + 1);
    const created = d1.namespaces.find((n: Any) => n.type === 'uts' && n.isNew);
    expect(created).toBeDefined();
    const shell = d1.processes.find((p: Any) => p.current);
    expect(shell.command).toBe('-bash');
    expect(shell.ns.uts).toBe(created.inode);
    expect(created.members).toContain(shell.label);
    // the SVG shows it as new, and its hover text has the inode and lsns's line
    expect(await page.locator(`#ns-${created.inode}.new`).count()).toBe(1);
    await page.locator(`#ns-${created.inode}`).hover();
    const tip = await page.locator('#tip').textContent();
    expect(tip).toContain(`uts:[${created.inode}]`);
    expect(tip).toMatch(/^ {8}NS TYPE NPROCS PID USER COMMAND\n\d{10} uts {7}1 +\d+ root -bash$/m);
    // offline from here on: the page needs nothing more from the network
    await context.setOffline(true);
    for (const l of lines.slice(1)) await typeLine(page, l);
    const expected = await nodeTranscript({ user: 'root', hostname: 'box' }, lines.join('\n'));
    // the script's end of input ends both shells: the rest is their two logouts
    const typed = await transcript(page);
    expect(typed + 'logout\nroot@box:~# logout\n').toBe(expected);
    // the terminal shows the same text (the prompt, the typed lines, the output)
    await screenCaughtUp(page);
    const screen: string = await page.evaluate(() => (globalThis as Any).nsmodelPlayground.screen());
    const shown = (await transcript(page)).split('\n').map((l) => l.trimEnd()).join('\n').trimEnd();
    expect(screen).toBe(shown);
    // a line longer than the terminal is wide: edited in the middle of its second row
    const long = `echo ${'x'.repeat(60)} ${'y'.repeat(60)}`;
    await page.keyboard.type(long, { delay: 1 });
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('Z');
    const edited = `${long.slice(0, long.length - 31)}Z${long.slice(long.length - 30)}`;
    const n = (await transcript(page)).length;
    await page.keyboard.press('Enter');
    await page.waitForFunction((k: number) => (globalThis as Any).nsmodelPlayground.transcript().length > k && /# $/.test((globalThis as Any).nsmodelPlayground.transcript()), n);
    expect((await transcript(page)).slice(n)).toBe(`${edited}\n${edited.slice(5)}\nroot@box:~# `);
    await screenCaughtUp(page);
    const screen2: string = await page.evaluate(() => (globalThis as Any).nsmodelPlayground.screen());
    expect(screen2).toBe((await transcript(page)).split('\n').map((l) => l.trimEnd()).join('\n').trimEnd());
    // the text alternative is the shell's tree
    expect(await page.locator('#diagram-text').textContent()).toMatch(/└─ -bash \(PID \d+\) {2}uts:\[\d+\]/);

    // nsenter -a -t 1 moves the shell back into PID 1's namespaces
    await typeLine(page, 'nsenter -a -t 1');
    const d2 = await diagram(page);
    const init = d2.processes.find((p: Any) => p.pids[0].pid === 1);
    const now = d2.processes.find((p: Any) => p.current);
    expect(now.ns.uts).toBe(init.ns.uts);
    // nsenter's process joined them (with -a it forks once more, for the PID namespace)
    expect(d2.processes.some((p: Any) => p.joined.includes('uts'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'uts-listing.png') });

    // no request after the first load (wasm, JS, CSS were loaded before the first prompt)
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => (globalThis as Any).document.cookie)).toBe('');
    expect((await context.cookies()).length).toBe(0);

    await context.setOffline(false);
    // the share link replays the session in a fresh page
    await page.waitForFunction(() => (globalThis as Any).location.hash.startsWith('#s=') && (globalThis as Any).nsmodelPlayground.shareUpToDate());
    const url = await page.evaluate(() => (globalThis as Any).location.href);
    const before = await transcript(page);
    const again = await open(url);
    await again.waitForFunction((n: number) => (globalThis as Any).nsmodelPlayground.transcript().length >= n, before.length);
    expect(await transcript(again)).toBe(before);
    await again.close();

    // download trace: the session's trace, which nsmodel runs
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const file = join(site, 'session.trace.json');
    await download.saveAs(file);
    const trace = JSON.parse(readFileSync(file, 'utf8')) as Trace;
    expect(trace.steps.length).toBeGreaterThan(10);
    expect(trace.steps.some((s) => s.op === 'unshare')).toBe(true);
    const ran = await nsmodel(['run', file]);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    if (process.getuid?.() === 0) {
      const diff = await nsmodel(['diff', file]);
      expect([0, 3]).toContain(diff.status); // 3: the kernel backend cannot run here (said on stderr)
      if (diff.status === 3) console.warn(`diff of the downloaded trace: ${diff.stderr.trim()}`);
    }
    await page.close();
    expect(consoleErrors).toEqual([]);
  }, 90_000);

  it('a lesson types each command for Enter, with its explanation; keyboard only; its share link comes back at its end', async () => {
    const page = await open();
    const sc = parseScenario(readFileSync(join(scenarioDir, 'uts-hostname.sh'), 'utf8'));
    const steps = sc.script.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    // keyboard only: Esc leaves the terminal for the lesson menu; a lesson is picked with the keys
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => (globalThis as Any).document.activeElement?.id)).toBe('lesson');
    await page.selectOption('#lesson', 'uts-hostname');
    await page.waitForFunction(() => /^Step 1 of/.test((globalThis as Any).document.getElementById('lesson-step')?.textContent ?? ''));
    expect(await page.locator('#lesson-title').textContent()).toBe('The article\'s first listing');
    await page.locator('.xterm-helper-textarea').focus();
    for (let i = 0; i < steps.length; i++) {
      expect(await page.locator('#lesson-step').textContent()).toMatch(new RegExp(`^Step ${i + 1} of ${steps.length}:`));
      const before = (await transcript(page)).length;
      await page.keyboard.press('Enter');
      await page.waitForFunction((n: number) => {
        const t = (globalThis as Any).nsmodelPlayground.transcript();
        return t.length > n && /[#$] $/.test(t);
      }, before);
      await page.screenshot({ path: join(ARTIFACTS, `lesson-uts-hostname-${String(i + 1).padStart(2, '0')}.png`) });
    }
    expect(await page.locator('#lesson-step').textContent()).toMatch(/^The end of this lesson/);
    // the lesson's commands, run as nsmodel shell runs them
    const expected = await nodeTranscript(sc.setup, steps.join('\n'));
    expect(`${await transcript(page)}logout\n`).toBe(expected);
    // the diagram's boxes take the focus from the keyboard and say what they are
    await page.focus('#diagram [id^="ns-"]');
    expect(await page.locator('#tip').isVisible()).toBe(true);
    expect(await page.locator('#tip').textContent()).toMatch(/^user:\[\d+\]\ninode \d+/);
    await page.waitForFunction(() => (globalThis as Any).location.hash.startsWith('#s=') && (globalThis as Any).nsmodelPlayground.shareUpToDate());
    const again = await open(await page.evaluate(() => (globalThis as Any).location.href));
    await again.waitForFunction(() => /^The end of this lesson/.test((globalThis as Any).document.getElementById('lesson-step')?.textContent ?? ''));
    expect(await again.locator('#lesson').inputValue()).toBe('uts-hostname');
    await again.close();
    await page.close();
    expect(consoleErrors).toEqual([]);
  }, 90_000);

  it('its text has WCAG AA contrast: 4.5:1 against what is behind it (the diagram\'s too)', async () => {
    const page = await open();
    await typeLine(page, 'unshare -u');
    await page.hover('#diagram [id^="ns-"]');
    const low: string[] = await page.evaluate(() => {
      const g = globalThis as Any;
      const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = (c: number[]) => {
        const [r, gr, b] = c.slice(0, 3).map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * gr + 0.0722 * b;
      };
      const ratio = (a: number[], b: number[]) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const background = (el: Any): number[] => {
        for (let e = el; e; e = e.parentElement) {
          const c = rgb(g.getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c;
        }
        return [255, 255, 255];
      };
      const bad: string[] = [];
      for (const el of g.document.querySelectorAll('header *, main *:not(svg *)')) {
        if (el.closest('.xterm') || el.hidden || el.closest('[hidden]')) continue;
        const own = [...el.childNodes].some((n: Any) => n.nodeType === 3 && n.textContent.trim() !== '');
        if (!own) continue;
        const r = ratio(rgb(g.getComputedStyle(el).color), background(el));
        if (r < 4.5) bad.push(`${el.tagName}#${el.id}.${el.className}: ${r.toFixed(2)}`);
      }
      // SVG text on the lanes' grey, the darkest background it sits on
      for (const el of g.document.querySelectorAll('#diagram text, #diagram tspan')) {
        const r = ratio(rgb(g.getComputedStyle(el).fill), [244, 244, 246]);
        if (r < 4.5) bad.push(`svg ${el.tagName}.${el.getAttribute('class')}: ${r.toFixed(2)}`);
      }
      // the terminal's text on its background
      const t = ratio([240, 240, 240], rgb(g.getComputedStyle(g.document.querySelector('.xterm-viewport') ?? g.document.body).backgroundColor));
      if (t < 4.5) bad.push(`terminal: ${t.toFixed(2)}`);
      return bad;
    });
    expect(low).toEqual([]);
    await page.close();
  }, 60_000);

  it('every scenario of sim/scenarios gives the same transcript in the page as in nsmodel shell', async () => {
    const page = await open();
    const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.sh')).sort();
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const sc = parseScenario(readFileSync(join(scenarioDir, f), 'utf8'));
      const inPage = await page.evaluate(([setup, script]: [Setup, string]) => (globalThis as Any).nsmodelPlayground.runScript(setup, script), [sc.setup, sc.script]);
      expect(inPage, f).toBe(await nodeTranscript(sc.setup, sc.script));
    }
    await page.close();
    expect(consoleErrors).toEqual([]);
  }, 90_000);
});
