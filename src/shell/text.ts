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
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOTTY: 'Inappropriate ioctl for device',
  ENOSPC: 'No space left on device',
  EUSERS: 'Too many users',
  EROFS: 'Read-only file system',
  EOVERFLOW: 'Value too large for defined data type',
  ELOOP: 'Too many levels of symbolic links',
  ENOTEMPTY: 'Directory not empty',
  EXDEV: 'Invalid cross-device link',
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

/** bash's `kill -l` (Linux x86-64): every signal's number and name. */
export const KILL_L_TABLE = ` 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP
 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1
11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM
16) SIGSTKFLT\t17) SIGCHLD\t18) SIGCONT\t19) SIGSTOP\t20) SIGTSTP
21) SIGTTIN\t22) SIGTTOU\t23) SIGURG\t24) SIGXCPU\t25) SIGXFSZ
26) SIGVTALRM\t27) SIGPROF\t28) SIGWINCH\t29) SIGIO\t30) SIGPWR
31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t36) SIGRTMIN+2\t37) SIGRTMIN+3
38) SIGRTMIN+4\t39) SIGRTMIN+5\t40) SIGRTMIN+6\t41) SIGRTMIN+7\t42) SIGRTMIN+8
43) SIGRTMIN+9\t44) SIGRTMIN+10\t45) SIGRTMIN+11\t46) SIGRTMIN+12\t47) SIGRTMIN+13
48) SIGRTMIN+14\t49) SIGRTMIN+15\t50) SIGRTMAX-14\t51) SIGRTMAX-13\t52) SIGRTMAX-12
53) SIGRTMAX-11\t54) SIGRTMAX-10\t55) SIGRTMAX-9\t56) SIGRTMAX-8\t57) SIGRTMAX-7
58) SIGRTMAX-6\t59) SIGRTMAX-5\t60) SIGRTMAX-4\t61) SIGRTMAX-3\t62) SIGRTMAX-2
63) SIGRTMAX-1\t64) SIGRTMAX\t
`;

/** A Linux signal's number by name (HUP, SIGHUP), from bash's table; undefined for none. */
export function linuxSignalNumber(name: string): number | undefined {
  const want = `SIG${name.toUpperCase().replace(/^SIG/, '')}`;
  const m = new RegExp(`(\\d+)\\) ${want.replace(/[+]/g, '\\+')}(?=\\s|$)`).exec(KILL_L_TABLE);
  return m ? Number(m[1]) : undefined;
}

const utf8 = new TextEncoder();

/** The length of a text in UTF-8 bytes (as Buffer.byteLength; browser-safe). */
export function utf8Bytes(text: string): number {
  return utf8.encode(text).length;
}
