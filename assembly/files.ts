// fs/file.c and fs/fs_struct.c, as far as namespaces see them: descriptor tables (copied by
// fork, shared with CLONE_FILES, unshared by unshare(CLONE_FILES) and exec) and the open
// files in them, which keep namespaces alive (R73).

import { File, FILE_NS, Files, Fs, fileOfLabel } from "./task";
import { Ns, getNs, putNs } from "./ns/common";

/** dup_fd(): a copy of the table; every open file gains a holder. */
export function dupFd(old: Files): Files {
  const nu = new Files();
  const l = old.labels;
  const n = l.length;
  const labels = new Array<i32>(n);
  for (let i = 0; i < n; i++) {
    const label = unchecked(l[i]);
    unchecked(labels[i] = label);
    fileOfLabel(label)!.refs++;
  }
  nu.labels = labels;
  return nu;
}

/** put_files_struct(): the last user closes everything in the table. */
export function putFiles(t: Files | null): void {
  if (!t) return;
  if (--t.users > 0) return;
  const l = t.labels;
  for (let i = 0, n = l.length; i < n; i++) fput(fileOfLabel(unchecked(l[i]))!);
  t.labels.length = 0;
}

/** fd_install(): the table holds the file under its label. */
export function fdInstall(t: Files, label: i32, f: File): void {
  f.refs++;
  t.labels.push(label);
}

/** close_fd(): the table no longer holds the label. */
export function closeFd(t: Files, label: i32): bool {
  const l = t.labels;
  for (let i = 0, n = l.length; i < n; i++) {
    if (unchecked(l[i]) == label) {
      l[i] = unchecked(l[n - 1]);
      l.pop();
      fput(fileOfLabel(label)!);
      return true;
    }
  }
  return false;
}

/** do_close_on_exec() */
export function closeOnExec(t: Files): void {
  const l = t.labels;
  let j = 0;
  for (let i = 0, n = l.length; i < n; i++) {
    const label = unchecked(l[i]);
    const f = fileOfLabel(label)!;
    if (f.cloexec) fput(f);
    else unchecked(l[j++] = label);
  }
  l.length = j;
}

/** A new open file of a namespace. */
export function nsFile(ns: Ns, cloexec: bool): File {
  const f = new File();
  f.kind = FILE_NS;
  f.ns = getNs(ns);
  f.cloexec = cloexec;
  return f;
}

/** fput(): the last holder releases the namespace (or the pidfd's struct pid). */
export function fput(f: File): void {
  if (--f.refs > 0) return;
  putNs(f.ns);
  f.ns = null;
}

/** copy_fs_struct() */
export function copyFs(): Fs {
  return new Fs();
}
