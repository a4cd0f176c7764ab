// The teaching commands: `help`, `explain` (which kernel rule decided the last command, with
// the man page that documents it) and `tree` (processes and their namespaces).

import type { NsFile, Step } from '../trace/types.js';
import type { Ctx } from './runtime.js';
import { strerror } from './text.js';

/** Man pages by the kernel function the model's check is written after. */
const CHECK_PAGES: [RegExp, string][] = [
  [/^(copy_process|copy_namespaces|alloc_pid)$/, 'clone(2)'],
  [/^(ksys_unshare|check_unshare_flags|unshare_nsproxy_namespaces)$/, 'unshare(2)'],
  [/(_install|^validate_nsset|^commit_nsset|^check_setns_flags|^setns|^prepare_nsset)$/, 'setns(2)'],
  [/^(create_user_ns|map_write|proc_uid_map_write|new_idmap_permitted|map_id_range_down|proc_setgroups_write|proc_setgroups_open)$/, 'user_namespaces(7)'],
  [/^(copy_pid_ns|create_pid_namespace|zap_pid_ns_processes|pidns_get_parent|pidns_for_children_get)$/, 'pid_namespaces(7)'],
  [/^(sethostname|uname)$/, 'sethostname(2)'],
  [/^(proc_ns_get_link|ns_get_path|proc_pid_lookup)$/, 'namespaces(7)'],
  [/^(ns_ioctl|ns_get_owner|open_related_ns)$/, 'ioctl_ns(2)'],
  [/^begin_new_exec$/, 'execve(2)'],
  [/^exec_task_namespaces$/, 'time_namespaces(7)'],
  [/^(may_mount|mount_capable|proc_init_fs_context)$/, 'mount(2)'],
  [/^_*(path_mount|do_new_mount|do_loopback|do_change_type|do_move_mount|do_reconfigure_mnt|do_remount|check_mnt|graft_tree|attach_recursive_mnt|propagate_mnt|mount_too_revealing|mnt_already_visible|lock_mnt_tree|copy_mnt_ns|copy_tree|clone_mnt|do_lock_mount|lock_mount)$/, 'mount(2)'],
  [/^_*(path_umount|do_umount|can_umount|propagate_umount|propagate_mount_busy|umount_tree)$/, 'umount(2)'],
  [/^(do_mkdirat|vfs_mkdir|may_create|filename_create)$/, 'mkdir(2)'],
  [/^pivot_root$/, 'pivot_root(2)'],
  [/^(ksys_chroot|set_fs_root)$/, 'chroot(2)'],
  [/^(ksys_chdir|set_fs_pwd)$/, 'chdir(2)'],
  [/^(getcwd|prepend_path)$/, 'getcwd(3)'],
  [/^(follow_dotdot|path_lookupat|walk_component)$/, 'path_resolution(7)'],
  [/^(iterate_dir|path_openat)$/, 'readdir(3)'],
  [/^prctl$/, 'prctl(2)'],
  [/^(kill_pid_info|kill_ok_by_cred|sig_task_ignored|send_signal_locked|prepare_signal|check_kill_permission)$/, 'kill(2)'],
  [/^(do_exit)$/, '_exit(2)'],
  [/^(do_wait|wait_task_zombie)$/, 'wait(2)'],
  [/^inc_ucount$/, 'namespaces(7)'],
  [/^(getpid|getppid)$/, 'getpid(2)'],
  [/^__sys_setuid$/, 'setuid(2)'],
  [/^generic_permission$/, 'proc(5)'],
  [/^pidfd_open$/, 'pidfd_open(2)'],
  [/^(fdget|close_fd)$/, 'close(2)'],
];

/** The page of the namespace type a rule of SEMANTICS.md is about, by its number. */
function rulePage(rule: string | undefined): string | undefined {
  const n = Number(rule?.replace(/^R/, ''));
  if (!Number.isFinite(n) || n === 0) return undefined;
  if (n >= 54 && n <= 66) return 'pid_namespaces(7)';
  if (n >= 67 && n <= 72) return 'user_namespaces(7)';
  if (n >= 84 && n <= 85) return 'uts_namespaces(7)';
  if (n >= 86 && n <= 91) return 'time_namespaces(7)';
  if (n >= 92 && n <= 93) return 'mount_namespaces(7)';
  if (n === 94) return 'network_namespaces(7)';
  if (n === 95) return 'ipc_namespaces(7)';
  if (n === 96) return 'cgroup_namespaces(7)';
  if (n >= 1 && n <= 9) return 'namespaces(7)';
  return undefined;
}

/** The man pages that document a check: the call's own page, and its namespace type's. */
export function manPages(check: string, rule?: string): string[] {
  const pages: string[] = [];
  for (const [re, page] of CHECK_PAGES) if (re.test(check)) { pages.push(page); break; }
  if (rule === 'R62' && !pages.includes('pid_namespaces(7)')) pages.push('pid_namespaces(7)');
  // the mount tree's checks (not the procfs ones of R62): propagation and locking are mount_namespaces(7)'s
  if (/^(mount|umount|pivot_root)\(2\)$/.test(pages[0] ?? '') && !/^(may_mount|mount_capable|proc_init_fs_context)$/.test(check)) pages.push('mount_namespaces(7)');
  const rp = rulePage(rule);
  if (rp && !pages.includes(rp)) pages.push(rp);
  if (pages.length === 0) pages.push('namespaces(7)');
  return pages;
}

/** A step as a C call: `unshare(CLONE_NEWUTS)`, `sethostname("x")`. */
export function callText(step: Step): string {
  switch (step.op) {
    case 'unshare': return `unshare(${step.flags.join(' | ') || '0'})`;
    case 'clone': return `clone3(${step.flags.join(' | ') || '0'})`;
    case 'fork': return 'fork()';
    case 'setns': return `setns(fd, ${Array.isArray(step.nstype) ? step.nstype.join(' | ') || '0' : step.nstype})`;
    case 'open': return `open("/proc/<pid>/ns/${step.ns}")`;
    case 'sethostname': case 'setdomainname': return `${step.op}(${JSON.stringify(step.name)})`;
    case 'gethostname': case 'getdomainname': return `${step.op}()`;
    case 'write_map': return `write("/proc/<pid>/${step.file}", ${JSON.stringify(step.data)})`;
    case 'mount_proc': return 'mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC)';
    case 'mount': return `mount(${JSON.stringify(step.source ?? step.fstype ?? 'none')}, ${JSON.stringify(step.target)}, ${step.fstype ? JSON.stringify(step.fstype) : 'NULL'}, ${step.flags.join('|') || '0'})`;
    case 'umount': return `umount2(${JSON.stringify(step.target)}, ${step.flags?.join('|') || '0'})`;
    case 'mkdir': return `mkdir(${JSON.stringify(step.path)}, 0777)`;
    case 'readdir': return `opendir(${JSON.stringify(step.path)})`;
    case 'pivot_root': return `pivot_root(${JSON.stringify(step.new_root)}, ${JSON.stringify(step.put_old)})`;
    case 'chdir': return `chdir(${JSON.stringify(step.path)})`;
    case 'chroot': return `chroot(${JSON.stringify(step.path)})`;
    case 'getcwd': return 'getcwd()';
    case 'set_pdeathsig': return `prctl(PR_SET_PDEATHSIG, ${step.signal})`;
    case 'kill': return `kill(<pid>, ${step.signal})`;
    case 'exec': return step.argv ? `execve(${JSON.stringify(step.argv[0])})` : 'execve()';
    case 'exit': return `exit(${step.code ?? 0})`;
    case 'setuid': return `setuid(${step.uid})`;
    default: return `${step.op}()`;
  }
}

const HELP = `nsmodel shell: Linux namespaces, executable. Every command below becomes system
calls on the backend (the kernel model, or the real kernel with --backend kernel), made by
processes as a real shell and real tools make them.

  unshare [options] [cmd]   new namespaces (-u -i -m -n -p -U -C -T, -f, -r, --mount-proc, --kill-child,
                            --propagation slave|shared|private|unchanged)
  nsenter -t PID [options]  enter the namespaces of a process (-a, -u -i -m -n -p -U -C -T;
                            --root=DIR: a new root, the working directory left where it was)
  lsns [options]            list namespaces (-t TYPE, -p PID, -o COLS, -n, -J, -T, -l)
  hostname [NAME]           show or set the host name (UTS namespace)
  domainname [NAME]         show or set the NIS domain name
  readlink /proc/PID/ns/T   a namespace's identity: type:[inode]
  ls -l /proc/PID/ns        all of a process's namespace links
  cat /proc/PID/status      a process's status (its NSpid line: its PID in each PID namespace;
                            its ids and capability sets)
  setpriv -d                your ids, groups and capability sets, as setpriv shows them
  capsh --print             the same as libcap's capsh shows them (--decode=HEX: a set's names)
  cat /proc/PID/uid_map     the maps of its user namespace (gid_map, setgroups too)
  ps [-ef] [--forest]       processes of this /proc; pstree [-p] the tree
  mount, findmnt            the mounts of your mount namespace (findmnt -o TARGET,PROPAGATION)
  mount -t tmpfs tmpfs DIR  a new mount (--bind, --rbind, --move, --make-shared|slave|private|
                            unbindable and --make-r*, -o remount,ro); umount [-l] DIR
  mkdir [-p] DIR, ls        directories of this world's own root (a tmpfs with /proc); paths
                            may be relative (from the working directory) and hold . and ..
  cd [DIR], pwd             chdir(2) as bash makes it (to $PWD/DIR, then DIR as typed; no DIR:
                            $HOME; -: $OLDPWD); a working directory keeps its mount busy. pwd
                            prints $PWD as bash's builtin does; pwd -P and /usr/bin/pwd ask the
                            kernel (getcwd(2))
  chroot DIR [cmd]          chroot(2), chdir("/"), then cmd or a nested shell (exit leaves it);
                            findmnt and mountinfo then show only what the new root reaches
  cat /proc/PID/mountinfo   the mounts as the kernel lists them (peer groups: shared:N, master:N)
  id, whoami, uname -n      who and where you are
  echo $$ $PPID $?          this shell's PID, its parent's, the last status
  bash, sh                  a child shell; exit [N] leaves it
  kill [-SIG] PID           a signal (SIGHUP SIGINT SIGKILL SIGUSR1 SIGUSR2 SIGTERM)
  ./clone, ./a.out          the seed article's two C programs
  explain                   which kernel rule decided the last command, and its man page
  tree                      processes and their namespaces, as a diagram
  help                      this text

Pipes into grep work (lsns | grep uts); redirections, & and $(...) do not.
`;

export async function help(ctx: Ctx, _args: string[]): Promise<number> {
  ctx.out(HELP);
  return 0;
}

/** explain: the step that decided the previous command, the model's check, its man pages. */
export async function explain(ctx: Ctx, _args: string[]): Promise<number> {
  const s = ctx.rt.session;
  const cmds = s.commands.filter((c) => !/^(explain|help|tree)\b/.test(c.line));
  const last = cmds[cmds.length - 1];
  if (!last) { ctx.out('Nothing to explain yet: run a command first.\n'); return 0; }
  let index = last.decisive;
  // a failed step decides, whatever the program named
  for (let i = last.first; i < last.end; i++) if ('err' in s.results[i]) { index = i; break; }
  if (index === undefined) {
    if (last.note) {
      ctx.out(`\`${last.line}\`: ${last.note}\n`);
      const page = /^u?mount\(8\)/.exec(last.note)?.[0];
      ctx.out(`See: ${page ?? (last.note.includes('PID') ? 'proc(5), pid_namespaces(7)' : 'bash(1)')}\n`);
      return 0;
    }
    const ops = [...new Set(s.trace.steps.slice(last.first, last.end).map((x) => x.op))];
    ctx.out(`\`${last.line}\` made no namespace system call worth explaining (${last.end - last.first} steps: ${ops.join(', ') || 'none'}).\n`);
    return 0;
  }
  const step = s.trace.steps[index];
  const result = s.results[index];
  const outcome = 'err' in result ? `failed with ${result.err} (${strerror(result.err)})`
    : 'dead' in result ? 'could not run: the process had ended' : `succeeded${'value' in result && (typeof result.value !== 'object' || Array.isArray(result.value)) ? `: ${JSON.stringify(result.value)}` : ''}`;
  ctx.out(`\`${last.line}\`: ${callText(step)} ${outcome}.\n`);
  const { why, fromShadow, shadowAgrees } = s.why(index);
  if (!why) {
    ctx.out('The backend does not say which check decided it.\n');
    return 0;
  }
  ctx.out(`Why: ${why.text ?? why.check}\n`);
  ctx.out(`     (the model's check ${why.check}(), written after the kernel function of that name${why.rule && /^R\d+$/.test(why.rule) ? `; rule ${why.rule} of the semantics catalog` : ''})\n`);
  if (fromShadow && !shadowAgrees) {
    ctx.out('Note: the model gave another answer than this kernel here, so this may not be the kernel\'s reason.\n');
  }
  ctx.out(`See: ${manPages(why.check, why.rule).join(', ')}\n`);
  return 0;
}

const TREE_FILES: NsFile[] = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'];

/** tree: every process (PIDs as the initial PID namespace numbers them) and the namespaces it does not share with its parent. */
export async function tree(ctx: Ctx, _args: string[]): Promise<number> {
  const s = ctx.rt.session;
  const v = await s.view();
  const procs = v.snapshot.processes;
  const byName = new Map(procs.map((p) => [p.name, p]));
  const parentOf = (p: { name: string }) => v.processes[p.name]?.parent ?? null;
  const children = (name: string | null) => procs.filter((p) => (name === null
    ? parentOf(p) === null || !byName.has(parentOf(p)!)
    : parentOf(p) === name));
  const nsText = (id: string | null, file: NsFile) => {
    if (id === null) return null;
    const type = file === 'pid_for_children' ? 'pid' : file === 'time_for_children' ? 'time' : file;
    return `${file === type ? '' : `${file}=`}${type}:[${v.inodes[id]}]`;
  };
  const lines: string[] = [];
  const walk = (name: string | null, prefix: string, depth: number) => {
    const kids = children(name);
    kids.forEach((p, i) => {
      const last = i === kids.length - 1;
      const vp = v.processes[p.name];
      const cmd = (vp?.cmdline?.length ? vp.cmdline : s.argvOf(p.name) ?? [p.name]).join(' ');
      const pids = p.nspid.length > 1 ? `PIDs ${p.nspid.join('/')}` : `PID ${p.nspid[0]}`;
      const state = p.state === 'running' ? '' : ` ${p.state}`;
      const parent = name === null ? undefined : byName.get(name);
      const own: string[] = [];
      for (const f of TREE_FILES) {
        const mine = p.ns[f];
        if (f === 'pid_for_children' && mine === p.ns.pid) continue;
        if (f === 'time_for_children' && mine === p.ns.time) continue;
        if (parent && parent.ns[f] === mine) continue;
        const t = nsText(mine, f);
        if (t) own.push(t);
      }
      const head = depth === 0 ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
      lines.push(`${head}${cmd} (${pids}${state})${own.length ? `  ${own.join(' ')}` : ''}`);
      walk(p.name, depth === 0 ? '' : `${prefix}${last ? '   ' : '│  '}`, depth + 1);
    });
  };
  walk(null, '', 0);
  ctx.out('Processes (PIDs from the initial PID namespace down) and the namespaces each does not share with its parent:\n');
  ctx.out(lines.map((l) => `${l}\n`).join(''));
  return 0;
}
