// Builds the playground page (src/playground/) into static files: see scripts/build.mjs.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Build the page into `out` (default: ROOT/dist/playground); the bytes written. */
export async function buildPlayground(root, out = join(root, 'dist', 'playground')) {
  const esbuild = await import('esbuild');
  const scenarios = {};
  const dir = join(root, 'sim', 'scenarios');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.sh')).sort()) {
    scenarios[f.replace(/\.sh$/, '')] = readFileSync(join(dir, f), 'utf8');
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const browserWasmFile = {
    name: 'nsmodel-browser-wasm-file',
    setup(build) {
      build.onResolve({ filter: /\/wasm-file\.js$/ }, (args) => ({ path: join(args.resolveDir, 'wasm-file.browser.ts') }));
    },
  };
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { app: 'src/playground/main.ts' },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'eof',
    define: { __NSMODEL_SCENARIOS__: JSON.stringify(scenarios) },
    plugins: [browserWasmFile],
    logLevel: 'silent',
  });
  copyFileSync(join(root, 'src', 'playground', 'index.html'), join(out, 'index.html'));
  copyFileSync(join(root, 'build', 'nsmodel.wasm'), join(out, 'nsmodel.wasm'));
  return readdirSync(out).reduce((n, f) => n + statSync(join(out, f)).size, 0);
}
