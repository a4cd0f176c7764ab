// fs/file.c and fs/fs_struct.c, as far as namespaces see them: descriptor tables (copied by
// fork, shared with CLONE_FILES, unshared by unshare(CLONE_FILES) and exec) and the open
// files in them, which keep namespaces alive (R73).

import { FdLabels, File, FILE_NS, Files, Fs, fileOfLabel } from "./task";
import { Ns, getNs, putNs } from "./ns/common";

/**
 * dup_fd(): a copy of the table. The copy shares the labels (copy on write: see FdLabels);
 * nothing is copied until one of the tables changes.
 */
export function dup_fd(old: Files): Files {
  const labels = old.labels;
  labels.sharers++;
  return new Files(labels);
}

/** The table's own labels, to change: a copy if other tables share them (each file gains a holder). */
function writableLabels(t: Files): Array<i32> {
  const shared = t.labels;
  if (shared.sharers == 1) return shared.list;
  shared.sharers--;
  const l = shared.list;
  const n = l.length;
  const list = new Array<i32>(n + 1); // room for the label an fd_install adds
  list.length = n;
  for (let i = 0; i < n; i++) {
    const label = unchecked(l[i]);
    unchecked(list[i] = label);
    fileOfLabel(label)!.refs++;
  }
  t.labels = new FdLabels(list);
  return list;
}

/** put_files_struct(): the last user closes everything in the table (unless another table shares its labels). */
export function put_files_struct(t: Files | null): void {
  if (!t) return;
  if (--t.users > 0) return;
  const labels = t.labels;
  if (--labels.sharers > 0) return;
  const l = labels.list;
  for (let i = 0, n = l.length; i < n; i++) fput(fileOfLabel(unchecked(l[i]))!);
  l.length = 0;
}

/** fd_install(): the table holds the file under its label. */
export function fd_install(t: Files, label: i32, f: File): void {
  const l = writableLabels(t);
  f.refs++;
  l.push(label);
}

/** close_fd(): the table no longer holds the label. */
export function close_fd(t: Files, label: i32): bool {
  let l = t.labels.list;
  for (let i = 0, n = l.length; i < n; i++) {
    if (unchecked(l[i]) == label) {
      l = writableLabels(t); // same order: i is still the label's index
      l[i] = unchecked(l[n - 1]);
      l.pop();
      fput(fileOfLabel(label)!);
      return true;
    }
  }
  return false;
}

/** do_close_on_exec() */
export function do_close_on_exec(t: Files): void {
  let l = t.labels.list;
  let any = false;
  for (let i = 0, n = l.length; i < n; i++) {
    if (fileOfLabel(unchecked(l[i]))!.cloexec) { any = true; break; }
  }
  if (!any) return;
  l = writableLabels(t);
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

/** copy_fs_struct(): the same root and working directory. */
export function copy_fs_struct(old: Fs): Fs {
  const fs = new Fs();
  fs.root = old.root;
  fs.pwd = old.pwd;
  return fs;
}
