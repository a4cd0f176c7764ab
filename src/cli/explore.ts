// nsmodel explore PROPERTY: an isolation property searched in the model, its shortest
// counterexample replayed on the kernel (issue 10).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, parseOptions, readInput, UsageError, EXIT } from './common.js';
import { ProgressLine } from './progress.js';

export const usage = `Usage: nsmodel explore PROPERTY [--depth N] [--seconds S] [--max-states N]
                        [--strategy bfs|random] [--seed N] [--jobs J] [--shard I/N]
                        [--kernel|--no-kernel] [--out DIR] [--json]
       nsmodel explore --merge FILE... [--property FILE] [--json]
       nsmodel explore --list

Search the model for a trace that breaks an isolation property, breadth-first to a depth
bound with states deduplicated by the model's fingerprint, so that the counterexample is the
shortest; print it (each step with its result, and for errors the model's check) as a trace
that \`nsmodel run\` and \`nsmodel diff\` run; replay it on the kernel and say whether Linux
agrees. PROPERTY is a built-in name (--list) or a file: a module whose default export is
defineProperty({...}) (a .ts file needs tsx; see README, "For researchers").

Options:
  --depth N         steps after the world (default: the property's, most often 6)
  --seconds S       stop after S seconds (random: default 10)
  --max-states N    stop after N distinct states
  --strategy S      bfs (default: shortest counterexample) or random (random walks of --depth
                    steps, for bounds BFS cannot reach; --seed N replays one search)
  --seed N          the random walks' seed (printed with the answer)
  --jobs J          search with J worker threads (split by first steps; same answer)
  --shard I/N       search only the first steps k with k % N == I (I from 0); run the N
                    shards anywhere and join their --json lines with --merge
  --merge FILE...   join the --json outputs of shards (files, or - for standard input);
                    --property FILE names a property file (built-ins are found by name)
  --kernel          replay the counterexample on the kernel; exit 3 when it cannot run here
  --no-kernel       do not replay (default: replay when the kernel backend can run here)
  --out DIR         write the counterexample trace, the report and its JSON there
  --json            print one JSON line: {"property", "verdict", "depth", "states",
                    "statesPerSecond", "seconds", "counterexample", "kernel", ...}
  --list            the built-in properties, one a line
  -h, --help        this help

Exit status: 0 the property holds within the bound; 1 it is broken (confirmed on the kernel
or not: a "NOT reproduced" verdict is a bug of the model, and says where it diverges); 2 a bad
property or option; 3 kernel replay asked for (--kernel) but not possible here.
`;

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name}: an integer from ${min} to ${max}, not '${v}'`);
  return Number(v);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    depth: { type: 'string' },
    seconds: { type: 'string' },
    'max-states': { type: 'string' },
    strategy: { type: 'string' },
    seed: { type: 'string' },
    jobs: { type: 'string' },
    shard: { type: 'string' },
    merge: { type: 'boolean' },
    property: { type: 'string' },
    kernel: { type: 'boolean' },
    'no-kernel': { type: 'boolean' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    exact: { type: 'boolean' },
    list: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const lib = await import('../explore/index.js');
  if (values.list) {
    for (const p of lib.BUILTIN_PROPERTIES) process.stdout.write(`${p.name.padEnd(24)}${p.title}\n`);
    return 0;
  }
  if (values.kernel && values['no-kernel']) throw new UsageError('--kernel and --no-kernel: one or the other');
  if (values.merge) {
    if (positionals.length === 0) throw new UsageError('--merge: the --json outputs of the shards (files, or -)');
    const { mergeReports } = await import('../explore/merge.js');
    const lines: string[] = [];
    for (const f of positionals) lines.push(await readInput(f));
    const explorers = new Map<string, InstanceType<typeof lib.Explorer> | null>();
    const ranks = (r: { property: string; counterexample: { steps: unknown[] } | null }) => {
      if (!r.counterexample) return undefined;
      if (!explorers.has(r.property)) {
        const p = values.property ?? r.property;
        explorers.set(r.property, null);
        const found = lib.BUILTIN_PROPERTIES.find((b) => b.name === p);
        if (found) explorers.set(r.property, new lib.Explorer(found));
      }
      const ex = explorers.get(r.property);
      const prefix = ex ? ex.property.prefix.length : 0;
      return ex?.ranksOf(r.counterexample.steps.slice(prefix) as never);
    };
    if (values.property && !lib.BUILTIN_PROPERTIES.some((b) => b.name === values.property)) {
      const p = await lib.loadProperty(values.property);
      explorers.set(p.name, new lib.Explorer(p));
    }
    let merged;
    try {
      merged = mergeReports(lines, positionals, ranks);
    } catch (e) {
      if ((e as Error).name === 'MergeError') throw new CliError(`--merge: ${(e as Error).message}`);
      throw e;
    }
    process.stdout.write(values.json ? `${JSON.stringify(merged)}\n` : `${merged.property}: ${merged.verdict.toUpperCase()} (merged ${positionals.length} shards: depth ${merged.depth}, ${merged.states} states, kernel ${merged.kernel})\n${merged.counterexample ? `${JSON.stringify(merged.counterexample)}\n` : ''}`);
    return merged.verdict === 'broken' ? EXIT.differ : EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError(`missing PROPERTY (a built-in: ${lib.BUILTIN_PROPERTIES.map((p) => p.name).join(', ')}; or a file)`);
  if (positionals.length > 1) throw new UsageError(`one PROPERTY only, not ${positionals.length}`);
  const strategy = values.strategy ?? 'bfs';
  if (strategy !== 'bfs' && strategy !== 'random') throw new UsageError(`--strategy: bfs or random, not '${strategy}'`);
  // validated before the property is loaded: a bad option is status 2 whatever the property
  let shard: { index: number; count: number } | undefined;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard: I/N with 0 <= I < N, not '${values.shard}'`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(seconds > 0 && seconds <= 86400)) throw new UsageError(`--seconds: a number of seconds above 0, not '${values.seconds}'`);
  const jobs = int('jobs', values.jobs, 1, 64);
  if (jobs && jobs > 1 && shard) throw new UsageError('--jobs and --shard: a shard is searched by one job');
  if (jobs && jobs > 1 && strategy === 'random') throw new UsageError('--jobs: random walks run in one job (give each machine its own --seed)');
  let property;
  try {
    property = await lib.loadProperty(positionals[0]);
  } catch (e) {
    if (e instanceof lib.PropertyError) throw new CliError(e.message);
    throw e;
  }
  try {
    return await search(lib, property, values, strategy, seconds, jobs, shard);
  } catch (e) {
    if (e instanceof lib.PropertyError || (e as Error).name === 'PropertyError') throw new CliError((e as Error).message);
    throw e;
  }
}

type Lib = typeof import('../explore/index.js');

async function search(lib: Lib, property: Awaited<ReturnType<Lib['loadProperty']>>, values: Record<string, string | boolean | undefined>,
  strategy: 'bfs' | 'random', seconds: number | undefined, jobs: number | undefined, shard: { index: number; count: number } | undefined): Promise<number> {
  const { formatReport, formatJsonLine } = await import('../explore/format.js');
  const progress = new ProgressLine();
  let lastPlain = 0;
  const report = await lib.explore(property, {
    depth: int('depth', values.depth as string | undefined, 0, 60),
    seconds,
    maxStates: int('max-states', values['max-states'] as string | undefined, 1, 1e12),
    strategy,
    seed: int('seed', values.seed as string | undefined, 0, 0xffffffff),
    jobs,
    shard,
    exact: values.exact as boolean | undefined,
    kernel: values.kernel ? true : values['no-kernel'] ? false : 'auto',
    progress: (p) => {
      const text = `explore ${property.name}: depth ${p.depth}, ${p.states} states, ${Math.round(p.statesPerSecond)} states/s${strategy === 'bfs' ? `, frontier ${p.frontier}` : ''}, ${p.seconds.toFixed(1)} s`;
      // a live line on a terminal; otherwise a line after the first second, then every 5 s
      if (progress.enabled) progress.update(text);
      else if (p.seconds >= 1 && (lastPlain === 0 || Date.now() - lastPlain > 5000)) { lastPlain = Date.now(); process.stderr.write(`${text}\n`); }
    },
  });
  progress.clear();
  const outDir = values.out as string | undefined;
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    const base = join(outDir, report.property);
    writeFileSync(`${base}.report.txt`, formatReport(report));
    writeFileSync(`${base}.json`, `${formatJsonLine(report)}\n`);
    if (report.counterexample) {
      const { formatTrace } = await import('../diff/files.js');
      writeFileSync(`${base}.trace.json`, formatTrace(report.counterexample));
    }
  }
  process.stdout.write(values.json ? `${formatJsonLine(report)}\n` : formatReport(report));
  if (report.kernel === 'not-reproduced') {
    process.stderr.write(`nsmodel: explore: NOT reproduced on Linux — the model diverges from the kernel (a model bug); see the report\n`);
  }
  return report.verdict === 'broken' ? EXIT.differ : EXIT.ok;
}
