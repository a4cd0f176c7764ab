// The page: the teaching shell (src/shell, the same code as `nsmodel shell`) on the kernel
// model (src/model, the wasm compiled here) in a terminal widget, the live diagram beside it,
// the lessons, a share link and the session's trace to download. Everything runs in the page;
// after the first load it asks the network for nothing.

import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import './style.css';
import { ModelBackend } from '../model/backend.js';
import { useModule } from '../model/wasm.js';
import { runShell, ScriptSource, type Runtime, type Session } from '../shell/index.js';
import { tree } from '../shell/teach.js';
import type { Setup } from '../trace/types.js';
import { buildDiagram, remember, renderSvg, type Diagram, type DiagramMemory } from './diagram.js';
import { type Lesson, lessonsFrom } from './lessons.js';
import { LineEditor, Transcript } from './line-editor.js';
import { decodeSession, encodeSession } from './share.js';

declare const __NSMODEL_SCENARIOS__: Record<string, string>;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const DEFAULT_SETUP: Setup = { user: 'root', hostname: 'box' };

const term = new Terminal({
  cols: 80, rows: 28, fontSize: 13, cursorBlink: true, scrollback: 5000,
  fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
  theme: { background: '#1e1e1e', foreground: '#f0f0f0', cursor: '#f0f0f0', selectionBackground: '#4a6a9a' },
});

interface Running {
  editor: LineEditor;
  transcript: Transcript;
  setup: Setup;
  lines: string[];
  session?: Session;
  rt?: Runtime;
  memory?: DiagramMemory;
  diagram?: Diagram;
  done: Promise<unknown>;
}

let current: Running | null = null;
/** When the last line was entered, and how long each command took until its output and the diagram were done (ms). */
let lineAt = 0;
const commandTimes: number[] = [];
const lessons: Lesson[] = lessonsFrom(__NSMODEL_SCENARIOS__);
let lesson: { lesson: Lesson; at: number } | null = null;

/** Start a fresh world and a login shell in it; `lines` are replayed as if typed. */
async function startSession(setup: Setup, lines: string[] = []): Promise<void> {
  const old = current;
  if (old) {
    old.editor.close();
    await old.done.catch(() => {});
  }
  term.reset();
  const transcript = new Transcript();
  const editor = new LineEditor(term, transcript);
  const run: Running = { editor, transcript, setup, lines: [], done: Promise.resolve() };
  current = run;
  editor.onLine = (line) => {
    lineAt = performance.now();
    run.lines.push(line);
    advanceLesson(line);
    scheduleShare();
  };
  editor.onPrompt = () => {
    if (current === run) void updateDiagram(run);
    if (performance.getEntriesByName('nsmodel-ready').length === 0) performance.mark('nsmodel-ready');
    document.body.dataset.ready = '1';
  };
  sharedLines = -1;
  scheduleShare();
  if (lines.length) editor.enqueue(lines);
  const backend = new ModelBackend();
  run.done = runShell({
    backend, setup, io: { write: (t) => editor.output(t) }, input: editor,
    onStart: (s, rt) => { run.session = s; run.rt = rt; },
  }).then(({ status }) => {
    if (current !== run || editor.closed) return;
    editor.output(`\n[The login shell ended (status ${status}). Press Enter for a new session.]\n`);
    editor.waitForEnter().then(() => { if (current === run) void startSession(run.setup); });
  }, (e: unknown) => {
    editor.output(`\n[The page's shell stopped: ${(e as Error).message}]\n`);
    console.error(e);
  });
}

// ---- the diagram ------------------------------------------------------------------------------

async function updateDiagram(run: Running): Promise<void> {
  const s = run.session;
  if (!s) return;
  const view = await s.view();
  const d = buildDiagram(view, { argvOf: (l) => s.argvOf(l), reader: run.rt?.reader, prev: run.memory });
  run.memory = remember(d);
  run.diagram = d;
  const { svg, tips } = renderSvg(d);
  const box = $('diagram');
  box.innerHTML = svg;
  box.dataset.tips = JSON.stringify(tips);
  // the text alternative: the shell's own `tree`
  let text = '';
  if (run.rt) {
    await tree({ rt: run.rt, proc: run.rt.reader, out: (t) => { text += t; }, err: () => {}, stdin: null }, []);
  }
  const news = d.namespaces.filter((n) => n.isNew).map((n) => `${n.type}:[${n.inode}]`);
  const joined = d.processes.filter((p) => p.joined.length).map((p) => `${p.command.split(' ')[0]} (PID ${p.pids[0].pid}) in ${p.joined.join(', ')}`);
  $('diagram-text').textContent = text;
  if (lineAt) {
    commandTimes.push(performance.now() - lineAt);
    lineAt = 0;
  }
  $('diagram-news').textContent = [
    news.length ? `New: ${news.join(', ')}.` : '',
    joined.length ? `Changed namespaces: ${joined.join('; ')}.` : '',
  ].filter(Boolean).join(' ');
}

function showTip(target: Element | null): void {
  const tip = $('tip');
  const box = $('diagram');
  const g = target?.closest('[id^="proc-"], [id^="ns-"]');
  if (!g || !box.contains(g)) {
    tip.hidden = true;
    return;
  }
  const tips = JSON.parse(box.dataset.tips ?? '{}') as Record<string, string>;
  tip.textContent = tips[g.id] ?? '';
  tip.hidden = false;
  const r = g.getBoundingClientRect();
  // below the box (above it near the window's bottom), inside the window
  const h = tip.offsetHeight;
  tip.style.left = `${Math.max(4, Math.min(r.left, innerWidth - tip.offsetWidth - 12))}px`;
  tip.style.top = `${r.bottom + 6 + h < innerHeight ? r.bottom + 6 : Math.max(4, r.top - h - 6)}px`;
}

// ---- lessons ------------------------------------------------------------------------------------

function showLesson(): void {
  const panel = $('lesson-panel');
  if (!lesson) {
    panel.hidden = true;
    return;
  }
  const { lesson: l, at } = lesson;
  panel.hidden = false;
  $('lesson-title').textContent = l.title;
  $('lesson-intro').textContent = l.intro;
  const step = l.steps[at];
  $('lesson-step').textContent = step
    ? `Step ${at + 1} of ${l.steps.length}: ${step.explanation || 'press Enter to run the command typed for you (or change it first).'}`
    : 'The end of this lesson: the shell is yours. Pick another lesson, or type on.';
  if (step) current?.editor.offer(step.command);
}

function advanceLesson(line: string): void {
  if (!lesson) return;
  const step = lesson.lesson.steps[lesson.at];
  if (step && line.trim() === step.command.trim()) {
    lesson.at++;
    showLesson();
  }
}

async function startLesson(id: string): Promise<void> {
  const l = lessons.find((x) => x.id === id);
  lesson = l ? { lesson: l, at: 0 } : null;
  await startSession(l?.setup ?? DEFAULT_SETUP);
  showLesson();
  term.focus();
}

// ---- share and download -------------------------------------------------------------------------

let shareTimer: ReturnType<typeof setTimeout> | undefined;
/** How many of the session's lines the URL carries now. */
let sharedLines = 0;
function scheduleShare(): void {
  clearTimeout(shareTimer);
  shareTimer = setTimeout(async () => {
    if (!current) return;
    const lines = current.lines.slice();
    const frag = await encodeSession({ setup: current.setup, lines, lesson: lesson?.lesson.id });
    history.replaceState(null, '', `#${frag}`);
    sharedLines = lines.length;
    ($('share-url') as HTMLInputElement).value = location.href;
  }, 150);
}

function downloadTrace(): void {
  const s = current?.session;
  if (!s) return;
  const blob = new Blob([`${JSON.stringify(s.trace, null, 2)}\n`], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'nsmodel-session.trace.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---- start --------------------------------------------------------------------------------------

async function loadModel(): Promise<void> {
  const res = await fetch('nsmodel.wasm');
  if (!res.ok) throw new Error(`nsmodel.wasm: HTTP ${res.status}`);
  useModule(await WebAssembly.compile(await res.arrayBuffer()));
}

/** For the browser tests: the page's state, and a scenario run through the page's shell. */
const testHooks = {
  transcript: () => current?.transcript.text ?? '',
  screen: () => {
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const line = b.getLine(i);
      const text = line?.translateToString(true) ?? '';
      // a row a long line wrapped into continues the row before
      if (line?.isWrapped && out.length) out[out.length - 1] += text;
      else out.push(text);
    }
    for (let i = 0; i < out.length; i++) out[i] = out[i].trimEnd();
    while (out.length && out[out.length - 1] === '') out.pop();
    return out.join('\n');
  },
  diagram: () => current?.diagram,
  /** Does the URL carry every line entered so far? */
  shareUpToDate: () => sharedLines === (current?.lines.length ?? 0),
  trace: () => current?.session?.trace,
  /** Milliseconds from Enter to the command's output and the diagram updated, per command. */
  commandTimes: () => commandTimes.slice(),
  /** A script as `nsmodel shell --script` runs it, in the page: its transcript. */
  async runScript(setup: Setup, script: string): Promise<string> {
    let text = '';
    const io = { write: (t: string) => { text += t; } };
    await runShell({ backend: new ModelBackend(), setup, io, input: new ScriptSource(script, io) });
    return text;
  },
};

async function main(): Promise<void> {
  term.open($('terminal'));
  term.onData((d) => current?.editor.feed(d));
  // Escape leaves the terminal (Tab is the shell's completion there)
  term.attachCustomKeyEventHandler((e) => {
    if (e.type === 'keydown' && e.key === 'Escape') {
      $('lesson').focus();
      return false;
    }
    return true;
  });
  const select = $('lesson') as HTMLSelectElement;
  for (const l of lessons) {
    const o = document.createElement('option');
    o.value = l.id;
    o.textContent = l.title;
    select.append(o);
  }
  select.addEventListener('change', () => void startLesson(select.value));
  $('new-session').addEventListener('click', () => { lesson = null; showLesson(); void startSession(current?.setup ?? DEFAULT_SETUP).then(() => term.focus()); });
  $('download').addEventListener('click', downloadTrace);
  $('copy-link').addEventListener('click', async () => {
    const input = $('share-url') as HTMLInputElement;
    input.select();
    try { await navigator.clipboard.writeText(input.value); $('copy-link').textContent = 'Copied'; } catch { /* selected: Ctrl-C copies it */ }
    setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 1500);
  });
  const wrap = $('diagram-wrap');
  for (const ev of ['mouseover', 'focusin']) wrap.addEventListener(ev, (e) => showTip(e.target as Element));
  wrap.addEventListener('mouseleave', () => showTip(null));
  wrap.addEventListener('focusout', () => showTip(null));
  $('screen-reader').addEventListener('change', (e) => { term.options.screenReaderMode = (e.target as HTMLInputElement).checked; });

  (window as unknown as { nsmodelPlayground: typeof testHooks }).nsmodelPlayground = testHooks;
  await loadModel();
  const shared = await decodeSession(location.hash);
  if (shared instanceof Error) {
    $('notice').textContent = `${shared.message}; a new session instead.`;
    $('notice').hidden = false;
  }
  if (shared && !(shared instanceof Error)) {
    const l = shared.lesson ? lessons.find((x) => x.id === shared.lesson) : undefined;
    if (l) {
      select.value = l.id;
      lesson = { lesson: l, at: 0 };
    }
    await startSession(shared.setup, shared.lines);
    showLesson();
  } else {
    await startSession(DEFAULT_SETUP);
  }
  term.focus();
}

main().catch((e: unknown) => {
  $('notice').textContent = `The playground could not start: ${(e as Error).message}`;
  $('notice').hidden = false;
  console.error(e);
});
