// nsmodel playground [--port N] [--open] [--out DIR]: the browser playground (src/playground),
// built by `npm install` into dist/playground/: written out as static files, or served on
// 127.0.0.1 until interrupted.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import { CliError, EXIT, parseOptions, UsageError } from './common.js';

export const usage = `Usage: nsmodel playground [--port N] [--open] [--out DIR]

The teaching shell and a live diagram of its namespaces in a web page: the same shell as
'nsmodel shell', on the kernel model compiled to WebAssembly and run by the browser itself
(no server does the work, no network after the first load, no cookies).

Without --out, serves the page on http://127.0.0.1:PORT/ (a free port unless --port) until
interrupted (Ctrl-C). With --out, writes the page as static files into DIR, for any static
web server (GitHub Pages, a bucket, python3 -m http.server).

Options:
  --port N      serve on this port (1-65535; default: a free one, printed)
  --open        open the page in the system's browser, where there is one
  --out DIR     write the static files into DIR (made if missing) and exit
  -h, --help    this help

Exit status: 0; 2 for bad options or a folder or port it cannot use; 3 when the page is not built.
`;

/** Where `npm install` put the built page. */
export function pageDir(): string {
  return join(packageRoot(), 'dist', 'playground');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function builtPage(): string {
  const dir = pageDir();
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'nsmodel.wasm'))) {
    throw new CliError(`the playground is not built (${dir} is missing): run 'npm install' or 'npm run build'`, EXIT.unavailable);
  }
  return dir;
}

/** Serve the page's files (and nothing else) on 127.0.0.1. */
export function servePage(dir: string, port: number): Promise<Server> {
  const files = new Set(readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()));
  const server = createServer(async (req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad request\n');
      return;
    }
    const name = path === '/' ? 'index.html' : path.slice(1);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !files.has(name)) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${req.method === 'GET' || req.method === 'HEAD' ? 'not found' : 'method not allowed'}\n`);
      return;
    }
    try {
      const body = await readFile(join(dir, name));
      res.writeHead(200, {
        'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(500).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`nsmodel playground: no browser to open here (${cmd} is missing): open ${url} yourself\n`));
  child.unref();
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    port: { type: 'string' },
    open: { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (the output folder is --out DIR)`);
  let port = 0;
  if (values.port !== undefined) {
    port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) throw new UsageError(`--port must be a port number from 1 to 65535, not '${values.port}'`);
  }
  if (values.out !== undefined && (values.port !== undefined || values.open)) {
    throw new UsageError('--out writes the files and exits: it takes no --port or --open');
  }
  if (values.out === '') throw new UsageError('--out needs a folder');
  const dir = builtPage();

  if (values.out !== undefined) {
    try {
      mkdirSync(values.out, { recursive: true });
      cpSync(dir, values.out, { recursive: true });
    } catch (e) {
      throw new CliError(`cannot write '${values.out}': ${(e as Error).message}`);
    }
    const files = readdirSync(dir);
    process.stderr.write(`nsmodel playground: wrote ${files.length} files (${files.join(', ')}) to ${values.out}\n`);
    return 0;
  }

  let server: Server;
  try {
    server = await servePage(dir, port);
  } catch (e) {
    throw new CliError(`cannot serve on 127.0.0.1:${port}: ${(e as Error).message}`);
  }
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}/`;
  process.stdout.write(`${url}\n`);
  process.stderr.write('nsmodel playground: serving the page (Ctrl-C to stop)\n');
  if (values.open) openBrowser(url);
  await new Promise<void>((resolve) => {
    const stop = () => { server.close(); server.closeAllConnections(); resolve(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
