// Validation of the credential extensions (docs/TRACE-EXTENSIONS.md, "Credentials and
// capabilities"): one line naming the step, the field and why.
import { describe, expect, it } from 'vitest';
import { TraceError, validateTrace } from '../src/trace/validate.js';

function problem(steps: unknown[], setup?: unknown): string {
  try {
    validateTrace({ nsmodel: 1, ...(setup === undefined ? {} : { setup }), steps });
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('credential ops: validation', () => {
  it('names an unknown capability', () => {
    expect(problem([{ by: 'p0', op: 'prctl', option: 'PR_CAPBSET_DROP', cap: 'CAP_FOO' }]))
      .toBe("steps[0].cap: unknown capability 'CAP_FOO' (Linux 6.18 has CAP_CHOWN ... CAP_CHECKPOINT_RESTORE, e.g. CAP_SYS_ADMIN)");
    expect(problem([{ by: 'p0', op: 'capset', effective: [], permitted: ['CAP_SYS_ADMIN', 'sys_admin'], inheritable: [] }]))
      .toMatch(/^steps\[0\]\.permitted\[1\]: unknown capability 'sys_admin'/);
    expect(problem([], { caps: ['CAP_BOGUS'] })).toMatch(/^setup\.caps\[0\]: unknown capability 'CAP_BOGUS'/);
  });
  it('refuses impossible ids', () => {
    expect(problem([{ by: 'p0', op: 'setresuid', ruid: 4294967295 }]))
      .toBe('steps[0].ruid: must be -1 (leave it) or an id from 0 to 4294967294');
    expect(problem([{ by: 'p0', op: 'setresgid', egid: -2 }]))
      .toBe('steps[0].egid: must be -1 (leave it) or an id from 0 to 4294967294');
    expect(problem([{ by: 'p0', op: 'setgroups', groups: [1, 1.5] }]))
      .toBe('steps[0].groups[1]: must be an integer from 0 to 4294967294');
  });
  it('wants the argument each prctl option takes, and no other', () => {
    expect(problem([{ by: 'p0', op: 'prctl', option: 'PR_CAP_AMBIENT_RAISE' }]))
      .toBe("steps[0]: missing field 'cap' (PR_CAP_AMBIENT_RAISE takes it)");
    expect(problem([{ by: 'p0', op: 'prctl', option: 'PR_SET_NO_NEW_PRIVS', value: 1 }]))
      .toBe("steps[0].value: PR_SET_NO_NEW_PRIVS takes no 'value'");
    expect(problem([{ by: 'p0', op: 'prctl', option: 'PR_SET_KEEPCAPS', value: 2 }]))
      .toBe('steps[0].value: must be 0 or 1');
    expect(problem([{ by: 'p0', op: 'prctl', option: 'PR_SET_SECUREBITS', bits: ['SECBIT_FOO'] }]))
      .toMatch(/^steps\[0\]\.bits\[0\]: unknown securebit 'SECBIT_FOO'/);
    expect(problem([{ by: 'p0', op: 'prctl', option: 'PR_GET_KEEPCAPS' }]))
      .toMatch(/^steps\[0\]\.option: unknown prctl option 'PR_GET_KEEPCAPS'/);
  });
  it('shows credentials only when the trace uses them', () => {
    const v1 = validateTrace({ nsmodel: 1, steps: [{ by: 'p0', op: 'exec' }] });
    expect(v1.setup).toEqual({ user: 'root', hostname: 'localhost' });
    const uses = validateTrace({ nsmodel: 1, steps: [{ by: 'p0', op: 'prctl', option: 'PR_SET_NO_NEW_PRIVS' }] });
    expect(uses.setup.creds).toBe(true);
    expect(validateTrace({ nsmodel: 1, setup: { caps: [] }, steps: [] }).setup.creds).toBe(true);
    expect(validateTrace({ nsmodel: 1, setup: { creds: false }, steps: [{ by: 'p0', op: 'setgroups', groups: [] }] }).setup.creds).toBe(false);
  });
});
