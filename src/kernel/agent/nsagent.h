/* SPDX-License-Identifier: MIT */
/*
 * nsagent: the real-kernel backend of nsmodel.
 *
 * One binary, two roles:
 *
 *   supervisor  Spawned by Node (stdin/stdout: the text protocol of supervisor.c). It lives
 *               in the caller's PID namespace, creates the sandbox whose PID 1 is the agent
 *               of p0, routes every step to the agent of the acting process, settles the
 *               kernel after steps that end processes, and reads snapshots from /proc.
 *
 *   agent       One per traced process, single-threaded, long-lived. It makes the real
 *               system calls a step names and answers over its own control socket
 *               (a SOCK_SEQPACKET socketpair; binary messages, see struct agent_cmd).
 *
 * No process or thread of the backend other than the agents ever lives in the sandbox's
 * PID namespaces, so PIDs there are exactly the ones the trace makes.
 */
#ifndef NSAGENT_H
#define NSAGENT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Descriptors the backend keeps inside traced processes live at and above HARNESS_FD_FLOOR,
 * far from the numbers the kernel hands out for the trace's own descriptors (the lowest free
 * number: a trace's descriptors stay below the floor while it holds fewer than
 * TRACE_FD_MAX of them in one table; the supervisor ends a run that goes past, rather than
 * let a trace's descriptor land among the backend's). Every agent holds the sandbox's procfs
 * and the O_PATH descriptor of this binary (to exec itself) and its own control socket; a
 * copied descriptor table may also hold other agents' sockets, which the copy's owner closes.
 */
#define HARNESS_FD_FLOOR 2048
#define TRACE_FD_MAX (HARNESS_FD_FLOOR - 3) /* 0, 1 and 2 are the agent's stdio */
#define PROC_FD      HARNESS_FD_FLOOR /* the root of a procfs of the sandbox's own PID
			    * namespace (a detached mount p0 makes first thing), never
			    * close-on-exec: `open` and `write_map` reach their targets through it,
			    * by their PIDs in that namespace, so no process outside the sandbox can
			    * even be named; and whatever a trace mounts on /proc (mount_proc) does
			    * not change what the steps reach */
#define EXE_FD      (HARNESS_FD_FLOOR + 1) /* O_PATH descriptor of the nsagent binary,
			    * never close-on-exec */
#define CTL_FD_BASE (HARNESS_FD_FLOOR + 2) /* control sockets are placed at or above this */
#define FD_LIMIT    (HARNESS_FD_FLOOR * 2) /* the least RLIMIT_NOFILE the supervisor works with */

/* The largest string argument a step carries to an agent (hostname, map data). Longer
 * strings are cut here; every call that takes one rejects far shorter lengths already. */
#define AGENT_DATA_MAX 65536

/* Operations an agent performs (struct agent_cmd.op). */
enum agent_op {
	AOP_CLONE = 1,      /* clone3(arg = flags); answers the pid and passes a new socket */
	AOP_UNSHARE,        /* unshare(arg) */
	AOP_SETNS,          /* setns(fd, arg) */
	AOP_OPEN_NS,        /* open("/proc/<pid>/ns/<file>") */
	AOP_PIDFD_OPEN,     /* pidfd_open(pid, 0) */
	AOP_CLOSE,          /* close(fd) */
	AOP_IOCTL,          /* ioctl(fd, request index arg) */
	AOP_EXEC,           /* execveat of this binary; data: argv, a NUL after each string
			     * (none: the agent's current argv) */
	AOP_EXIT,           /* exit_group(arg); no answer */
	AOP_WAIT,           /* wait4(-1, NULL, WNOHANG, NULL) */
	AOP_SETHOSTNAME,    /* sethostname(data, len) */
	AOP_SETDOMAINNAME,  /* setdomainname(data, len) */
	AOP_UNAME,          /* uname(): answers "nodename\0domainname" */
	AOP_GETPID,
	AOP_GETPPID,
	AOP_SETUID,         /* setuid(arg) */
	AOP_WRITE_MAP,      /* one write(2) of data to /proc/<pid>/<map file> */
	AOP_THREAD,         /* add a sleeping thread */
	/* trace format extensions (docs/TRACE-EXTENSIONS.md) */
	AOP_MOUNT_PROC,     /* mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC) */
	AOP_SET_PDEATHSIG,  /* prctl(PR_SET_PDEATHSIG, arg) */
	AOP_KILL,           /* kill(pid, arg) */
	/* credentials and capabilities (docs/TRACE-EXTENSIONS.md); `file` 1: the actor is p0,
	 * which arms its parent-death signal again after the call (commit_creds clears it) */
	AOP_SETRESUID,      /* setresuid(); data: "ruid euid suid" in decimal, -1 leaves one */
	AOP_SETRESGID,      /* setresgid(); data as for AOP_SETRESUID */
	AOP_SETGROUPS,      /* setgroups(); data: the gids in decimal, separated by spaces */
	AOP_CAPSET,         /* capset() of oneself, version 3; data: "eff prm inh" in hex */
	AOP_PRCTL,          /* prctl(); data: "option arg2 arg3" in decimal */
	/* mounts (docs/TRACE-EXTENSIONS.md, "Mounts"); paths in data, each followed by a NUL */
	AOP_MKDIR,          /* mkdirat(AT_FDCWD, path, 0777) */
	AOP_MOUNT,          /* mount(source, target, fstype or NULL, arg, NULL); data:
			     * "target\0source\0fstype\0" (an empty fstype: NULL) */
	AOP_UMOUNT,         /* umount2(path, arg) */
	AOP_PIVOT_ROOT,     /* pivot_root(new_root, put_old); data: "new_root\0put_old\0" */
	AOP_READDIR,        /* the names in a directory but . and .., sorted, each followed by a
			     * NUL; value 1 (no names) when the directory is on a procfs */
	AOP_CHDIR,          /* chdir(path) */
	AOP_CHROOT,         /* chroot(path) */
	AOP_GETCWD,         /* the raw getcwd system call (not the C library's, which says ENOENT
			     * where the kernel answers "(unreachable)/..."): answers the string,
			     * without its NUL */
};

/* The longest answer of AOP_GETCWD: the kernel's buffer is at most a page. */
#define GETCWD_MAX 4096

/*
 * An agent that execs with the trace's argv (an `exec` step with `argv`) finds its control
 * socket in this environment variable instead of its argv; it keeps that argv for later
 * `exec` steps without one.
 */
#define AGENT_CTL_ENV "NSAGENT_CTL"

/*
 * Set in the environment of p0's agent when p0 itself runs an `exec` step, so that the new
 * image knows it is p0 (its parent-death signal must be kept armed: see agent.c).
 */
#define AGENT_P0_ENV "NSAGENT_P0"

/* Supervisor -> agent. `len` bytes of data follow the header in the same message. */
struct agent_cmd {
	uint32_t op;
	int32_t fd;   /* a descriptor of the agent's table, or -1 */
	uint64_t arg; /* flags, nstype, request index, exit code or uid */
	int32_t pid;  /* a PID (the sandbox's PID namespace for /proc paths; the caller's view
		       * for pidfd_open and kill) */
	uint32_t file; /* namespace file or map file index */
	uint32_t len;
	uint32_t pad;
};

/* Agent -> supervisor. `len` bytes of data follow; AOP_CLONE passes a descriptor too. */
struct agent_reply {
	int32_t err;  /* 0, or the errno of the call */
	uint32_t len;
	int64_t value;
};

/* Namespace files in the trace's order (TRACE.md), and the other fixed name tables. */
#define NS_FILE_COUNT 10
extern const char *const ns_file_names[NS_FILE_COUNT];
#define MAP_FILE_COUNT 3
extern const char *const map_file_names[MAP_FILE_COUNT];
#define IOCTL_REQ_COUNT 4
extern const unsigned long ioctl_requests[IOCTL_REQ_COUNT];

/* nsfs ioctls newer than the C library's headers. */
#ifndef NSIO
#define NSIO 0xb7
#endif
#define NSA_GET_USERNS          _IO(NSIO, 0x1)
#define NSA_GET_PARENT          _IO(NSIO, 0x2)
#define NSA_GET_NSTYPE          _IO(NSIO, 0x3)
#define NSA_GET_OWNER_UID       _IO(NSIO, 0x4)
#define NSA_GET_TGID_FROM_PIDNS _IOR(NSIO, 0x7, int)
#define NSA_GET_TGID_IN_PIDNS   _IOR(NSIO, 0x9, int)

/* PIDFD_GET_INFO (Linux 6.13), newer than the C library's headers: whether the process a
 * pidfd names still exists (ESRCH once it is reaped), whatever its PID number became. */
struct nsa_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	uint32_t spare0[1];
};
#define NSA_PIDFD_GET_INFO _IOWR(0xFF, 11, struct nsa_pidfd_info)

/* ---- sys.c: system call wrappers and small helpers -------------------------------- */

long sys_clone3(uint64_t flags, int exit_signal);
int sys_pidfd_open(pid_t pid);
int sys_pidfd_send_signal(int pidfd, int sig);
int sys_close_range(unsigned int first, unsigned int last);
int move_fd(int fd, int min, bool cloexec);
const char *errno_name(int err);
const char *nstype_name(int clone_flag);
const char *nstype_short(int clone_flag);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- agent.c --------------------------------------------------------------------- */

enum agent_start {
	AGENT_AFTER_EXEC, /* an `exec` step: answer it first */
	AGENT_P0,         /* p0 of a sandbox: arm PDEATHSIG, answer readiness */
};
void agent_main(int ctl, enum agent_start how) __attribute__((noreturn));
int probe_main(void); /* nsagent probe (probe.c) */
int rootfs_main(void); /* nsagent rootfs (hostsafe.c) */
/* Before agent_main(): the argv the agent was exec'd with by an `exec` step with argv. */
void agent_set_argv(int argc, char **argv);
void p0_main(int ctl, bool unprivileged, const char *hostname, size_t hostlen)
	__attribute__((noreturn));
/* Before p0_main(), for a trace that shows credentials (`S ... caps HEX`): p0's bounding set
 * (for root also its permitted and effective sets), and no supplementary groups. */
void p0_set_caps(bool wanted, uint64_t bset);
/* Before p0_main(), for a trace with `setup.mounts`: p0 makes the trace's own root (mounts.c). */
void p0_set_mounts(bool wanted);

/* ---- mounts.c: the agent's side of the mount ops ------------------------------------ */

/* Make the trace's root (docs/TRACE-EXTENSIONS.md, "Setup and the world"); NULL, or what failed. */
const char *p0_make_root(void);
/*
 * readdir of @path into @out (names each followed by a NUL, sorted in byte order): 0 with
 * *len, 1 when the directory is on a procfs, or -1 with errno.
 */
int read_directory(const char *path, char *out, size_t cap, size_t *len);

/* ---- supervisor.c (its internals: supervisor.h) ------------------------------------ */

int supervisor_main(pid_t harness);

#endif /* NSAGENT_H */
