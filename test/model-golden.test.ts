// The golden traces (recorded on Linux 6.18, ../shared/golden, copied to test/golden) give
// exactly their expected output on the model.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import { runTrace } from '../src/trace/backend.js';

const dir = join(import.meta.dirname, 'golden');
const traces = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));

describe('golden traces on the model', () => {
  it('has golden traces to check', () => expect(traces.length).toBeGreaterThanOrEqual(4));
  for (const file of traces) {
    it(file, async () => {
      const trace = parseTrace(readFileSync(join(dir, file), 'utf8'));
      const expected = JSON.parse(readFileSync(join(dir, file.replace(/\.json$/, '.expected.json')), 'utf8'));
      expect(await runTrace(new ModelBackend(), trace)).toEqual(expected);
    });
  }
});
