// The explorer's answers do not depend on how the search is split: one job, two worker
// threads (--jobs 2), and shards merged (--shard I/N + --merge) give the same verdict, depth
// and counterexample.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROPERTIES, explore, loadProperty } from '../src/explore/index.js';
import { Explorer } from '../src/explore/search.js';
import { mergeResults } from '../src/explore/merge.js';
import { nsmodel } from './cli-helpers.js';

const answer = (r: { verdict: string; depth: number; counterexample?: unknown }) => ({ verdict: r.verdict, depth: r.depth, counterexample: r.counterexample ?? null });

describe('explore: --jobs and --shard give the same answers', () => {
  for (const b of BUILTIN_PROPERTIES) {
    it(b.name, async () => {
      const depth = Math.min(b.depth, 4);
      const p = await loadProperty(b.name);
      const one = await explore(p, { depth, kernel: false });
      const two = await explore(p, { depth, kernel: false, jobs: 2 });
      expect(answer(two)).toEqual(answer(one));
      for (const n of [2, 3]) {
        const shards = Array.from({ length: n }, (_, i) => new Explorer(p).run({ depth, shard: { index: i, count: n } }));
        const merged = mergeResults(shards);
        expect({ verdict: merged.verdict, depth: merged.depth }).toEqual({ verdict: one.verdict, depth: one.depth });
        expect(merged.counterexample ? [...p.prefix, ...merged.counterexample.path] : null).toEqual(one.counterexample?.steps ?? null);
      }
    });
  }

  it('nsmodel explore --shard I/N ... --merge: the answer of one search', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsmodel-shards-'));
    const files: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await nsmodel(['explore', 'rootless-enter', '--shard', `${i}/3`, '--no-kernel', '--json']);
      expect([0, 1]).toContain(r.status);
      files.push(join(dir, `s${i}.json`));
      writeFileSync(files[i], r.stdout);
    }
    const merged = await nsmodel(['explore', '--merge', ...files, '--json']);
    const single = await nsmodel(['explore', 'rootless-enter', '--no-kernel', '--json']);
    expect(merged.status).toBe(1);
    const m = JSON.parse(merged.stdout), s = JSON.parse(single.stdout);
    expect(Object.keys(m)).toEqual(Object.keys(s));
    expect({ ...m, states: 0, statesPerSecond: 0, seconds: 0 }).toEqual({ ...s, states: 0, statesPerSecond: 0, seconds: 0 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('--merge of something that is not an explore --json line: status 2, one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsmodel-shards-'));
    writeFileSync(join(dir, 'bad.json'), '{"bad\n');
    const r = await nsmodel(['explore', '--merge', join(dir, 'bad.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^nsmodel: --merge: .*bad\.json: its last line is not the JSON of 'nsmodel explore --json'\n$/);
    rmSync(dir, { recursive: true, force: true });
  });
});
