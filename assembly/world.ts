// The world a trace starts in (TRACE.md "setup"): p0 is PID 1 of the trace's initial PID
// namespace and a member of one initial namespace of each other type; the initial user
// namespace is the machine's. `root`: uid 0 with every capability; `unprivileged`: uid and
// gid 1000, no capabilities, dumpable.

import { newNs, resetNamespaces, setInitUserNs } from "./ns/common";
import { initUtsNs } from "./ns/uts";
import { NS_MNT, NS_PID, NS_TIME, NS_USER, NS_UTS, nsInitialOrder, resetNsOps } from "./ns/table";
import { init_mount_tree, resetMountWorld } from "./mnt/namespace";
import { Path } from "./mnt/path";
import { Cred, setIdentityMaps } from "./cred";
import { NsProxy } from "./nsproxy";
import { FdLabels, Files, Fs, newTask, resetTasks, setLabelTask } from "./task";
import { resetExit } from "./exit";

export function createWorld(unprivileged: bool, hostname: StaticArray<u8>, hostnameLen: i32, bset: u64, mounts: bool): void {
  resetMountWorld(mounts);
  resetNamespaces();
  resetNsOps();
  resetTasks();
  resetExit();

  const user = newNs(NS_USER, null, true);
  setIdentityMaps(user);
  setInitUserNs(user);
  // the initial namespaces are the machine's (or the sandbox's): they never die
  const forever: i32 = 1 << 30;
  user.refs = forever;
  // one initial namespace of every other type (uts: with the setup's names)
  const nsp = new NsProxy(user); // time_ns: set below
  const order = nsInitialOrder;
  for (let i = 0, n = order.length; i < n; i++) {
    const type = unchecked(order[i]).type;
    if (type == NS_USER) continue;
    const ns = type == NS_UTS ? initUtsNs(user, hostname, hostnameLen) : newNs(type, user, true);
    // with mounts, the mount namespace is the sandbox's own: it goes with its last holder
    // (free_mnt_ns() makes its mounts private: their slaves elsewhere lose their master)
    if (!(mounts && type == NS_MNT)) ns.refs = forever;
    unchecked(nsp.byType[type] = ns);
  }
  nsp.time = nsp.of(NS_TIME); // time and time_for_children: the same
  const pid = nsp.of(NS_PID);
  // the trace's "/" and the machine's procfs on /proc: it shows the trace's initial PID
  // namespace and those below (assembly/mnt/namespace.ts)
  const rootMnt = init_mount_tree(nsp.of(NS_MNT), pid);

  const p0 = newTask();
  p0.label = 0;
  setLabelTask(0, p0.id);
  p0.parent = -1;
  p0.nspid = [1];
  p0.pidNs = pid;
  pid.lastPid = 1;
  pid.pidAllocated = 1;
  pid.childReaper = p0.id;
  p0.unkillable = true;
  p0.nsproxy = nsp;

  const cred = new Cred();
  cred.userNs = user;
  const id: u32 = unprivileged ? 1000 : 0;
  cred.uid = id; cred.euid = id; cred.suid = id; cred.fsuid = id;
  cred.gid = id; cred.egid = id; cred.sgid = id; cred.fsgid = id;
  cred.capBset = bset;
  cred.capPermitted = unprivileged ? 0 : bset;
  cred.capEffective = unprivileged ? 0 : bset;
  p0.cred = cred;
  p0.dumpable = true;
  p0.mmUserNs = user;
  p0.fs = new Fs();
  p0.fs!.setBoth(new Path(rootMnt, rootMnt.root));
  p0.files = new Files(new FdLabels(new Array<i32>(0)));
}
