// The canonical snapshot (TRACE.md, "Snapshot, in canonical form").
//
// Both backends describe what they see as a RawSnapshot, in which a namespace is named by a
// backend-private key (the model's table index, the kernel's inode number). canonicalize()
// is the one place that turns such a view into canonical ids, so that observation is
// symmetric: the same rule numbers the namespaces of both backends.

import {
  NS_FILES, NS_TYPES,
  type NsFile, type NsType, type Snapshot, type SnapshotNamespace, type SnapshotProcess,
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
  const namespaces: SnapshotNamespace[] = order.map((key) => {
    const ns = info(key);
    return {
      id: ids.get(key)!, type: ns.type, owner: ns.owner === null ? null : ids.get(ns.owner)!,
      parent: ns.parent === null ? null : ids.get(ns.parent)!, level: ns.level,
    };
  });
  namespaces.sort((a, b) => {
    const t = typeRank.get(a.type)! - typeRank.get(b.type)!;
    return t !== 0 ? t : idNumber(a.id) - idNumber(b.id);
  });
  return { snapshot: { processes, namespaces }, ids };
}

function idNumber(id: string): number {
  return Number(id.slice(id.indexOf(':') + 1));
}
