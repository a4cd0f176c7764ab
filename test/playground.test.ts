// The playground's parts in Node: the terminal line editor, the share link, the diagram (read
// from the same session view the shell reads; its lsns line against the shell's own lsns), the
// lessons, the built page and `nsmodel playground`. The page itself in a browser:
// test/playground-browser.test.ts.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servePage } from '../src/cli/playground.js';
import { ModelBackend } from '../src/model/backend.js';
import { buildDiagram, remember, renderSvg, type Diagram, type DiagramMemory } from '../src/playground/diagram.js';
import { lessonsFrom } from '../src/playground/lessons.js';
import { LineEditor, Transcript } from '../src/playground/line-editor.js';
import { decodeSession, encodeSession } from '../src/playground/share.js';
import { runShell, type LineSource, type Runtime, type Session } from '../src/shell/index.js';
import { nsmodel, ROOT } from './cli-helpers.js';

function editor() {
  const shown: string[] = [];
  const transcript = new Transcript();
  const ed = new LineEditor({ write: (t) => { shown.push(t); } }, transcript);
  return { ed, shown, transcript };
}

describe('the line editor', () => {
  it('edits a line as readline does: cursor keys, Backspace, Delete, Home/End, Ctrl-U, Ctrl-W', async () => {
    const { ed, transcript } = editor();
    const line = ed.read('$ ');
    ed.feed('hostnmae');
    ed.feed('\x1b[D\x1b[D\x1b[D\x7f');  // left 3, backspace the n: "hostmae"
    ed.feed('n');                        // "hostnmae"
    ed.feed('\x1b[C\x1b[3~');             // right 1, delete the a: "hostnme"
    ed.feed('a\x1b[F x\x1b[H#');          // "hostname", End, " x", Home, "#"
    ed.feed('\x05\x17\x15echo hi\r');     // End, Ctrl-W the " x"... then Ctrl-U all: "echo hi"
    expect(await line).toBe('echo hi');
    expect(transcript.text).toBe('$ echo hi\n');
  });

  it('keeps a history (Up/Down), drops a line on Ctrl-C and ends the input on Ctrl-D', async () => {
    const { ed, transcript } = editor();
    const told: string[] = [];
    ed.onLine = (l) => told.push(l);
    let p = ed.read('$ ');
    ed.feed('unshare -u\r');
    expect(await p).toBe('unshare -u');
    p = ed.read('$ ');
    ed.feed('\x1b[A\r');
    expect(await p).toBe('unshare -u');
    p = ed.read('$ ');
    ed.feed('half typed\x03');
    expect(await p).toBe('');
    p = ed.read('$ ');
    ed.feed('x\x04\x7f\x04');  // Ctrl-D on a line deletes; on an empty line it is the end
    expect(await p).toBeNull();
    expect(transcript.text).toBe('$ unshare -u\n$ unshare -u\n$ ^C\n$ \n');
    expect(told).toEqual(['unshare -u', 'unshare -u', '\x04']);
  });

  it('replays queued lines and offers a lesson\'s line for Enter', async () => {
    const { ed, transcript } = editor();
    ed.enqueue(['hostname', '\x04']);
    expect(await ed.read('$ ')).toBe('hostname');
    expect(await ed.read('$ ')).toBeNull();
    ed.offer('unshare -u');
    const p = ed.read('# ');
    ed.feed('\r');
    expect(await p).toBe('unshare -u');
    expect(transcript.text).toBe('$ hostname\n$ \n# unshare -u\n');
    ed.close();
    expect(await ed.read('# ')).toBeNull();
  });

  it('completes with the shell\'s completer on Tab', async () => {
    const { ed } = editor();
    ed.setCompleter(async (line) => (line === 'hostn' ? [['hostname'], 'hostn'] : [[], line]));
    const p = ed.read('$ ');
    ed.feed('hostn\t');
    await new Promise((r) => setTimeout(r, 0));
    ed.feed('\r');
    expect(await p).toBe('hostname ');
  });
});

describe('the share link', () => {
  it('carries the setup, the lines and the lesson, compressed, and reads them back', async () => {
    const lines = ['unshare -u', 'hostname x', 'hostname', 'readlink /proc/self/ns/uts', '\x04', 'ünïcode ✓'];
    const frag = await encodeSession({ setup: { user: 'unprivileged', hostname: 'lab' }, lines, lesson: 'user' });
    expect(frag).toMatch(/^s=[A-Za-z0-9_-]+$/);
    expect(await decodeSession(`#${frag}`)).toEqual({ setup: { user: 'unprivileged', hostname: 'lab' }, lines, lesson: 'user' });
    // 200 commands still make a short link
    const many = await encodeSession({ setup: { user: 'root', hostname: 'box' }, lines: Array.from({ length: 200 }, (_, i) => `hostname h${i % 7}`) });
    expect(many.length).toBeLessThan(400);
  });

  it('refuses a damaged or wrong one with a reason, and ignores other fragments', async () => {
    expect(await decodeSession('')).toBeNull();
    expect(await decodeSession('#top')).toBeNull();
    expect(String(await decodeSession('#s=AAAA'))).toMatch(/damaged/);
    const bad = await encodeSession({ setup: { user: 'nobody' as 'root', hostname: 'box' }, lines: [] });
    expect(String(await decodeSession(bad))).toMatch(/user must be root or unprivileged/);
    const long = await encodeSession({ setup: { user: 'root', hostname: 'x'.repeat(65) }, lines: [] });
    expect(String(await decodeSession(long))).toMatch(/hostname must be a name of 1 to 64 bytes/);
  });
});

/** A login session whose lines are given one by one; `at(i)` runs when line i is about to be read. */
async function session(lines: string[], at: (i: number, s: Session, rt: Runtime, out: string) => Promise<void>): Promise<string> {
  let out = '';
  let s: Session | undefined;
  let rt: Runtime | undefined;
  let i = 0;
  const input: LineSource = {
    async read(prompt) {
      out += prompt;
      await at(i, s!, rt!, out);
      const line = lines[i++];
      if (line === undefined) return null;
      out += `${line}\n`;
      return line;
    },
  };
  await runShell({
    backend: new ModelBackend(), setup: { user: 'root', hostname: 'box' }, input,
    io: { write: (t) => { out += t; } }, onStart: (a, b) => { s = a; rt = b; },
  });
  return out;
}

describe('the diagram', () => {
  it('shows what unshare -u made and who joined it, and lsns\'s line for a namespace as the shell\'s lsns prints it', async () => {
    const ds: Diagram[] = [];
    let memory: DiagramMemory | undefined;
    const out = await session(['unshare -u', 'lsns -t uts', 'nsenter -a -t 1'], async (_i, s, rt) => {
      const d = buildDiagram(await s.view(), { argvOf: (l) => s.argvOf(l), reader: rt.reader, prev: memory });
      memory = remember(d);
      ds.push(d);
    });
    const [d0, d1, , d3] = ds;
    expect(d0.namespaces.filter((n) => n.type === 'uts')).toHaveLength(1);
    expect(d0.namespaces.some((n) => n.isNew)).toBe(false);
    const uts = d1.namespaces.filter((n) => n.type === 'uts');
    expect(uts).toHaveLength(2);
    const made = uts.find((n) => n.isNew)!;
    const me = d1.processes.find((p) => p.current)!;
    expect(me.command).toBe('-bash');
    expect(me.ns.uts).toBe(made.inode);
    expect(me.joined).toEqual(['uts']);
    expect(made.members).toEqual([me.label]);
    // only uts changed: the new shell shares every other namespace with its parent
    expect(d1.namespaces.filter((n) => n.isNew)).toHaveLength(1);
    expect(d1.processes.map((p) => [p.depth, p.command])).toEqual([[0, '/sbin/init'], [1, '-bash'], [2, '-bash']]);
    // lsns's own output for the same world, but for the lsns process itself (one more process)
    const printed = out.split('\n');
    const head = printed.findIndex((l) => l.includes('NPROCS'));
    const ours = made.lsns.split('\n');
    expect(ours[0]).toBe(printed[head]);
    const real = printed.slice(head + 1).find((l) => l.startsWith(String(made.inode)))!;
    expect(real).toBeDefined();
    expect(ours[1].replace(/^(\d+ uts +)1 /, '$12 ')).toBe(real);
    // nsenter -a -t 1: back in init's UTS namespace
    const init = d3.processes.find((p) => p.pids[0].pid === 1)!;
    expect(d3.processes.find((p) => p.current)!.ns.uts).toBe(init.ns.uts);
    expect(d3.processes.some((p) => p.joined.includes('uts'))).toBe(true);

    const { svg, tips } = renderSvg(d1);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`id="ns-${made.inode}"`);
    expect(svg).toMatch(new RegExp(`<g class="ns new" id="ns-${made.inode}" tabindex="0"`));
    expect(svg).toMatch(/<g class="proc current joined" id="proc-[^"]+" tabindex="0"/);
    expect(tips[`ns-${made.inode}`]).toContain(`inode ${made.inode}`);
    expect(tips[`ns-${made.inode}`]).toMatch(/owner: user:\[\d+\]/);
    expect(tips[`proc-${me.label}`]).toMatch(/^-bash\nPID \d+ in pid:\[\d+\] \(the initial one\)/);
  });

  it('numbers a process in every PID namespace it is seen in, and marks pid_for_children', async () => {
    let d: Diagram | undefined;
    await session(['unshare -p'], async (i, s, rt) => {
      if (i !== 1) return;
      d = buildDiagram(await s.view(), { argvOf: (l) => s.argvOf(l), reader: rt.reader });
      const me = d.processes.find((p) => p.current)!;
      expect(me.forChildren.pid).toBeDefined();
      expect(me.forChildren.pid).not.toBe(me.ns.pid);
      expect(d.namespaces.find((n) => n.inode === me.forChildren.pid)!.childrenOf).toContain(me.label);
      expect(renderSvg(d).svg).toContain('class="dot forchildren"');
    });
    expect(d).toBeDefined();
    d = undefined;
    await session(['unshare -fp --mount-proc'], async (i, s, rt) => {
      if (i !== 1) return;
      d = buildDiagram(await s.view(), { argvOf: (l) => s.argvOf(l), reader: rt.reader });
      const me = d.processes.find((p) => p.current)!;
      expect(me.pids).toHaveLength(2);
      expect(me.pids[1].pid).toBe(1);
      const pidNs = d.namespaces.find((n) => n.inode === me.pids[1].ns)!;
      expect(pidNs.level).toBe(1);
      expect(pidNs.parent).toBe(me.pids[0].ns);
    });
    expect(d).toBeDefined();
  });
});

describe('the lessons', () => {
  const dir = join(ROOT, 'sim', 'scenarios');
  const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => [f.replace(/\.sh$/, ''), readFileSync(join(dir, f), 'utf8')]));
  const lessons = lessonsFrom(files);

  it('are the scenarios, the seed article\'s listings first, each command of the script a step', () => {
    expect(lessons.map((l) => l.id).slice(0, 4)).toEqual(['uts-hostname', 'clone-uts', 'unshare-program', 'setns-nsenter']);
    expect(lessons).toHaveLength(Object.keys(files).length);
    for (const l of lessons) {
      const commands = files[l.id].split('\n').filter((x) => x.trim() !== '' && !x.startsWith('#'));
      expect(l.steps.map((s) => s.command)).toEqual(commands.map((c) => c.trimEnd()));
      expect(l.title.length).toBeGreaterThan(5);
    }
    const user = lessons.find((l) => l.id === 'user')!;
    expect(user.setup.user).toBe('unprivileged');
    const uts = lessons[0];
    expect(uts.title).toBe('The article\'s first listing');
    expect(uts.steps[1]).toEqual({ command: 'unshare -u', explanation: '' });
  });
});

describe('the built page and nsmodel playground', () => {
  const page = join(ROOT, 'dist', 'playground');

  it('is built by npm install: static files, no Node API in the bundle, no address outside the page', () => {
    expect(existsSync(join(page, 'index.html'))).toBe(true);
    expect(readdirSync(page).sort()).toEqual(['app.css', 'app.js', 'index.html', 'nsmodel.wasm']);
    const js = readFileSync(join(page, 'app.js'), 'utf8');
    expect(js).not.toMatch(/["']node:[a-z]/);
    expect(js).not.toMatch(/\bprocess\.env\b/);
    // nor the trace validator's schema library (the shell checks paths with src/trace/paths.ts): ~100 KB gzip
    expect(js).not.toContain('ZodError');
    const html = readFileSync(join(page, 'index.html'), 'utf8');
    expect(html).toContain("default-src 'self'");
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(readFileSync(join(page, 'nsmodel.wasm'))).toEqual(readFileSync(join(ROOT, 'build', 'nsmodel.wasm')));
  });

  it('writes the page with --out and refuses bad options with status 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsmodel-site-'));
    try {
      const r = await nsmodel(['playground', '--out', join(dir, 'site')]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('');
      expect(readdirSync(join(dir, 'site')).sort()).toEqual(['app.css', 'app.js', 'index.html', 'nsmodel.wasm']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const help = await nsmodel(['playground', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: nsmodel playground \[--port N\] \[--open\] \[--out DIR\]/);
    for (const [args, msg] of [[['--port', 'x'], /--port must be a port number/], [['--port', '70000'], /--port must be/],
      [['--out', 'd', '--open'], /takes no --port or --open/], [['site'], /unexpected argument 'site'/], [['--bogus'], /bogus/]] as const) {
      const bad = await nsmodel(['playground', ...args]);
      expect(bad.status, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(msg);
    }
    expect((await nsmodel(['--help'])).stdout).toMatch(/playground +the shell and a live namespace diagram/);
  });

  it('nsmodel playground prints its URL on a free port, serves the page there, and stops on Ctrl-C with status 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'playground'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>nsmodel playground');
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('serves the page\'s files on 127.0.0.1 and nothing else', async () => {
    const server = await servePage(page, 0);
    try {
      const { address, port } = server.address() as { address: string; port: number };
      expect(address).toBe('127.0.0.1');
      const get = (p: string, method = 'GET') => fetch(`http://127.0.0.1:${port}${p}`, { method });
      const index = await get('/');
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(index.headers.get('set-cookie')).toBeNull();
      expect((await get('/nsmodel.wasm')).headers.get('content-type')).toBe('application/wasm');
      expect((await get('/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
      expect((await get('/../package.json')).status).toBe(404);
      expect((await get('/%2e%2e/package.json')).status).toBe(404);
      expect((await get('/index.html', 'POST')).status).toBe(405);
      expect((await get('/%E0%A4%A')).status).toBe(400);
      expect((await get('/')).status).toBe(200);
      // a port already taken: one line, status 2
      const taken = await nsmodel(['playground', '--port', String(port)]);
      expect(taken.status).toBe(2);
      expect(taken.stderr).toMatch(new RegExp(`^nsmodel: cannot serve on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    } finally {
      server.close();
    }
  });
});
