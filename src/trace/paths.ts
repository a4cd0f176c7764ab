// The paths of the mount ops (docs/TRACE-EXTENSIONS.md, "Paths"): what makes one invalid.
// Apart from validate.ts so that the shell (and the playground's bundle) can check a path
// without the schema library.

/** The most components a path of a mount op may have, and the most bytes of one (docs/TRACE-EXTENSIONS.md, "Paths"). */
export const PATH_MAX_COMPONENTS = 16;
export const PATH_COMPONENT_MAX = 64;
export const PATH_SHAPE = `must be an absolute path ('/' and components of A-Z a-z 0-9 . _ -, no '.' or '..')`;
/** What is wrong with a path of a mount op, or null. */
export function pathProblem(p: string): string | null {
  if (p === '/') return null;
  if (!p.startsWith('/') || p.endsWith('/')) return PATH_SHAPE;
  const parts = p.slice(1).split('/');
  for (const c of parts) {
    if (c === '' || c === '.' || c === '..' || !/^[A-Za-z0-9._-]+$/.test(c)) return PATH_SHAPE;
    if (c.length > PATH_COMPONENT_MAX) return `a component has ${c.length} characters (at most ${PATH_COMPONENT_MAX})`;
  }
  if (parts.length > PATH_MAX_COMPONENTS) return `has ${parts.length} components (at most ${PATH_MAX_COMPONENTS})`;
  if (parts.length > 1 && parts[0] === 'proc') return 'paths below /proc are not modelled';
  return null;
}
