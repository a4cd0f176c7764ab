// Command lines from a terminal: node's readline, with line editing and history. Ctrl-D on
// an empty line ends the input of the innermost shell only, as in a terminal: the next
// shell's prompt gets a fresh readline (the history kept).

import { createInterface, type Interface } from 'node:readline';
import type { LineSource } from './runtime.js';

export class TerminalSource implements LineSource {
  private rl: Interface | null = null;
  private history: string[] = [];
  private completer: ((line: string) => Promise<[string[], string]>) | undefined;

  setCompleter(complete: (line: string) => Promise<[string[], string]>): void {
    this.completer = complete;
  }

  private open(): Interface {
    const completer = this.completer;
    const rl = createInterface({
      input: process.stdin, output: process.stdout, terminal: true, historySize: 1000, history: this.history,
      // Tab: the shell's completions (commands, then paths of this world)
      completer: completer
        ? (line: string, done: (err: Error | null, result: [string[], string]) => void) => {
          completer(line).then((r) => done(null, r), () => done(null, [[], line]));
        }
        : undefined,
    } as Parameters<typeof createInterface>[0]);
    rl.on('history', (h: string[]) => { this.history = h; });
    return rl;
  }

  read(prompt: string): Promise<string | null> {
    const rl = (this.rl ??= this.open());
    return new Promise((resolve) => {
      const onClose = () => {
        // Ctrl-D: this shell's input ends; a later prompt opens a new readline
        this.rl = null;
        process.stdout.write('\n');
        resolve(null);
      };
      const onSigint = () => {
        // Ctrl-C: the line is dropped, a new prompt
        process.stdout.write('^C\n');
        rl.off('close', onClose);
        rl.close();
        this.rl = null;
        resolve('');
      };
      rl.once('close', onClose);
      rl.once('SIGINT', onSigint);
      rl.question(prompt, (line) => {
        rl.off('close', onClose);
        rl.off('SIGINT', onSigint);
        resolve(line);
      });
    });
  }

  close(): void {
    this.rl?.close();
    this.rl = null;
  }
}
