// The paths of the mount ops (docs/TRACE-EXTENSIONS.md, "Paths"): what makes one invalid.
// Apart from validate.ts so that the shell (and the playground's bundle) can check a path
// without the schema library.

/** The most components a path of a mount op may have, and the most bytes of one (docs/TRACE-EXTENSIONS.md, "Paths"). */
export const PATH_MAX_COMPONENTS = 16;
export const PATH_COMPONENT_MAX = 64;
export const PATH_SHAPE = `must be a path: '/' or components of A-Z a-z 0-9 . _ - (or '.', '..') separated by single '/', no trailing '/'`;
/** What is wrong with a path of a mount op, or null. Relative paths and '.', '..' are allowed (chdir). */
export function pathProblem(p: string): string | null {
  if (p === '/') return null;
  if (p === '' || p.endsWith('/')) return PATH_SHAPE;
  const absolute = p.startsWith('/');
  const parts = (absolute ? p.slice(1) : p).split('/');
  for (const c of parts) {
    if (c === '' || !/^[A-Za-z0-9._-]+$/.test(c)) return PATH_SHAPE;
    if (c.length > PATH_COMPONENT_MAX) return `a component has ${c.length} characters (at most ${PATH_COMPONENT_MAX})`;
  }
  if (parts.length > PATH_MAX_COMPONENTS) return `has ${parts.length} components (at most ${PATH_MAX_COMPONENTS})`;
  if (absolute && belowProc(parts)) return 'paths below /proc are not modelled';
  return null;
}

/** Does an absolute path, spelled out ('..' up, '.' nothing, never above '/'), lie below /proc? */
function belowProc(parts: readonly string[]): boolean {
  const at: string[] = [];
  for (const c of parts) {
    if (c === '..') at.pop();
    else if (c !== '.') {
      if (at.length === 1 && at[0] === 'proc') return true;
      at.push(c);
    }
  }
  return false;
}
