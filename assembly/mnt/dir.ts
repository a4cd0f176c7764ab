// Super blocks and their directories (fs/super.c, fs/dcache.c, mm/shmem.c, fs/proc/root.c),
// as far as mounts see them: a tmpfs is a tree of directories (mode 0777, made by mkdir); a
// procfs is one directory whose entries (the processes) the model does not imitate.

import { Ns, getNs, putNs } from "../ns/common";

export const FS_TMPFS: i32 = 0;
export const FS_PROC: i32 = 1;
/** The machine's root below the trace's world: never shown (not reachable from any root). */
export const FS_ROOTFS: i32 = 2;

/** struct super_block */
export class SuperBlock {
  /** The raw key of the snapshot (unique in a world). */
  id: i32 = 0;
  type: i32 = FS_TMPFS;
  /** SB_RDONLY */
  rdonly: bool = false;
  /** s_user_ns: the user namespace that owns it (CAP_SYS_ADMIN there may remount it). */
  userNs: Ns;
  /** procfs: the PID namespace it shows (held while the super block lives, R73). */
  pidNs: Ns | null = null;
  root!: Dentry;
  /** Mounts of it that are alive (the super block goes with the last one). */
  active: i32 = 0;

  constructor(id: i32, type: i32, userNs: Ns, pidNs: Ns | null) {
    this.id = id;
    this.type = type;
    this.userNs = userNs;
    this.pidNs = pidNs;
    if (pidNs) getNs(pidNs);
  }
}

/** struct dentry of a directory. */
export class Dentry {
  sb: SuperBlock;
  parent: Dentry | null;
  name: string;
  children: Array<Dentry> = new Array<Dentry>(0);

  constructor(sb: SuperBlock, parent: Dentry | null, name: string) {
    this.sb = sb;
    this.parent = parent;
    this.name = name;
  }
}

let nextSb: i32 = 0;
/** Super blocks made so far (a world holds at most a bounded number: MOUNT_MAX). */
export function resetSuperBlocks(): void { nextSb = 0; }

/** sget_fc() of a new super block. */
export function alloc_super(type: i32, userNs: Ns, pidNs: Ns | null): SuperBlock {
  const sb = new SuperBlock(nextSb++, type, userNs, pidNs);
  sb.root = new Dentry(sb, null, "");
  return sb;
}

/** A mount of it was made. */
export function sb_get(sb: SuperBlock): void { sb.active++; }

/** deactivate_super(): the last mount lets go of what the super block holds (a procfs its PID namespace). */
export function sb_put(sb: SuperBlock): void {
  if (--sb.active > 0) return;
  const p = sb.pidNs;
  sb.pidNs = null;
  if (p) putNs(p);
}

/** d_lookup(): the child directory called `name`, or null. */
export function d_lookup(dir: Dentry, name: string): Dentry | null {
  const c = dir.children;
  for (let i = 0, n = c.length; i < n; i++) if (unchecked(c[i]).name == name) return unchecked(c[i]);
  return null;
}

/** shmem_mkdir(): a new directory (the caller checked that the name is free). */
export function d_mkdir(dir: Dentry, name: string): Dentry {
  const d = new Dentry(dir.sb, dir, name);
  dir.children.push(d);
  return d;
}

/** is_subdir(): is `d` `ancestor` or below it (in one super block)? */
export function is_subdir(d: Dentry, ancestor: Dentry): bool {
  if (d.sb !== ancestor.sb) return false;
  let p: Dentry | null = d;
  while (p) {
    if (p === ancestor) return true;
    p = p.parent;
  }
  return false;
}

/** The path of `d` below `top` ("/" for top itself): dentry_path_raw() when top is the sb's root. */
export function dentry_path(d: Dentry, top: Dentry): string {
  let s = "";
  let p: Dentry | null = d;
  while (p && p !== top) {
    s = "/" + p.name + s;
    p = p.parent;
  }
  return s.length ? s : "/";
}

/** The names of a directory, sorted byte-wise (readdir without . and ..). */
export function d_names(dir: Dentry): Array<string> {
  const c = dir.children;
  const out = new Array<string>(c.length);
  for (let i = 0, n = c.length; i < n; i++) unchecked(out[i] = unchecked(c[i]).name);
  // names are ASCII: string order is byte order
  out.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
  return out;
}
