// The invariants of the mount trees and the propagation graph, checked over the whole world
// (for the fast-check properties of test/model-mounts.test.ts; read-only). "" when they hold,
// else the first one broken.

import { namespaces } from "../ns/common";
import { NS_MNT } from "../ns/table";
import { Mount, next_mnt, totalMounts } from "./mount";
import { Path } from "./path";
import { is_subdir } from "./dir";
import { TASK_RUNNING, tasks } from "../task";

function live(m: Mount | null): bool {
  return m !== null && m.ns !== null;
}

export function checkMounts(): string {
  const seen = new Set<i32>();
  let total = 0;
  for (let i = 0, n = namespaces.length; i < n; i++) {
    const ns = unchecked(namespaces[i]);
    if (ns.type != NS_MNT || !ns.alive || !ns.mntRoot) continue;
    const r = ns.mntRoot!;
    let count = 0;
    for (let p: Mount | null = r; p; p = next_mnt(p!, r)) {
      const m = p!;
      count++;
      if (seen.has(m.id)) return "mount " + m.id.toString() + " is in two trees";
      seen.add(m.id);
      if (m.ns !== ns) return "mount " + m.id.toString() + " is in another namespace than its tree";
      if (m !== r) {
        const parent = m.parent;
        if (!parent || parent.children.indexOf(m) < 0) return "mount " + m.id.toString() + " is not among its parent's children";
        if (parent.ns !== m.ns) return "mount " + m.id.toString() + " has its parent in another namespace";
      }
      for (let j = 0, k = m.children.length; j < k; j++) {
        const c = unchecked(m.children[j]);
        if (c.parent !== m) return "mount " + c.id.toString() + " is a child of " + m.id.toString() + " with another parent";
        for (let q = j + 1; q < k; q++) {
          if (unchecked(m.children[q]).mountpoint === c.mountpoint) return "two mounts on one mountpoint of " + m.id.toString();
        }
      }
      if (m.shared && m.groupId == 0) return "shared mount " + m.id.toString() + " without a peer group";
      const peers = m.peers;
      if (peers) {
        if (!m.shared) return "mount " + m.id.toString() + " has peers but is not shared";
        if (peers.indexOf(m) < 0) return "mount " + m.id.toString() + " is not among its peers";
        for (let j = 0, k = peers.length; j < k; j++) {
          const q = unchecked(peers[j]);
          if (q.peers !== peers || q.groupId != m.groupId || !q.shared) return "peers of " + m.id.toString() + " disagree";
          if (!live(q)) return "mount " + m.id.toString() + " has a peer that was unmounted";
        }
      }
      const master = m.master;
      if (master) {
        if (!live(master)) return "mount " + m.id.toString() + " has an unmounted master";
        if (!master.shared || master.groupId == 0) return "mount " + m.id.toString() + " has a master that is not shared";
        if (master.slaves.indexOf(m) < 0) return "mount " + m.id.toString() + " is not among its master's slaves";
        if (m.groupId != 0 && m.groupId == master.groupId) return "mount " + m.id.toString() + " is a slave of its own peer group";
      }
      for (let j = 0, k = m.slaves.length; j < k; j++) {
        const s = unchecked(m.slaves[j]);
        if (s.master !== m) return "a slave of " + m.id.toString() + " has another master";
        if (!live(s)) return "mount " + m.id.toString() + " has an unmounted slave";
      }
      if (m.isNew) return "mount " + m.id.toString() + " is still marked new";
    }
    if (count != ns.nrMounts) return "a namespace counts " + ns.nrMounts.toString() + " mounts and has " + count.toString();
    total += count;
  }
  if (total != totalMounts) return "the world counts " + totalMounts.toString() + " mounts and has " + total.toString();
  // every root and working directory is a directory of its mount (at or below the mount's root)
  for (let i = 0, n = tasks.length; i < n; i++) {
    const t = unchecked(tasks[i]);
    if (t.state != TASK_RUNNING || !t.fs) continue;
    const bad = pathProblem(t.fs!.root, "root") + pathProblem(t.fs!.pwd, "working directory");
    if (bad.length) return "task " + t.id.toString() + ": " + bad;
  }
  return "";
}

function pathProblem(p: Path | null, what: string): string {
  if (!p) return what + " missing";
  if (p.dentry.sb !== p.mnt.sb || !is_subdir(p.dentry, p.mnt.root)) return what + " is not below its mount's root";
  return "";
}
