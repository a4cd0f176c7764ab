// Validation of traces (TRACE.md, "A trace that is itself wrong is not run"): every kind of
// malformed trace gets its one-line message naming the step index and the field.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from '../src/trace/json.js';
import { fdLabels, flagsValue, labelKinds, nstypeValue, processLabels } from '../src/trace/steps.js';
import { CLONE_FLAGS, OPS } from '../src/trace/types.js';
import { parseTrace, TraceError, validateTrace } from '../src/trace/validate.js';

const GOLDEN = join(import.meta.dirname, 'golden');

/** A trace with these steps (and top-level fields). */
const t = (steps: unknown[], top: Record<string, unknown> = {}) => ({ nsmodel: 1, steps, ...top });
const openF = { by: 'p0', op: 'open', target: 'p0', ns: 'uts', as: 'f' };

function messageOf(input: unknown): string {
  try {
    parseTrace(input);
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError);
    return (e as Error).message;
  }
  throw new Error('the trace was accepted');
}

describe('malformed traces: one message each', () => {
  const cases: [string, unknown, string][] = [
    // JSON
    ['bad JSON: a stray comma', '{\n  "nsmodel": 1,\n  "steps": [,]\n}', "JSON: unexpected ',' at line 3 column 13"],
    ['bad JSON: cut short', '{"nsmodel": 1, "steps": [', 'JSON: unexpected end of input at line 1 column 26'],
    ['bad JSON: single quotes', "{'nsmodel': 1}", "JSON: expected a property name in double quotes, found ''' at line 1 column 2"],
    ['bad JSON: a missing colon', '{"nsmodel" 1}', "JSON: expected ':' after a property name, found '1' at line 1 column 12"],
    ['bad JSON: a missing comma in a list', '{"nsmodel": 1, "steps": [{}\n {}]}', "JSON: expected ',' or ']' after a list item, found '{' at line 2 column 2"],
    ['bad JSON: a bad literal', '{"nsmodel": tru}', "JSON: unexpected '}' at line 1 column 16"],
    ['bad JSON: a second value', '{"nsmodel": 1, "steps": []}\n{}', "JSON: unexpected '{' after the end of the JSON value at line 2 column 1"],
    ['bad JSON: a newline inside a string', '{"nsmodel": 1,\n "name": "a\nb"}', 'JSON: control character in string at line 2 column 12'],
    ['bad JSON: unterminated string', '{"nsmodel": 1, "name": "ab', 'JSON: unterminated string at line 1 column 24'],
    ['empty input', '', 'JSON: unexpected end of input at line 1 column 1'],
    // top level
    ['not an object', '[1]', 'trace: must be a JSON object'],
    ['nsmodel 2', t([], { nsmodel: 2 }), 'nsmodel: must be 1'],
    ['nsmodel "1"', t([], { nsmodel: '1' }), 'nsmodel: must be 1'],
    ['no nsmodel', { steps: [] }, "trace: missing field 'nsmodel'"],
    ['no steps', { nsmodel: 1 }, "trace: missing field 'steps'"],
    ['steps not a list', t([], { steps: {} }), 'steps: must be a list of steps'],
    ['unknown top-level field', t([], { step: [] }), "trace: unknown field 'step'"],
    ['name not a string', t([], { name: 7 }), 'name: must be a string'],
    ['setup not an object', t([], { setup: 'root' }), 'setup: must be an object'],
    ['unknown setup field', t([], { setup: { uid: 0 } }), "setup: unknown field 'uid'"],
    ['setup.user unknown', t([], { setup: { user: 'admin' } }), "setup.user: must be 'root' or 'unprivileged'"],
    ['setup.hostname not a string', t([], { setup: { hostname: 1 } }), 'setup.hostname: must be a string'],
    ['setup.hostname longer than the kernel allows', t([], { setup: { hostname: 'é'.repeat(33) } }), 'setup.hostname: must be at most 64 bytes (a hostname the kernel can set)'],
    // the shape of a step
    ['step not an object', t([{ by: 'p0', op: 'getpid' }, 'fork']), 'steps[1]: must be an object'],
    ['unknown op', t([openF, { by: 'p0', op: 'frok', as: 'a' }]), "steps[1].op: unknown op 'frok'"],
    ['op not a string', t([{ by: 'p0', op: 1 }]), 'steps[0].op: must be an op name (a string)'],
    ['missing op', t([{ by: 'p0' }]), "steps[0]: missing field 'op'"],
    ['missing by', t([{ op: 'getpid' }]), "steps[0]: missing field 'by'"],
    ['missing as', t([{ by: 'p0', op: 'fork' }]), "steps[0]: missing field 'as'"],
    ['misspelt field', t([{ by: 'p0', op: 'fork', ass: 'a' }]), "steps[0]: unknown field 'ass'"],
    ['a field of another op', t([{ by: 'p0', op: 'getpid', flags: [] }]), "steps[0]: unknown field 'flags'"],
    ['by not a string', t([{ by: 0, op: 'getpid' }]), 'steps[0].by: must be a label (a string)'],
    ['empty label', t([{ by: 'p0', op: 'fork', as: '' }]), 'steps[0].as: must be a label (a non-empty string)'],
    // flags
    ['unknown flag', t([{ by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'getpid' }, { by: 'a', op: 'getpid' },
      { by: 'a', op: 'unshare', flags: ['CLONE_NEWUTS', 'CLONE_NEWFOO'] }]), "steps[3].flags[1]: unknown flag 'CLONE_NEWFOO'"],
    ['CLONE_VM', t([{ by: 'p0', op: 'clone', flags: ['CLONE_VM'], as: 'a' }]),
      "steps[0].flags[0]: CLONE_VM is not part of trace format v1 (a thread is made with the 'thread' op)"],
    ['a flag as a number', t([{ by: 'p0', op: 'unshare', flags: [0x04000000] }]), 'steps[0].flags[0]: must be a flag name (a string)'],
    ['flags not a list', t([{ by: 'p0', op: 'unshare', flags: 'CLONE_NEWUTS' }]), 'steps[0].flags: must be a list of flag names'],
    ['missing flags', t([{ by: 'p0', op: 'clone', as: 'a' }]), "steps[0]: missing field 'flags'"],
    // numbers out of range
    ['exit code 256', t([{ by: 'p0', op: 'fork', as: 'a' }, { by: 'p0', op: 'getpid' }, { by: 'a', op: 'exit', code: 256 }]),
      'steps[2].code: must be an integer from 0 to 255'],
    ['exit code -1', t([{ by: 'p0', op: 'exit', code: -1 }]), 'steps[0].code: must be an integer from 0 to 255'],
    ['exit code 1.5', t([{ by: 'p0', op: 'exit', code: 1.5 }]), 'steps[0].code: must be an integer from 0 to 255'],
    ['exit code "1"', t([{ by: 'p0', op: 'exit', code: '1' }]), 'steps[0].code: must be an integer from 0 to 255'],
    ['uid 2^32', t([{ by: 'p0', op: 'setuid', uid: 4294967296 }]), 'steps[0].uid: must be an integer from 0 to 4294967295'],
    ['uid -1', t([{ by: 'p0', op: 'setuid', uid: -1 }]), 'steps[0].uid: must be an integer from 0 to 4294967295'],
    ['uid missing', t([{ by: 'p0', op: 'setuid' }]), "steps[0]: missing field 'uid'"],
    // enumerations
    ['unknown ns file', t([{ by: 'p0', op: 'open', target: 'p0', ns: 'pid_for_child', as: 'f' }]),
      "steps[0].ns: unknown namespace file 'pid_for_child' (one of cgroup, ipc, mnt, net, pid, pid_for_children, time, time_for_children, user, uts)"],
    ['unknown map file', t([{ by: 'p0', op: 'write_map', target: 'p0', file: 'projid_map', data: '0 0 1' }]),
      "steps[0].file: unknown map file 'projid_map' (one of uid_map, gid_map, setgroups)"],
    ['unknown ioctl', t([openF, { by: 'p0', op: 'ioctl', fd: 'f', request: 'NS_GET_PID' }]),
      "steps[1].request: unknown ioctl request 'NS_GET_PID' (one of NS_GET_USERNS, NS_GET_PARENT, NS_GET_NSTYPE, NS_GET_OWNER_UID)"],
    ['data not a string', t([{ by: 'p0', op: 'write_map', target: 'p0', file: 'setgroups', data: 0 }]), 'steps[0].data: must be a string'],
    // ioctl and `as`
    ['as on NS_GET_NSTYPE', t([openF, { by: 'p0', op: 'ioctl', fd: 'f', request: 'NS_GET_NSTYPE', as: 'g' }]),
      "steps[1].as: NS_GET_NSTYPE does not return a descriptor (only NS_GET_USERNS and NS_GET_PARENT take 'as')"],
    ['NS_GET_PARENT without as', t([openF, { by: 'p0', op: 'ioctl', fd: 'f', request: 'NS_GET_PARENT' }]), "steps[1]: missing field 'as'"],
    // nstype
    ['nstype 5', t([openF, { by: 'p0', op: 'setns', fd: 'f', nstype: 5 }]), 'steps[1].nstype: must be 0, a CLONE_NEW* flag name or a list of them'],
    ['nstype not CLONE_NEW*', t([openF, { by: 'p0', op: 'setns', fd: 'f', nstype: 'CLONE_FS' }]),
      "steps[1].nstype: 'CLONE_FS' is not a namespace flag (CLONE_NEW*)"],
    ['nstype unknown in a list', t([openF, { by: 'p0', op: 'setns', fd: 'f', nstype: ['CLONE_NEWUTS', 'CLONE_NEWFOO'] }]),
      "steps[1].nstype[1]: unknown flag 'CLONE_NEWFOO'"],
    ['nstype CLONE_VM', t([openF, { by: 'p0', op: 'setns', fd: 'f', nstype: ['CLONE_VM'] }]),
      "steps[1].nstype[0]: CLONE_VM is not part of trace format v1 (a thread is made with the 'thread' op)"],
    ['nstype missing', t([openF, { by: 'p0', op: 'setns', fd: 'f' }]), "steps[1]: missing field 'nstype'"],
    // labels
    ['unknown label', t([{ by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'getpid' }, { by: 'x', op: 'getpid' }]), "steps[2].by: unknown label 'x'"],
    ['used before defined', t([{ by: 'a', op: 'getpid' }, { by: 'p0', op: 'fork', as: 'a' }]),
      "steps[0].by: label 'a' is used before it is defined (at steps[1])"],
    ['used by the step defining it', t([{ by: 'a', op: 'fork', as: 'a' }]),
      "steps[0].by: label 'a' is used before it is defined (at steps[0])"],
    ['defined twice', t([{ by: 'p0', op: 'fork', as: 'b' }, { by: 'p0', op: 'fork', as: 'a' }, { by: 'p0', op: 'getpid' },
      { by: 'p0', op: 'getpid' }, { by: 'p0', op: 'getpid' }, { by: 'p0', op: 'open', target: 'p0', ns: 'net', as: 'a' }]),
      "steps[5].as: label 'a' is defined twice (first at steps[1])"],
    ['p0 defined again', t([{ by: 'p0', op: 'fork', as: 'p0' }]),
      "steps[0].as: label 'p0' is defined twice (p0 is the first process, defined by the trace itself)"],
    ['a process as a descriptor', t([{ by: 'p0', op: 'fork', as: 'p1' }, { by: 'p0', op: 'getpid' }, { by: 'p0', op: 'getpid' },
      { by: 'p0', op: 'getpid' }, { by: 'p0', op: 'close', fd: 'p1' }]), "steps[4].fd: 'p1' is a process, not a descriptor"],
    ['a descriptor acting', t([openF, { by: 'f', op: 'getpid' }]), "steps[1].by: 'f' is a descriptor, not a process"],
    ['a descriptor as open target', t([openF, { by: 'p0', op: 'open', target: 'f', ns: 'uts', as: 'g' }]),
      "steps[1].target: 'f' is a descriptor, not a process"],
    ['a descriptor as write_map target', t([openF, { by: 'p0', op: 'write_map', target: 'f', file: 'uid_map', data: '0 0 1' }]),
      "steps[1].target: 'f' is a descriptor, not a process"],
    ['a process as setns fd', t([{ by: 'p0', op: 'fork', as: 'a' }, { by: 'p0', op: 'setns', fd: 'a', nstype: 0 }]),
      "steps[1].fd: 'a' is a process, not a descriptor"],
    ['an ioctl fd defined twice', t([openF, { by: 'p0', op: 'ioctl', fd: 'f', request: 'NS_GET_USERNS', as: 'f' }]),
      "steps[1].as: label 'f' is defined twice (first at steps[0])"],
    ['a label with a newline stays on one line', t([{ by: 'a\nb', op: 'getpid' }]), "steps[0].by: unknown label 'a\\nb'"],
  ];

  it.each(cases)('%s', (_name, input, message) => {
    expect(messageOf(typeof input === 'string' ? input : JSON.stringify(input))).toBe(message);
    if (typeof input !== 'string') expect(messageOf(input)).toBe(message); // the same, given as a value
  });

  it('reports the first problem in step order', () => {
    const trace = t([{ by: 'p0', op: 'fork', as: 'a' }, { by: 'zz', op: 'getpid' }, { by: 'p0', op: 'frok' }]);
    expect(messageOf(trace)).toBe("steps[1].by: unknown label 'zz'");
  });

  it('names an unknown field before a missing one', () => {
    expect(messageOf(t([{ by: 'p0', op: 'unshare', flag: ['CLONE_NEWUTS'] }]))).toBe("steps[0]: unknown field 'flag'");
  });
});

describe('valid traces', () => {
  const goldens = readdirSync(GOLDEN).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));

  it('finds the golden traces', () => expect(goldens).toHaveLength(4));

  it.each(goldens)('%s validates, unchanged but for defaults', (file) => {
    const text = readFileSync(join(GOLDEN, file), 'utf8');
    const raw = JSON.parse(text);
    const trace = parseTrace(text);
    expect(trace).toEqual({ ...raw, setup: { user: 'root', hostname: 'localhost', ...raw.setup } });
  });

  it('fills the defaults of setup and keeps exit.code optional', () => {
    const trace = validateTrace({ nsmodel: 1, steps: [{ by: 'p0', op: 'exit' }] });
    expect(trace).toEqual({ nsmodel: 1, setup: { user: 'root', hostname: 'localhost' }, steps: [{ by: 'p0', op: 'exit' }] });
    expect(validateTrace({ nsmodel: 1, setup: { user: 'unprivileged' }, steps: [] }).setup)
      .toEqual({ user: 'unprivileged', hostname: 'localhost' });
  });

  it('accepts every op in its full form', () => {
    const steps = [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'p0', op: 'clone', flags: Object.keys(CLONE_FLAGS), as: 'b' },
      { by: 'a', op: 'unshare', flags: [] },
      { by: 'a', op: 'open', target: 'b', ns: 'time_for_children', as: 'f' },
      { by: 'a', op: 'pidfd_open', target: 'b', as: 'pf' },
      { by: 'a', op: 'setns', fd: 'f', nstype: 0 },
      { by: 'a', op: 'setns', fd: 'f', nstype: 'CLONE_NEWTIME' },
      { by: 'a', op: 'setns', fd: 'pf', nstype: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
      { by: 'a', op: 'setns', fd: 'pf', nstype: [] },
      { by: 'a', op: 'ioctl', fd: 'f', request: 'NS_GET_USERNS', as: 'u' },
      { by: 'a', op: 'ioctl', fd: 'u', request: 'NS_GET_PARENT', as: 'up' },
      { by: 'a', op: 'ioctl', fd: 'f', request: 'NS_GET_NSTYPE' },
      { by: 'a', op: 'ioctl', fd: 'f', request: 'NS_GET_OWNER_UID' },
      { by: 'a', op: 'close', fd: 'pf' },
      { by: 'a', op: 'exec' },
      { by: 'a', op: 'sethostname', name: 'x'.repeat(65) },
      { by: 'a', op: 'setdomainname', name: '' },
      { by: 'a', op: 'gethostname' },
      { by: 'a', op: 'getdomainname' },
      { by: 'a', op: 'getpid' },
      { by: 'a', op: 'getppid' },
      { by: 'a', op: 'setuid', uid: 4294967295 },
      { by: 'p0', op: 'write_map', target: 'a', file: 'gid_map', data: '0 1000 1' },
      { by: 'a', op: 'thread' },
      { by: 'p0', op: 'observe' },
      // extensions (docs/TRACE-EXTENSIONS.md)
      { by: 'a', op: 'exec', argv: ['/bin/sh', '-c', ''] },
      { by: 'a', op: 'mount_proc' },
      { by: 'a', op: 'set_pdeathsig', signal: 'SIGKILL' },
      { by: 'a', op: 'set_pdeathsig', signal: 0 },
      { by: 'p0', op: 'kill', target: 'a', signal: 0 },
      { by: 'a', op: 'setresuid', ruid: -1, euid: 4294967294, suid: 0 },
      { by: 'a', op: 'setresgid', rgid: 1, egid: -1, sgid: 2 },
      { by: 'a', op: 'setgroups', groups: [0, 4294967294] },
      { by: 'a', op: 'capset', effective: [], permitted: ['CAP_SYS_ADMIN'], inheritable: ['CAP_CHECKPOINT_RESTORE'] },
      { by: 'a', op: 'prctl', option: 'PR_SET_SECUREBITS', bits: ['SECBIT_KEEP_CAPS', 'SECBIT_NOROOT_LOCKED'] },
      { by: 'a', op: 'mkdir', path: '/m' },
      { by: 'a', op: 'mount', fstype: 'tmpfs', target: '/m', flags: ['MS_NOSUID'] },
      { by: 'a', op: 'mount', source: '/m', target: '/m', flags: ['MS_BIND'] },
      { by: 'a', op: 'umount', target: '/m', flags: ['MNT_DETACH'] },
      { by: 'a', op: 'pivot_root', new_root: '/m', put_old: '/m' },
      { by: 'a', op: 'readdir', path: '/proc' },
      { by: 'a', op: 'chdir', path: '../m/.' },
      { by: 'a', op: 'chroot', path: '.' },
      { by: 'a', op: 'getcwd' },
      { by: 'a', op: 'exit', code: 255 },
      { by: 'p0', op: 'wait' },
    ];
    const trace = validateTrace({ nsmodel: 1, name: 'all ops', steps });
    expect(trace.steps).toEqual(steps);
    expect(new Set(steps.map((s) => s.op))).toEqual(new Set(OPS));
    expect([...labelKinds(trace)]).toEqual([
      ['p0', 'process'], ['a', 'process'], ['b', 'process'], ['f', 'fd'], ['pf', 'fd'], ['u', 'fd'], ['up', 'fd'],
    ]);
    expect(processLabels(trace)).toEqual(['p0', 'a', 'b']);
    expect(fdLabels(trace)).toEqual(['f', 'pf', 'u', 'up']);
  });

  it('leaves semantic failures to the backend', () => {
    // Each is well-formed; the kernel answers EINVAL/EPERM at run time.
    expect(() => validateTrace(t([{ by: 'p0', op: 'unshare', flags: ['CLONE_PARENT'] }]))).not.toThrow();
    expect(() => validateTrace(t([openF, { by: 'p0', op: 'setns', fd: 'f', nstype: ['CLONE_NEWUTS', 'CLONE_NEWNET'] }]))).not.toThrow();
    // A label whose fork fails at run time is still defined.
    expect(() => validateTrace(t([{ by: 'p0', op: 'exit' }, { by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'getpid' }]))).not.toThrow();
  });
});

describe('flag words', () => {
  it('ORs Linux values', () => {
    expect(flagsValue([])).toBe(0);
    expect(flagsValue(['CLONE_NEWUTS', 'CLONE_NEWNET', 'CLONE_FILES'])).toBe(0x04000000 | 0x40000000 | 0x400);
    expect(nstypeValue(0)).toBe(0);
    expect(nstypeValue('CLONE_NEWNS')).toBe(0x00020000);
    expect(nstypeValue([])).toBe(0);
    expect(nstypeValue(['CLONE_NEWUSER', 'CLONE_NEWPID'])).toBe(0x30000000);
  });
});

describe('properties', () => {
  it('the JSON scanner finds an error exactly when JSON.parse does', () => {
    const text = fc.oneof(
      fc.json(),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n', '\\', '0', '-'))
        .map(([s, i, c]) => s.slice(0, i % (s.length + 1)) + c + s.slice(i % (s.length + 1) + 1)),
    );
    fc.assert(fc.property(text, (s) => {
      let ok = true;
      try { JSON.parse(s); } catch { ok = false; }
      expect(locateJsonError(s) === null).toBe(ok);
    }), { numRuns: 2000 });
  });

  it('anything at all gives a trace or one TraceError line', () => {
    const labelish = fc.constantFrom('p0', 'a', 'f', 'x', '', 3);
    const step = fc.record({
      by: labelish, op: fc.oneof(fc.constantFrom(...OPS), fc.string()), as: labelish, fd: labelish, target: labelish,
      flags: fc.array(fc.constantFrom('CLONE_NEWUTS', 'CLONE_VM', 'CLONE_FS', 'X')), code: fc.integer({ min: -2, max: 300 }),
      nstype: fc.constantFrom(0, 1, 'CLONE_NEWUTS', ['CLONE_NEWPID'], 'CLONE_FS'), ns: fc.constantFrom('uts', 'pid', 'x'),
      request: fc.constantFrom('NS_GET_USERNS', 'NS_GET_NSTYPE', 'X'), uid: fc.double(), name: fc.string(),
    }, { requiredKeys: [] });
    const trace = fc.oneof(
      fc.anything(),
      fc.record({ nsmodel: fc.constantFrom(1, 2), steps: fc.array(step, { maxLength: 6 }) }, { requiredKeys: ['steps'] }),
    );
    fc.assert(fc.property(trace, (value) => {
      try {
        validateTrace(value);
      } catch (e) {
        expect(e).toBeInstanceOf(TraceError);
        expect((e as Error).message).toMatch(/^(trace|nsmodel|name|setup|steps)(\.\w+|\[\d+\])*: [^\n]+$/);
      }
    }), { numRuns: 3000 });
  });
});
