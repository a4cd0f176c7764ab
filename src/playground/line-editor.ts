// The page's LineSource: command lines typed into a terminal widget (xterm.js), edited as
// readline edits them — the cursor keys, Home/End, Backspace/Delete, Ctrl-U/K/A/E/W, history
// with Up/Down, Tab completion from the shell, Ctrl-C drops the line, Ctrl-D on an empty line
// ends the innermost shell's input. Lines can also be queued (a shared session's replay) or
// offered (a lesson's next command, waiting for Enter). Only a `write` and the keys it is fed:
// no DOM, so tests drive it in Node too.

import type { LineSource } from '../shell/runtime.js';

export interface TerminalLike {
  write(text: string): void;
  /** The terminal's width in columns (a long line wraps there); 80 when not said. */
  readonly cols?: number;
}

/** Everything the terminal showed, as a script's transcript shows it: prompts, the lines typed, the output. */
export class Transcript {
  text = '';
  add(t: string): void {
    this.text += t;
  }
}

export class LineEditor implements LineSource {
  private buf = '';
  private pos = 0;
  private prompt = '';
  private pending: ((line: string | null) => void) | null = null;
  private readonly history: string[] = [];
  private historyAt = 0;
  private completer: ((line: string) => Promise<[string[], string]>) | undefined;
  /** Lines to run without typing (a shared session's replay), in order. */
  private readonly queue: string[] = [];
  /** A line offered for the next prompt: shown as typed, run when Enter is pressed (a lesson's next command). */
  private offered: string | null = null;
  /** Told each line as it is entered (the share URL). */
  onLine: ((line: string) => void) | null = null;
  /** Told when a prompt waits for input (the diagram updates then). */
  onPrompt: (() => void) | null = null;

  constructor(private readonly term: TerminalLike, private readonly transcript: Transcript) {}

  setCompleter(complete: (line: string) => Promise<[string[], string]>): void {
    this.completer = complete;
  }

  /** The output of the shell: to the terminal (CR LF) and the transcript. */
  output(text: string): void {
    if (this.closed) return;
    this.transcript.add(text);
    this.term.write(text.replace(/\n/g, '\r\n'));
  }

  read(prompt: string): Promise<string | null> {
    if (this.closed) return Promise.resolve(null);
    this.prompt = prompt;
    this.output(prompt);
    this.buf = '';
    this.pos = 0;
    this.historyAt = this.history.length;
    return new Promise((resolve) => {
      this.pending = resolve;
      if (this.queue.length > 0) {
        this.runQueued();
        return;
      }
      if (this.offered !== null) {
        this.insert(this.offered);
        this.offered = null;
      }
      this.onPrompt?.();
    });
  }

  /** Is a prompt waiting for a line? */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** Run these lines one after the other, as if typed (a shared session). */
  enqueue(lines: string[]): void {
    this.queue.push(...lines);
    if (this.pending && this.buf === '' && this.queue.length > 0) this.runQueued();
  }

  /** The next queued line, as if typed and entered ('\x04': Ctrl-D). */
  private runQueued(): void {
    const next = this.queue.shift()!;
    if (next === '\x04') {
      this.eof();
      return;
    }
    this.insert(next);
    this.enter();
  }

  /** Put a line after the prompt (now, or at the next prompt) for the student to run with Enter. */
  offer(line: string): void {
    if (this.pending) {
      this.replace(line);
    } else {
      this.offered = line;
    }
  }

  /** This session is over: every read from now on ends its shell's input, output goes nowhere. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.offered = null;
    const p = this.pending;
    this.pending = null;
    p?.(null);
  }

  closed = false;
  private enterWaiter: (() => void) | null = null;

  /** The next Enter pressed while no prompt waits (after the login shell ended). */
  waitForEnter(): Promise<void> {
    return new Promise((resolve) => { this.enterWaiter = resolve; });
  }

  /** Keys from the terminal (xterm's onData: text, escape sequences, control characters). */
  feed(data: string): void {
    let i = 0;
    if (!this.pending && this.enterWaiter && /[\r\n]/.test(data)) {
      const w = this.enterWaiter;
      this.enterWaiter = null;
      w();
      return;
    }
    while (i < data.length) {
      if (!this.pending) return;
      const esc = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(data.slice(i));
      if (esc) {
        this.key(esc[0]);
        i += esc[0].length;
        continue;
      }
      const ch = data[i++];
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && data[i - 2] === '\r') continue;
        this.enter();
      } else if (ch === '\x7f' || ch === '\b') this.backspace();
      else if (ch === '\t') void this.tab();
      else if (ch === '\x03') this.interrupt();
      else if (ch === '\x04') this.eof();
      else if (ch === '\x01') this.move(0);
      else if (ch === '\x05') this.move(this.buf.length);
      else if (ch === '\x15') this.replace(this.buf.slice(this.pos), 0);
      else if (ch === '\x0b') this.replace(this.buf.slice(0, this.pos));
      else if (ch === '\x17') this.killWord();
      else if (ch === '\x0c') this.redraw(true);
      else if (ch >= ' ') this.insert(ch);
    }
  }

  private key(seq: string): void {
    switch (seq) {
      case '\x1b[D': case '\x1bOD': this.move(this.pos - 1); break;
      case '\x1b[C': case '\x1bOC': this.move(this.pos + 1); break;
      case '\x1b[H': case '\x1bOH': case '\x1b[1~': this.move(0); break;
      case '\x1b[F': case '\x1bOF': case '\x1b[4~': this.move(this.buf.length); break;
      case '\x1b[3~': if (this.pos < this.buf.length) this.replace(this.buf.slice(0, this.pos) + this.buf.slice(this.pos + 1), this.pos); break;
      case '\x1b[A': case '\x1bOA': this.historyMove(-1); break;
      case '\x1b[B': case '\x1bOB': this.historyMove(1); break;
      default: break;
    }
  }

  private insert(text: string): void {
    this.replace(this.buf.slice(0, this.pos) + text + this.buf.slice(this.pos), this.pos + text.length);
  }

  private backspace(): void {
    if (this.pos === 0) return;
    this.replace(this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos), this.pos - 1);
  }

  private killWord(): void {
    const before = this.buf.slice(0, this.pos).replace(/\S*\s*$/, '');
    this.replace(before + this.buf.slice(this.pos), before.length);
  }

  private move(to: number): void {
    this.replace(this.buf, Math.max(0, Math.min(this.buf.length, to)));
  }

  private historyMove(d: number): void {
    const at = this.historyAt + d;
    if (at < 0 || at > this.history.length) return;
    this.historyAt = at;
    this.replace(this.history[at] ?? '');
  }

  private get cols(): number {
    return this.term.cols ?? 80;
  }

  /** The column where the input starts: after the prompt's last line. */
  private startCol(): number {
    return (this.prompt.split('\n').pop() ?? '').length % this.cols;
  }

  /** The cursor from input position `from` to `to`, across the rows a long line wraps into. */
  private moveCursor(from: number, to: number): string {
    const c = this.cols, s = this.startCol();
    const fr = Math.floor((s + from) / c), tr = Math.floor((s + to) / c), tc = (s + to) % c;
    let out = tr < fr ? `\x1b[${fr - tr}A` : tr > fr ? `\x1b[${tr - fr}B` : '';
    out += '\r';
    if (tc > 0) out += `\x1b[${tc}C`;
    return out;
  }

  /** After writing the input up to its end: a line that filled its last row leaves the cursor on the next row's start. */
  private wrapFix(length: number): string {
    return length > 0 && (this.startCol() + length) % this.cols === 0 ? ' \r' : '';
  }

  /** Set the line and the cursor, and show it: back to the input's start, the line, the rest cleared, the cursor put. */
  private replace(text: string, pos = text.length): void {
    const oldPos = this.pos;
    this.buf = text;
    this.pos = pos;
    this.term.write(`${this.moveCursor(oldPos, 0)}${text}${this.wrapFix(text.length)}\x1b[J${this.moveCursor(text.length, pos)}`);
  }

  private redraw(clear = false): void {
    this.term.write(`${clear ? '\x1b[H\x1b[2J' : '\r\n'}${this.prompt.replace(/\n/g, '\r\n')}${this.buf}${this.wrapFix(this.buf.length)}`);
    this.term.write(this.moveCursor(this.buf.length, this.pos));
  }

  /** The line is read: told to onLine (as `told`), then to the shell. */
  private finish(line: string | null, shown: string, told: string | null): void {
    const p = this.pending;
    this.pending = null;
    // a line that filled its last row has the cursor on the next row already
    const atRowStart = this.wrapFix(this.buf.length) !== '' && shown === '\r\n';
    this.term.write(this.moveCursor(this.pos, this.buf.length) + (atRowStart ? '' : shown));
    if (told !== null) this.onLine?.(told);
    p?.(line);
  }

  private enter(): void {
    const line = this.buf;
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) this.history.push(line);
    this.transcript.add(`${line}\n`);
    this.finish(line, '\r\n', line);
  }

  private interrupt(): void {
    // Ctrl-C: the line is dropped, a new prompt (as the terminal shell's readline)
    this.transcript.add('^C\n');
    this.finish('', '^C\r\n', null);
  }

  private eof(): void {
    if (this.buf !== '') {
      if (this.pos < this.buf.length) this.replace(this.buf.slice(0, this.pos) + this.buf.slice(this.pos + 1), this.pos);
      return;
    }
    this.transcript.add('\n');
    this.finish(null, '\r\n', '\x04');
  }

  private async tab(): Promise<void> {
    if (!this.completer) return;
    const before = this.buf.slice(0, this.pos);
    const [options, word] = await this.completer(before).catch((): [string[], string] => [[], before]);
    if (!this.pending || this.buf.slice(0, this.pos) !== before) return;
    if (options.length === 0) return;
    if (options.length === 1) {
      const add = options[0].slice(word.length);
      this.insert(add.endsWith('/') ? add : `${add} `);
      return;
    }
    // the longest common start, or the list under the line
    let common = options[0];
    for (const o of options) while (!o.startsWith(common)) common = common.slice(0, -1);
    if (common.length > word.length) {
      this.insert(common.slice(word.length));
      return;
    }
    this.term.write(`${this.moveCursor(this.pos, this.buf.length)}\r\n${options.join('  ')}`);
    this.redraw();
  }
}
