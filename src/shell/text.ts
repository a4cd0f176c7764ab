// Text the real tools print: strerror(3), signal descriptions as bash reports them, the
// accounts of the shell's world (/etc/passwd, /etc/group), and libsmartcols-like tables.

/** glibc's strerror() for the errno names a backend returns. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EBADF: 'Bad file descriptor',
  ECHILD: 'No child processes',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EINVAL: 'Invalid argument',
  ENOTTY: 'Inappropriate ioctl for device',
  ENOSPC: 'No space left on device',
  EUSERS: 'Too many users',
};

export function strerror(errno: string): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

/** What bash prints when a foreground job ends by a signal (strsignal), or '' for none. */
export function signalDescription(sig: number): string {
  switch (sig) {
    case 1: return 'Hangup';
    case 2: return '';
    case 9: return 'Killed';
    case 10: return 'User defined signal 1';
    case 12: return 'User defined signal 2';
    case 15: return 'Terminated';
    default: return `Unknown signal ${sig}`;
  }
}

/** The world's accounts: root, the unprivileged user, and the overflow id. */
const USERS: Record<number, { name: string; home: string }> = {
  0: { name: 'root', home: '/root' },
  1000: { name: 'user', home: '/home/user' },
  65534: { name: 'nobody', home: '/nonexistent' },
};
const GROUPS: Record<number, string> = { 0: 'root', 1000: 'user', 65534: 'nogroup' };

export function userName(uid: number): string | undefined {
  return USERS[uid]?.name;
}

export function groupName(gid: number): string | undefined {
  return GROUPS[gid];
}

export function homeOf(uid: number): string {
  return USERS[uid]?.home ?? '/';
}

/** A uid by name (or number). */
export function uidByName(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  for (const [uid, u] of Object.entries(USERS)) if (u.name === name) return Number(uid);
  return undefined;
}

// ---- tables ---------------------------------------------------------------------------

export interface Column {
  header: string;
  right?: boolean;
  /** The tree column: cells are indented with the tree's lines. */
  tree?: boolean;
  /** libsmartcols' width hint (whint >= 1: an absolute width the column grows to). */
  hint?: number;
}

/** A row of a table, possibly with child rows (a tree). */
export interface Row {
  cells: (string | null)[];
  children?: Row[];
}

/**
 * A table as libsmartcols prints it when its output is not a terminal: columns separated by
 * one space, each as wide as its widest cell (the header included), the last column not
 * padded; a tree column drawn with ├─ └─ │.
 */
export function formatTable(columns: Column[], rows: Row[], opts: { noHeadings?: boolean } = {}): string {
  const lines: string[][] = [];
  if (!opts.noHeadings) lines.push(columns.map((c) => c.header));
  const walk = (rs: Row[], prefix: string, depth: number) => {
    rs.forEach((r, i) => {
      const last = i === rs.length - 1;
      const art = depth === 0 ? '' : `${prefix}${last ? '└─' : '├─'}`;
      lines.push(r.cells.map((c, ci) => (columns[ci]?.tree ? art + (c ?? '') : c ?? '')));
      if (r.children?.length) walk(r.children, depth === 0 ? '' : `${prefix}${last ? '  ' : '│ '}`, depth + 1);
    });
  };
  walk(rows, '', 0);
  // count_column_width(): the widest cell; at least the header; grown to the hint when both
  // the cells and the header are narrower than it
  const widths = columns.map((c, ci) => {
    const header = [...c.header].length;
    let w = Math.max(0, ...lines.slice(opts.noHeadings ? 0 : 1).map((l) => [...l[ci]].length));
    if (w < header) w = header;
    else if (c.hint !== undefined && c.hint >= 1 && w < c.hint && header < c.hint) w = c.hint;
    return w;
  });
  // print_data(): right-aligned data is padded on its left; the last column is never filled
  return lines.map((l) => l.map((cell, ci) => {
    const last = ci === columns.length - 1;
    const pad = widths[ci] - [...cell].length;
    if (columns[ci].right && !columns[ci].tree && cell !== '') return ' '.repeat(pad) + cell;
    return last ? cell : cell + ' '.repeat(pad);
  }).join(' ')).map((s) => `${s}\n`).join('');
}

/** JSON as libsmartcols prints a table: 3-space indents, siblings joined by "},{", children nested. */
export function formatJsonTable(name: string, keys: string[], numeric: boolean[], rows: Row[]): string {
  const value = (v: string | null, num: boolean): string => {
    if (v === null || v === '') return 'null';
    return num && /^-?\d+$/.test(v) ? v : JSON.stringify(v);
  };
  const obj = (r: Row, indent: string): string => {
    const inner = `${indent}   `;
    const fields = keys.map((k, i) => `${inner}"${k}": ${value(r.cells[i], numeric[i])}`);
    if (r.children?.length) {
      fields.push(`${inner}"children": [\n${list(r.children, `${inner}   `)}\n${inner}]`);
    }
    return `${indent}{\n${fields.join(',\n')}\n${indent}}`;
  };
  const list = (rs: Row[], indent: string): string => rs.map((r, i) => {
    const text = obj(r, indent);
    return i === 0 ? text : text.slice(indent.length);
  }).join(',');
  return `{\n   "${name}": [\n${list(rows, '      ')}\n   ]\n}\n`;
}
