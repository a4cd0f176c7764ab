// Known-divergence profiles: what a target (gVisor, an older kernel) is known to answer
// differently from the model, each with its reason and a link to where that behaviour comes
// from. `nsmodel check --target X` classifies every failure of X's run against X's profile:
//
//   known  a failing test an entry matches: reported, not a failure (KTAP `# XFAIL`);
//   new    a failing test no entry matches: a failure (exit 1);
//   stale  an entry whose test ran and passed, or failed otherwise than the entry says: the
//          target no longer diverges there; shown always, a failure with --strict.
//
// An entry whose tests did not run (not among the PATHs, or skipped) is neither: "unchecked".
//
// A profile is JSON (profiles/<target>.json):
//   { "target": "runsc", "about": "...", "divergences": [
//       { "id": "no-pidfd", "test": "test/rules/*", "where": "step 2", "rule": "R12",
//         "message": "ENOTTY", "reason": "...", "source": "https://github.com/google/gvisor/..." } ] }
// `test` is a test name of the report (`test/rules/r12-foo`, `fuzz`), `*` matching any
// characters; `where`, `rule`, `message` (a part of the failure's one-line message) narrow it.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CheckReport, CheckTest } from '../diff/check.js';

const entrySchema = z.strictObject({
  id: z.string().min(1),
  test: z.string().min(1),
  where: z.string().min(1).optional(),
  rule: z.string().min(1).optional(),
  message: z.string().min(1).optional(),
  reason: z.string().min(1),
  source: z.string().regex(/^https:\/\//, 'a link (https://...) to the source or issue'),
});

const profileSchema = z.strictObject({
  target: z.string().min(1),
  about: z.string().optional(),
  divergences: z.array(entrySchema),
});

export type ProfileEntry = z.infer<typeof entrySchema>;
export type Profile = z.infer<typeof profileSchema> & { file?: string };

export class ProfileError extends Error {
  override name = 'ProfileError';
}

/** A profile from its JSON text; a ProfileError (`divergences[3].source: why`) when it is not one. */
export function parseProfile(text: string, file?: string): Profile {
  const where = file ?? 'profile';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${where}: not JSON: ${(e as Error).message}`);
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
    throw new ProfileError(`${where}: ${path || '(top)'}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const [i, e] of parsed.data.divergences.entries()) {
    if (ids.has(e.id)) throw new ProfileError(`${where}: divergences[${i}].id: '${e.id}' is listed twice`);
    ids.add(e.id);
  }
  return { ...parsed.data, ...(file ? { file } : {}) };
}

export function readProfile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProfileError(`cannot read the profile ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseProfile(text, file);
}

/** An empty profile: every divergence of the target is new. */
export function emptyProfile(target: string): Profile {
  return { target, divergences: [] };
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** Whether the entry names this failing test (and, if it says so, this place, rule and message). */
export function entryMatches(e: ProfileEntry, t: CheckTest): boolean {
  if (t.status !== 'fail' || !globMatch(e.test, t.name)) return false;
  const f = t.failure;
  if (e.where !== undefined && f?.where !== e.where) return false;
  if (e.rule !== undefined && f?.rule?.rule !== e.rule) return false;
  if (e.message !== undefined && !(f?.message ?? '').includes(e.message)) return false;
  return true;
}

/** What a failing test matched in the profile. */
export interface KnownDivergence {
  id: string;
  reason: string;
  source: string;
}

export interface StaleEntry extends KnownDivergence {
  test: string;
  /** Why it is stale: the tests it names passed, or failed otherwise. */
  why: string;
}

export interface Classification {
  /** The tests, each failing one with `known` when an entry matched it. */
  tests: (CheckTest & { known?: KnownDivergence })[];
  known: number;
  new: number;
  stale: StaleEntry[];
  /** Entries whose tests did not run here (not among the PATHs, or skipped). */
  unchecked: number;
}

/** Classify the failures of a report against a profile (see the head of this file). */
export function classify(report: Pick<CheckReport, 'tests'>, profile: Profile): Classification {
  const used = new Set<string>();
  let known = 0;
  let fresh = 0;
  const tests = report.tests.map((t) => {
    if (t.status !== 'fail') return t;
    const e = profile.divergences.find((x) => entryMatches(x, t));
    if (!e) {
      fresh++;
      return t;
    }
    used.add(e.id);
    known++;
    return { ...t, known: { id: e.id, reason: e.reason, source: e.source } };
  });
  const stale: StaleEntry[] = [];
  let unchecked = 0;
  for (const e of profile.divergences) {
    if (used.has(e.id)) continue;
    const ran = report.tests.filter((t) => t.status !== 'skip' && globMatch(e.test, t.name));
    if (ran.length === 0) {
      unchecked++;
      continue;
    }
    const failed = ran.filter((t) => t.status === 'fail');
    const why = failed.length === 0
      ? `${ran.length === 1 ? ran[0].name : `its ${ran.length} tests`} passed`
      : `${failed[0].name} failed otherwise: ${failed[0].failure?.message ?? ''}`;
    stale.push({ id: e.id, reason: e.reason, source: e.source, test: e.test, why });
  }
  return { tests, known, new: fresh, stale, unchecked };
}
