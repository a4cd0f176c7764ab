// The canonical snapshot (TRACE.md, "Snapshot, in canonical form").
//
// Both backends describe what they see as a RawSnapshot, in which a namespace is named by a
// backend-private key (the model's table index, the kernel's inode number). canonicalize()
// is the one place that turns such a view into canonical ids, so that observation is
// symmetric: the same rule numbers the namespaces of both backends.

import {
  NS_FILES, NS_TYPES,
  type NsFile, type SnapshotFsType, type NsType, type Snapshot, type SnapshotMount, type SnapshotNamespace, type SnapshotProcess,
} from './types.js';

export type RawNsKey = string;

/** A process as a backend sees it: the canonical fields, with raw keys for its namespaces. */
export interface RawProcess extends Omit<SnapshotProcess, 'ns'> {
  ns: Record<NsFile, RawNsKey | null>;
}

export interface RawNamespace {
  type: NsType;
  /** The owning user namespace (for a user namespace: its parent); null for the initial user namespace. */
  owner: RawNsKey | null;
  /** Set for pid and user namespaces other than the initial ones. */
  parent: RawNsKey | null;
  /** Nesting depth for pid and user namespaces, 0 for every other type. */
  level: number;
  /**
   * Only for mnt namespaces, only in a trace with setup.mounts: the mounts as mountinfo of the
   * first running process in it lists them (any order), or null when no running process is in it.
   */
  mounts?: RawMount[] | null;
}

/** A mount as a backend sees it (one line of /proc/<pid>/mountinfo), named by raw keys. */
export interface RawMount {
  /** The backend's mount id (mountinfo field 1). */
  id: number;
  /** The parent's raw id; null, or an id not in the list, for the namespace's root. */
  parent: number | null;
  mountpoint: string;
  root: string;
  /** The super block's raw key (mountinfo's major:minor, the model's index). */
  sb: string;
  fstype: SnapshotFsType;
  /** Per-mount options: `rw` or `ro` and any of `nosuid`, `nodev`, `noexec` (others are dropped). */
  options: string[];
  super: 'rw' | 'ro';
  /** Raw peer group ids (mountinfo's optional fields), null when absent. */
  shared: number | null;
  master: number | null;
  propagateFrom: number | null;
  unbindable: boolean;
}

export interface RawSnapshot {
  /** Every process not yet reaped, in the order its label was defined. */
  processes: RawProcess[];
  /** Namespace descriptors held by some running process, in the order their labels were defined. */
  fds: { label: string; ns: RawNsKey }[];
  /** At least every namespace reachable from the processes and fds, through owners and parents. */
  namespaces: ReadonlyMap<RawNsKey, RawNamespace>;
}

export class SnapshotError extends Error {}

/** Number the namespaces of a raw view as TRACE.md says and build the canonical snapshot. */
export function canonicalize(raw: RawSnapshot): Snapshot {
  return canonicalizeWithIds(raw).snapshot;
}

/**
 * canonicalize(), and which canonical id each raw key got (for display-only views that name
 * namespaces by raw key, such as the teaching shell's inode numbers).
 */
export function canonicalizeWithIds(raw: RawSnapshot): { snapshot: Snapshot; ids: ReadonlyMap<RawNsKey, string> } {
  const ids = new Map<RawNsKey, string>();
  const order: RawNsKey[] = [];
  const counters: Record<NsType, number> = {
    cgroup: 0, ipc: 0, mnt: 0, net: 0, pid: 0, time: 0, user: 0, uts: 0,
  };
  const info = (key: RawNsKey): RawNamespace => {
    const ns = raw.namespaces.get(key);
    if (!ns) throw new SnapshotError(`raw snapshot names namespace ${key} but does not describe it`);
    return ns;
  };
  const name = (key: RawNsKey | null): string | null => {
    if (key === null) return null;
    let id = ids.get(key);
    if (id === undefined) {
      const type = info(key).type;
      id = `${type}:${counters[type]++}`;
      ids.set(key, id);
      order.push(key);
    }
    return id;
  };

  const processes: SnapshotProcess[] = raw.processes.map((p) => {
    const ns = {} as Record<NsFile, string | null>;
    for (const f of NS_FILES) ns[f] = name(p.ns[f]);
    return {
      name: p.name, state: p.state, nspid: p.nspid.slice(), uid: p.uid,
      hostname: p.hostname, domainname: p.domainname, ns,
      ...(p.creds ? { creds: { ...p.creds, uid: p.creds.uid.slice(), gid: p.creds.gid.slice(), groups: p.creds.groups.slice() } } : {}),
    };
  });
  for (const fd of raw.fds) name(fd.ns);
  for (let i = 0; i < order.length; i++) {
    const ns = info(order[i]);
    name(ns.owner);
    name(ns.parent);
  }

  const typeRank = new Map<string, number>(NS_TYPES.map((t, i) => [t, i]));
  const rawMounts = new Map<string, RawMount[] | null>();
  const namespaces: SnapshotNamespace[] = order.map((key) => {
    const ns = info(key);
    const id = ids.get(key)!;
    if (ns.mounts !== undefined) rawMounts.set(id, ns.mounts);
    return {
      id, type: ns.type, owner: ns.owner === null ? null : ids.get(ns.owner)!,
      parent: ns.parent === null ? null : ids.get(ns.parent)!, level: ns.level,
    };
  });
  namespaces.sort((a, b) => {
    const t = typeRank.get(a.type)! - typeRank.get(b.type)!;
    return t !== 0 ? t : idNumber(a.id) - idNumber(b.id);
  });
  if (rawMounts.size > 0) {
    const numbering = new MountNumbering();
    for (const ns of namespaces) {
      const mounts = rawMounts.get(ns.id);
      if (mounts !== undefined) ns.mounts = mounts === null ? null : numbering.namespace(mounts);
    }
  }
  return { snapshot: { processes, namespaces }, ids };
}

/** Byte order of two strings of the path alphabet (ASCII: UTF-16 order is byte order). */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical numbering of mounts (docs/TRACE-EXTENSIONS.md, "Mounts": "Snapshots"): one
 * per snapshot, fed the mount namespaces in the order of `namespaces`. Mount ids count from 0
 * over the whole snapshot, super blocks per type from 0, peer groups from 1, each in order of
 * first appearance in the walk: each namespace's tree from its root, depth first, children
 * by mountpoint.
 */
class MountNumbering {
  private nextMount = 0;
  private readonly sbs = new Map<string, string>();
  private readonly sbCount: Record<SnapshotFsType, number> = { tmpfs: 0, proc: 0, rootfs: 0 };
  private readonly groups = new Map<number, number>();

  namespace(raw: readonly RawMount[]): SnapshotMount[] {
    const byId = new Map<number, RawMount>();
    for (const m of raw) {
      if (byId.has(m.id)) throw new SnapshotError(`raw snapshot lists mount ${m.id} twice in one namespace`);
      byId.set(m.id, m);
    }
    const children = new Map<number | null, RawMount[]>();
    for (const m of raw) {
      const parent = m.parent !== null && byId.has(m.parent) && m.parent !== m.id ? m.parent : null;
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(m);
    }
    const sorted = (list: RawMount[]) => list.sort((a, b) => byteOrder(a.mountpoint, b.mountpoint) || a.id - b.id);
    const out: SnapshotMount[] = [];
    const canonical = new Map<number, number>();
    // depth first, without recursion (a tree may be deep); a raw parent cycle never reaches a root and is dropped
    const stack: RawMount[] = sorted(children.get(null) ?? []).slice().reverse();
    while (stack.length > 0) {
      const m = stack.pop()!;
      const id = this.nextMount++;
      canonical.set(m.id, id);
      const parent = m.parent === null || m.parent === m.id ? null : canonical.get(m.parent);
      out.push({
        id, parent: parent === undefined ? null : parent, mountpoint: m.mountpoint, root: m.root, fs: this.sb(m),
        options: m.options.slice(), super: m.super, propagation: this.propagation(m),
      });
      const kids = children.get(m.id);
      if (kids) for (const k of sorted(kids).slice().reverse()) stack.push(k);
    }
    return out;
  }

  private sb(m: RawMount): string {
    let name = this.sbs.get(m.sb);
    if (name === undefined) {
      name = `${m.fstype}:${this.sbCount[m.fstype]++}`;
      this.sbs.set(m.sb, name);
    }
    return name;
  }

  private group(raw: number): number {
    let n = this.groups.get(raw);
    if (n === undefined) {
      n = this.groups.size + 1;
      this.groups.set(raw, n);
    }
    return n;
  }

  private propagation(m: RawMount): string[] {
    const fields: string[] = [];
    if (m.shared !== null) fields.push(`shared:${this.group(m.shared)}`);
    if (m.master !== null) fields.push(`master:${this.group(m.master)}`);
    if (m.propagateFrom !== null) fields.push(`propagate_from:${this.group(m.propagateFrom)}`);
    if (m.unbindable) fields.push('unbindable');
    return fields;
  }
}

function idNumber(id: string): number {
  return Number(id.slice(id.indexOf(':') + 1));
}
