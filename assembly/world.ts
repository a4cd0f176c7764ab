// The world a trace starts in (TRACE.md "setup"): p0 is PID 1 of the trace's initial PID
// namespace and a member of one initial namespace of each other type; the initial user
// namespace is the machine's. `root`: uid 0 with every capability; `unprivileged`: uid and
// gid 1000, no capabilities, dumpable.

import { newNs, resetNamespaces, setInitUserNs } from "./ns/common";
import { initUtsNs } from "./ns/uts";
import { NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_TIME, NS_USER } from "./flags";
import { addProcMount } from "./ns/mnt";
import { Cred, setIdentityMaps } from "./cred";
import { NsProxy } from "./nsproxy";
import { FdLabels, Files, Fs, newTask, resetTasks, setLabelTask } from "./task";
import { resetExit } from "./exit";

export function createWorld(unprivileged: bool, hostname: StaticArray<u8>, hostnameLen: i32): void {
  resetNamespaces();
  resetTasks();
  resetExit();

  const user = newNs(NS_USER, null, true);
  setIdentityMaps(user);
  setInitUserNs(user);
  const mnt = newNs(NS_MNT, user, true);
  const uts = initUtsNs(user, hostname, hostnameLen);
  const ipc = newNs(NS_IPC, user, true);
  const net = newNs(NS_NET, user, true);
  const cgroup = newNs(NS_CGROUP, user, true);
  const pid = newNs(NS_PID, user, true);
  const time = newNs(NS_TIME, user, true);
  // /proc is the machine's procfs: it shows the trace's initial PID namespace and those below
  addProcMount(mnt, pid);
  // the initial namespaces are the machine's (or the sandbox's): they never die
  const forever: i32 = 1 << 30;
  user.refs = forever; mnt.refs = forever; uts.refs = forever; ipc.refs = forever; net.refs = forever;
  cgroup.refs = forever; pid.refs = forever; time.refs = forever;

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
  p0.nsproxy = new NsProxy(mnt, uts, ipc, net, cgroup, pid, time, time);

  const cred = new Cred();
  cred.userNs = user;
  const id: u32 = unprivileged ? 1000 : 0;
  cred.uid = id; cred.euid = id; cred.suid = id; cred.fsuid = id;
  cred.gid = id; cred.egid = id; cred.sgid = id; cred.fsgid = id;
  cred.capPermitted = !unprivileged;
  cred.capEffective = !unprivileged;
  p0.cred = cred;
  p0.dumpable = true;
  p0.mmUserNs = user;
  p0.fs = new Fs();
  p0.files = new Files(new FdLabels(new Array<i32>(0)));
}
