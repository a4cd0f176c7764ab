// Why a step had its result: every errno the model returns comes from one named check,
// written after the kernel function that makes it, with the rule of SEMANTICS.md it
// implements. A step's `why` is one of these codes; whyInfo() gives "check|rule|sentence".

export const W_OK: i32 = 0;
export const W_DEAD: i32 = 1;
// copy_process() flag checks (R30)
export const W_CLONE_NEWNS_FS: i32 = 2;
export const W_CLONE_NEWUSER_FS: i32 = 3;
export const W_CLONE_THREAD_SIGHAND: i32 = 4;
export const W_CLONE_SIGHAND_VM: i32 = 5;
export const W_CLONE_PARENT_INIT: i32 = 6;
export const W_CLONE_THREAD_PIDNS: i32 = 7;
// user namespaces (R28, R67)
export const W_USERNS_LEVEL: i32 = 8;
export const W_USERNS_MAPPING: i32 = 9;
export const W_UCOUNT: i32 = 10;
// namespaces of an nsproxy (R10, R32)
export const W_COPY_NS_CAPABLE: i32 = 11;
export const W_COPY_NS_SYSVSEM: i32 = 12;
export const W_COPY_PID_NS: i32 = 13;
export const W_PIDNS_USERNS: i32 = 14;
export const W_PIDNS_LEVEL: i32 = 15;
export const W_ALLOC_PID: i32 = 16;
// unshare (R17, R20)
export const W_UNSHARE_FLAGS: i32 = 17;
export const W_UNSHARE_THREADS: i32 = 18;
export const W_UNSHARE_CAPABLE: i32 = 19;
// setns (R40-R53)
export const W_BADF: i32 = 20;
export const W_SETNS_NSTYPE: i32 = 21;
export const W_SETNS_FLAGS: i32 = 22;
export const W_SETNS_ESRCH: i32 = 23;
export const W_SETNS_PTRACE: i32 = 24;
export const W_USERNS_INSTALL_SAME: i32 = 25;
export const W_USERNS_INSTALL_THREADS: i32 = 26;
export const W_USERNS_INSTALL_FS: i32 = 27;
export const W_USERNS_INSTALL_CAPABLE: i32 = 28;
export const W_MNTNS_INSTALL_CAPABLE: i32 = 29;
export const W_MNTNS_INSTALL_FS: i32 = 30;
export const W_NS_INSTALL_CAPABLE: i32 = 31;
export const W_PIDNS_INSTALL_CAPABLE: i32 = 32;
export const W_PIDNS_INSTALL_ANCESTOR: i32 = 33;
export const W_TIMENS_INSTALL_THREADS: i32 = 34;
export const W_TIMENS_INSTALL_CAPABLE: i32 = 35;
// /proc/<pid>/ns and nsfs (R7-R9, R76-R83)
export const W_PROC_NOENT: i32 = 36;
export const W_PROC_NS_PTRACE: i32 = 37;
export const W_PROC_NS_GONE: i32 = 38;
export const W_PIDNS_FOR_CHILDREN_GET: i32 = 39;
export const W_PIDFD_OPEN_ESRCH: i32 = 40;
export const W_IOCTL_NOTTY: i32 = 41;
export const W_NS_GET_OWNER: i32 = 42;
export const W_NS_GET_PARENT_TYPE: i32 = 43;
export const W_PIDNS_GET_PARENT: i32 = 44;
export const W_OWNER_UID_TYPE: i32 = 45;
// uts (R85)
export const W_SETHOSTNAME_CAPABLE: i32 = 46;
export const W_SETHOSTNAME_LEN: i32 = 47;
// setuid
export const W_SETUID_UNMAPPED: i32 = 48;
export const W_SETUID_PERM: i32 = 49;
// uid_map, gid_map, setgroups (R69-R71)
export const W_PROC_FILE_PERMISSION: i32 = 50;
export const W_SETGROUPS_OPEN: i32 = 51;
export const W_MAP_INITIAL: i32 = 52;
export const W_MAP_OPENER_NS: i32 = 53;
export const W_MAP_SIZE: i32 = 54;
export const W_MAP_WRITTEN: i32 = 55;
export const W_MAP_CAPABLE: i32 = 56;
export const W_MAP_PARSE: i32 = 57;
export const W_MAP_PERMITTED: i32 = 58;
export const W_MAP_LOWER: i32 = 59;
export const W_SETGROUPS_PARSE: i32 = 60;
export const W_SETGROUPS_ALLOW: i32 = 61;
export const W_SETGROUPS_DENY: i32 = 62;
// wait, exit
export const W_WAIT_ECHILD: i32 = 63;
export const W_WAIT_NONE: i32 = 64;
export const W_WAIT_REAPED: i32 = 65;
// successes worth explaining
export const W_FORKED: i32 = 66;
export const W_FORKED_PID1: i32 = 67;
export const W_UNSHARED: i32 = 68;
export const W_UNSHARE_PID: i32 = 69;
export const W_SETNS_DONE: i32 = 70;
export const W_EXIT: i32 = 71;
export const W_EXIT_INIT: i32 = 72;
export const W_EXEC: i32 = 73;
export const W_EXEC_TIME: i32 = 74;
export const W_SETHOSTNAME: i32 = 75;
export const W_GETHOSTNAME: i32 = 76;
export const W_OPENED: i32 = 77;
export const W_GETPPID_OUTSIDE: i32 = 78;
export const W_MAP_WRITTEN_OK: i32 = 79;
export const W_NSTYPE: i32 = 80;
export const W_OWNER_UID: i32 = 81;
export const W_IOCTL_FD: i32 = 82;
export const W_SETUID_OK: i32 = 83;
export const W_PIDFD_OPENED: i32 = 84;
export const W_CLOSED: i32 = 85;
export const W_THREAD: i32 = 86;
export const W_GETPID: i32 = 87;
export const W_OBSERVE: i32 = 88;
// trace format extensions (docs/TRACE-EXTENSIONS.md): mount_proc, set_pdeathsig, kill
export const W_MAY_MOUNT: i32 = 89;
export const W_MOUNT_CAPABLE: i32 = 90;
export const W_MOUNTED_PROC: i32 = 91;
export const W_PDEATHSIG_SET: i32 = 92;
export const W_KILL_ESRCH: i32 = 93;
export const W_KILL_PERM: i32 = 94;
export const W_KILL_IGNORED: i32 = 95;
export const W_KILLED: i32 = 96;
export const W_KILL_SELF: i32 = 97;
export const W_KILL_EXITING: i32 = 98;
export const W_KILL_CHECK: i32 = 99;
export const W_LAST: i32 = 100;

/** "check|rule|sentence" for a why code. */
export function whyInfo(w: i32): string {
  switch (w) {
    case W_OK: return "|";
    case W_DEAD: return "task_is_alive|TRACE|The acting process cannot act: it exited, was killed, is a zombie or an exiting init, or it was never made.";
    case W_CLONE_NEWNS_FS: return "copy_process|R30|CLONE_NEWNS with CLONE_FS is EINVAL: a process in another mount namespace may not share root and cwd.";
    case W_CLONE_NEWUSER_FS: return "copy_process|R30|CLONE_NEWUSER with CLONE_FS is EINVAL.";
    case W_CLONE_THREAD_SIGHAND: return "copy_process|R30|CLONE_THREAD without CLONE_SIGHAND is EINVAL.";
    case W_CLONE_SIGHAND_VM: return "copy_process|R30|CLONE_SIGHAND without CLONE_VM is EINVAL.";
    case W_CLONE_PARENT_INIT: return "copy_process|R31|An init (global or of a PID namespace) may not use CLONE_PARENT: EINVAL.";
    case W_CLONE_THREAD_PIDNS: return "copy_process|R25|A thread may not be made while pid_for_children differs from the active PID namespace (or with CLONE_NEWUSER/CLONE_NEWPID): EINVAL.";
    case W_USERNS_LEVEL: return "create_user_ns|R67|33 user namespaces may nest below the initial one; the next is ENOSPC.";
    case W_USERNS_MAPPING: return "create_user_ns|R28|The creator's euid and egid must be mapped in its user namespace, else EPERM.";
    case W_UCOUNT: return "inc_ucount|R98|A max_*_namespaces limit is exceeded at some ancestor user namespace: ENOSPC.";
    case W_COPY_NS_CAPABLE: return "copy_namespaces|R10|Creating a non-user namespace needs CAP_SYS_ADMIN in the user namespace that will own it: EPERM.";
    case W_COPY_NS_SYSVSEM: return "copy_namespaces|R32|clone with CLONE_NEWIPC and CLONE_SYSVSEM is EINVAL (checked after the capability).";
    case W_COPY_PID_NS: return "copy_pid_ns|R24|A new PID namespace needs pid_for_children to be the active PID namespace: EINVAL.";
    case W_PIDNS_USERNS: return "create_pid_namespace|R64|The creator's user namespace must be the owner of the parent PID namespace or below it: EINVAL.";
    case W_PIDNS_LEVEL: return "create_pid_namespace|R60|PID namespaces nest 32 levels below the machine's (31 below the trace's); the next is ENOSPC.";
    case W_ALLOC_PID: return "alloc_pid|R57|The PID namespace's init has exited; it takes no more processes: ENOMEM.";
    case W_UNSHARE_FLAGS: return "check_unshare_flags|R17|unshare accepts only CLONE_THREAD, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_VM, CLONE_SYSVSEM and the CLONE_NEW* flags: EINVAL.";
    case W_UNSHARE_THREADS: return "check_unshare_flags|R20|CLONE_THREAD, CLONE_SIGHAND or CLONE_VM (CLONE_NEWUSER implies CLONE_THREAD) fail with EINVAL in a multithreaded process.";
    case W_UNSHARE_CAPABLE: return "unshare_nsproxy_namespaces|R10|unshare of a non-user namespace needs CAP_SYS_ADMIN in the (possibly new) user namespace: EPERM.";
    case W_BADF: return "fdget|R40|The process holds no such descriptor: EBADF.";
    case W_SETNS_NSTYPE: return "setns|R41|nstype must be 0 or exactly the type of the namespace file: EINVAL.";
    case W_SETNS_FLAGS: return "check_setns_flags|R42|With a pidfd, nstype must be a non-empty set of CLONE_NEW* flags: EINVAL.";
    case W_SETNS_ESRCH: return "validate_nsset|R42|The pidfd's process has exited: ESRCH.";
    case W_SETNS_PTRACE: return "validate_nsset|R42|setns through a pidfd needs ptrace read access to the target: EPERM.";
    case W_USERNS_INSTALL_SAME: return "userns_install|R46|A process may not re-enter its own user namespace: EINVAL.";
    case W_USERNS_INSTALL_THREADS: return "userns_install|R47|A multithreaded process may not change its user namespace: EINVAL.";
    case W_USERNS_INSTALL_FS: return "userns_install|R47|A process sharing its fs_struct (CLONE_FS, threads) may not change its user namespace: EINVAL.";
    case W_USERNS_INSTALL_CAPABLE: return "userns_install|R47|Joining a user namespace needs CAP_SYS_ADMIN in it: EPERM.";
    case W_MNTNS_INSTALL_CAPABLE: return "mntns_install|R48|Joining a mount namespace needs CAP_SYS_ADMIN over it and CAP_SYS_CHROOT and CAP_SYS_ADMIN in one's user namespace: EPERM.";
    case W_MNTNS_INSTALL_FS: return "mntns_install|R48|A process sharing its fs_struct may not change its mount namespace: EINVAL.";
    case W_NS_INSTALL_CAPABLE: return "*ns_install|R50|Joining a namespace needs CAP_SYS_ADMIN over its owner and in one's own user namespace: EPERM.";
    case W_PIDNS_INSTALL_CAPABLE: return "pidns_install|R51|Joining a PID namespace needs CAP_SYS_ADMIN over its owner and in one's own user namespace: EPERM.";
    case W_PIDNS_INSTALL_ANCESTOR: return "pidns_install|R51|Only the active PID namespace or one below it may be entered: EINVAL.";
    case W_TIMENS_INSTALL_THREADS: return "timens_install|R52|A multithreaded process may not join a time namespace: EUSERS.";
    case W_TIMENS_INSTALL_CAPABLE: return "timens_install|R52|Joining a time namespace needs CAP_SYS_ADMIN over its owner and in one's own user namespace: EPERM.";
    case W_PROC_NOENT: return "proc_pid_lookup|TRACE|/proc has no such process (reaped or never made): ENOENT.";
    case W_PROC_NS_PTRACE: return "proc_ns_get_link|R7|Opening /proc/<pid>/ns/* needs ptrace read access to the process: EACCES.";
    case W_PROC_NS_GONE: return "ns_get_path|R8|The process no longer has that namespace (a zombie keeps only pid and user): ENOENT.";
    case W_PIDNS_FOR_CHILDREN_GET: return "pidns_for_children_get|R9|pid_for_children has no value until the new PID namespace has its PID 1: ENOENT.";
    case W_PIDFD_OPEN_ESRCH: return "pidfd_open|R63|The caller's PID namespace does not see that process (or it was reaped): ESRCH.";
    case W_IOCTL_NOTTY: return "ns_ioctl|R83|Not an nsfs descriptor (a pidfd): ENOTTY.";
    case W_NS_GET_OWNER: return "ns_get_owner|R76|The owning user namespace is not the caller's or below it: EPERM.";
    case W_NS_GET_PARENT_TYPE: return "ns_ioctl|R77|NS_GET_PARENT works only for user and pid namespaces: EINVAL.";
    case W_PIDNS_GET_PARENT: return "pidns_get_parent|R79|The parent PID namespace is not the caller's active one or below it: EPERM.";
    case W_OWNER_UID_TYPE: return "ns_ioctl|R81|NS_GET_OWNER_UID works only for user namespaces: EINVAL.";
    case W_SETHOSTNAME_CAPABLE: return "sethostname|R85|Setting the hostname needs CAP_SYS_ADMIN in the user namespace that owns the UTS namespace: EPERM.";
    case W_SETHOSTNAME_LEN: return "sethostname|R85|A name longer than 64 bytes is EINVAL (checked after the capability).";
    case W_SETUID_UNMAPPED: return "__sys_setuid|R68|The uid has no mapping in the caller's user namespace: EINVAL.";
    case W_SETUID_PERM: return "__sys_setuid|R101|Without CAP_SETUID only the real or saved uid may be set: EPERM.";
    case W_PROC_FILE_PERMISSION: return "generic_permission|R107|The /proc file belongs to the process's owner (root when not dumpable); others need CAP_DAC_OVERRIDE: EACCES.";
    case W_SETGROUPS_OPEN: return "proc_setgroups_open|R71|Writing setgroups needs CAP_SYS_ADMIN in the target's user namespace: EACCES.";
    case W_MAP_INITIAL: return "proc_uid_map_write|R69|The initial user namespace's maps cannot be written: EPERM.";
    case W_MAP_OPENER_NS: return "proc_uid_map_write|R69|The writer must be in the target user namespace or its parent: EPERM.";
    case W_MAP_SIZE: return "map_write|R69|The write is not at offset 0 or is a page or more: EINVAL.";
    case W_MAP_WRITTEN: return "map_write|R69|A map can be written only once: EPERM.";
    case W_MAP_CAPABLE: return "map_write|R69|The writer needs CAP_SYS_ADMIN in the target user namespace: EPERM.";
    case W_MAP_PARSE: return "map_write|R69|Malformed map: bad line, count 0, wrap-around, overlap, or too many extents: EINVAL.";
    case W_MAP_PERMITTED: return "new_idmap_permitted|R70|Without CAP_SETUID/CAP_SETGID over the parent only one's own id may be mapped (gid_map after setgroups deny): EPERM.";
    case W_MAP_LOWER: return "map_id_range_down|R69|The lower ids are not mapped in the parent user namespace: EPERM.";
    case W_SETGROUPS_PARSE: return "proc_setgroups_write|R71|setgroups takes \"allow\" or \"deny\": EINVAL.";
    case W_SETGROUPS_ALLOW: return "proc_setgroups_write|R71|setgroups cannot go from deny back to allow: EPERM.";
    case W_SETGROUPS_DENY: return "proc_setgroups_write|R71|setgroups cannot be denied after gid_map was written: EPERM.";
    case W_WAIT_ECHILD: return "do_wait|TRACE|The process has no children: ECHILD.";
    case W_WAIT_NONE: return "do_wait|TRACE|The process has children but none has exited: 0 (WNOHANG).";
    case W_WAIT_REAPED: return "wait_task_zombie|TRACE|The first zombie child, in the kernel's order of children, was reaped.";
    case W_FORKED: return "copy_process|R39|The child inherits every namespace but those its flags create; its PID namespace is the parent's pid_for_children.";
    case W_FORKED_PID1: return "copy_process|R54|The first process of a new PID namespace gets PID 1 and becomes its init.";
    case W_UNSHARED: return "ksys_unshare|R10|The caller moved into the new namespaces.";
    case W_UNSHARE_PID: return "copy_pid_ns|R23|unshare(CLONE_NEWPID) moves only future children: the caller's pid_for_children is the new namespace.";
    case W_SETNS_DONE: return "commit_nsset|R43|The caller joined the namespace(s).";
    case W_EXIT: return "do_exit|R8|The process exited; its namespaces but pid and user were dropped.";
    case W_EXIT_INIT: return "zap_pid_ns_processes|R57|An init exited: the rest of its PID namespace was killed and the namespace takes no more processes.";
    case W_EXEC: return "begin_new_exec|R16|exec recomputes capabilities and drops close-on-exec descriptors.";
    case W_EXEC_TIME: return "exec_task_namespaces|R90|exec moved the process into its time_for_children namespace.";
    case W_SETHOSTNAME: return "sethostname|R85|The caller has CAP_SYS_ADMIN over the owner of its UTS namespace.";
    case W_GETHOSTNAME: return "uname|R84|Each UTS namespace has its own hostname and domainname.";
    case W_OPENED: return "proc_ns_get_link|R73|An open namespace descriptor keeps the namespace alive.";
    case W_GETPPID_OUTSIDE: return "getppid|R55|The parent is outside the caller's PID namespace: 0.";
    case W_MAP_WRITTEN_OK: return "map_write|R70|The map was written.";
    case W_NSTYPE: return "ns_ioctl|R78|NS_GET_NSTYPE gives the CLONE_NEW* flag of the namespace.";
    case W_OWNER_UID: return "ns_ioctl|R81|NS_GET_OWNER_UID gives the owner's uid as the caller's user namespace sees it (65534 if unmapped).";
    case W_IOCTL_FD: return "open_related_ns|R76|A descriptor for the related namespace (close-on-exec).";
    case W_SETUID_OK: return "__sys_setuid|R101|The uid changed; capabilities follow the root rules.";
    case W_PIDFD_OPENED: return "pidfd_open|R42|A pidfd for a process the caller's PID namespace sees.";
    case W_CLOSED: return "close_fd|TRACE|The descriptor was closed.";
    case W_THREAD: return "copy_process|R22|A thread shares the process's namespaces and fs_struct.";
    case W_GETPID: return "getpid|R54|The PID as the caller's own PID namespace numbers it.";
    case W_OBSERVE: return "observe|TRACE|A snapshot of the world.";
    case W_MAY_MOUNT: return "may_mount|R93|Mounting needs CAP_SYS_ADMIN over the owner of the caller's mount namespace: EPERM.";
    case W_MOUNT_CAPABLE: return "mount_capable|R62|A procfs shows the caller's active PID namespace; mounting one needs CAP_SYS_ADMIN over that PID namespace's owner: EPERM.";
    case W_MOUNTED_PROC: return "proc_init_fs_context|R62|A new procfs on /proc shows the caller's active PID namespace (not pid_for_children).";
    case W_PDEATHSIG_SET: return "prctl|PDEATHSIG|The signal is sent to this process when its parent exits; fork does not pass it on, and a change of credentials clears it.";
    case W_KILL_ESRCH: return "kill_pid_info|R63|The caller's PID namespace has no process with that PID (or it was reaped): ESRCH.";
    case W_KILL_PERM: return "kill_ok_by_cred|KILL|Signalling another user's process needs CAP_KILL in its user namespace: EPERM.";
    case W_KILL_IGNORED: return "sig_task_ignored|R58|A PID namespace's init gets only the signals it has a handler for; from an ancestor namespace SIGKILL is forced.";
    case W_KILLED: return "send_signal_locked|KILL|The signal's default action ended the process.";
    case W_KILL_SELF: return "send_signal_locked|KILL|The process sent itself a fatal signal: it ended before the call returned.";
    case W_KILL_EXITING: return "prepare_signal|KILL|The process is already dying (a zombie or an exiting init): the signal has no effect.";
    case W_KILL_CHECK: return "check_kill_permission|KILL|Signal 0 only checks that the process exists and may be signalled.";
    default: return "|";
  }
}
