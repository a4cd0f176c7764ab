// A live progress line on stderr when it is a terminal (rewritten in place, at most a few
// times a second); nothing otherwise.

export class ProgressLine {
  private readonly live: boolean;
  private last = 0;
  private shown = false;

  constructor(stream: NodeJS.WriteStream = process.stderr, private readonly interval = 200) {
    this.live = stream.isTTY === true && !process.env.NSMODEL_NO_PROGRESS;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  get enabled(): boolean {
    return this.live;
  }

  /** Show `text` (throttled unless `force`). */
  update(text: string, force = false): void {
    if (!this.live) return;
    const now = Date.now();
    if (!force && now - this.last < this.interval) return;
    this.last = now;
    const width = this.stream.columns ? this.stream.columns - 1 : 100;
    this.stream.write(`\r\x1b[K${text.slice(0, width)}`);
    this.shown = true;
  }

  /** Remove the line (before other output, and at the end). */
  clear(): void {
    if (this.live && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

/** `1234 traces, 0 divergences, 312 traces/s, 12 s`. */
export function fuzzProgressText(p: { traces: number; divergences: number; tracesPerSecond: number; seconds: number; phase: string }): string {
  const phase = p.phase === 'shrink' ? ' (shrinking a divergence)' : '';
  return `${p.traces} traces, ${p.divergences} divergence${p.divergences === 1 ? '' : 's'}, ${p.tracesPerSecond.toFixed(0)} traces/s, ${p.seconds.toFixed(0)} s${phase}`;
}
