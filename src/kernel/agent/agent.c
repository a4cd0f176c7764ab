// SPDX-License-Identifier: MIT
/*
 * The agent: one per traced process, single-threaded, driven over its own control socket.
 *
 * It receives one struct agent_cmd at a time, makes exactly the system call the step names
 * and answers with the kernel's errno or value. When it clones, the child is an agent too:
 * the parent makes a new socketpair first, the child keeps one end as its control socket,
 * and the parent passes the other end to the supervisor with SCM_RIGHTS in its answer.
 *
 * Rules that keep the kernel's answers the kernel's own:
 *  - SIGCHLD stays at its default: zombies stay until a `wait` step reaps them.
 *  - the agent never forks, waits or opens anything a step did not ask for, except its own
 *    control socket (above CTL_FD_BASE) and the binary's O_PATH descriptor (EXE_FD);
 *  - threads are raw clone()s that only sleep and never touch the C library's state.
 */
#include "nsagent.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>
#include <linux/capability.h>

extern char **environ;

/* This agent's control socket. A clone child replaces it with its own. */
static int ctl = -1;

/*
 * This agent is p0: PID 1 of the sandbox, whose parent is the supervisor. Its parent-death
 * signal is what ends the sandbox when the supervisor dies, and the kernel clears that signal
 * whenever the process's credentials change (commit_creds(): a `setuid` step, say) — so p0
 * arms it again after every command. No trace can see it: p0's parent is outside the trace.
 */
static bool is_p0;

/*
 * The argv of the last `exec` step with one (display only: /proc/<pid>/cmdline), which an
 * `exec` without argv uses again; NULL until then. A clone child has its parent's.
 */
static char **named_argv;

void agent_set_argv(int argc, char **argv)
{
	named_argv = calloc((size_t)argc + 1, sizeof(*named_argv));
	if (!named_argv)
		die("out of memory");
	for (int i = 0; i < argc; i++)
		named_argv[i] = argv[i];
}

/* One received command: header and data. */
static union {
	struct agent_cmd cmd;
	char raw[sizeof(struct agent_cmd) + AGENT_DATA_MAX + 1];
} in;

/* ---- answering ---------------------------------------------------------------------- */

/* The supervisor is gone: the sandbox is being killed. Wait for it without acting. */
static void __attribute__((noreturn)) orphaned(void)
{
	for (;;)
		pause();
}

static void send_reply(int err, int64_t value, const void *data, size_t len, int pass_fd)
{
	struct agent_reply r = { .err = err, .len = (uint32_t)len, .value = value };
	struct iovec iov[2] = {
		{ .iov_base = &r, .iov_len = sizeof(r) },
		{ .iov_base = (void *)data, .iov_len = len },
	};
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

	if (pass_fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof(cm.buf);
		cm.hdr.cmsg_level = SOL_SOCKET;
		cm.hdr.cmsg_type = SCM_RIGHTS;
		cm.hdr.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.hdr), &pass_fd, sizeof(int));
	}
	while (sendmsg(ctl, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			orphaned();
}

static void reply_ok(int64_t value)
{
	send_reply(0, value, NULL, 0, -1);
}

static void reply_err(int err)
{
	send_reply(err, 0, NULL, 0, -1);
}

/* Answer a call that returns -1 with errno or a value. */
static void reply_call(long ret)
{
	if (ret < 0)
		reply_err(errno);
	else
		reply_ok(ret);
}

/* ---- descriptors ------------------------------------------------------------------- */

/*
 * After the descriptor table became private (a clone without CLONE_FILES, or exec), drop
 * the other agents' control sockets it copied. The trace's descriptors (below EXE_FD) and
 * EXE_FD itself stay.
 */
static void close_foreign_sockets(void)
{
	sys_close_range(CTL_FD_BASE, (unsigned int)ctl - 1);
	sys_close_range((unsigned int)ctl + 1, ~0U);
}

/* ---- the operations ----------------------------------------------------------------- */

/* First code the child of a successful clone runs: it takes its own control socket. */
static void become_clone_child(int child_end, uint64_t flags)
{
	ctl = child_end;
	is_p0 = false;
	/* With CLONE_FILES the table is the parent's: the parent closes its own spare end. */
	if (!(flags & CLONE_FILES))
		close_foreign_sockets();
}

/*
 * fork and clone: clone3 with exactly the step's flags. Its exit signal is SIGCHLD, or 0
 * when CLONE_THREAD or CLONE_PARENT is set (clone3 requires that).
 */
static void op_clone(uint64_t flags)
{
	int exit_signal = (flags & (CLONE_THREAD | CLONE_PARENT)) ? 0 : SIGCHLD;
	int sv[2], sup_end, child_end;
	long pid;
	int err;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		reply_err(errno);
		return;
	}
	sup_end = move_fd(sv[0], CTL_FD_BASE, true);
	child_end = move_fd(sv[1], CTL_FD_BASE, false);
	if (sup_end < 0 || child_end < 0)
		die("cannot place a control socket: %s", strerror(errno));

	pid = sys_clone3(flags, exit_signal);
	if (pid == 0) {
		become_clone_child(child_end, flags);
		return;
	}
	err = errno;
	if (pid < 0) {
		close(sup_end);
		close(child_end);
		reply_err(err);
		return;
	}
	send_reply(0, pid, NULL, 0, sup_end);
	close(sup_end);
	if (!(flags & CLONE_FILES))
		close(child_end);
}

static void op_unshare(uint64_t flags)
{
	int ret = unshare((int)flags);
	int err = errno;

	/* A private table now: the sharers' control sockets in it are copies to drop. */
	if (ret == 0 && (flags & CLONE_FILES))
		close_foreign_sockets();
	errno = err;
	reply_call(ret);
}

static void op_open_ns(pid_t pid, uint32_t file)
{
	char path[64];

	if (file >= NS_FILE_COUNT) {
		reply_err(EINVAL);
		return;
	}
	/* Not close-on-exec (TRACE.md). PID 0 never exists: ENOENT, as for a reaped target.
	 * Through the sandbox's own procfs (PROC_FD), by the PID in the sandbox's namespace. */
	snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, ns_file_names[file]);
	reply_call(openat(PROC_FD, path, O_RDONLY));
}

static void op_ioctl(int fd, uint64_t req)
{
	uid_t uid;
	long ret;

	if (req >= IOCTL_REQ_COUNT) {
		reply_err(EINVAL);
		return;
	}
	if (ioctl_requests[req] == NSA_GET_OWNER_UID) {
		ret = ioctl(fd, NSA_GET_OWNER_UID, &uid);
		if (ret < 0)
			reply_err(errno);
		else
			reply_ok((int64_t)uid);
		return;
	}
	reply_call(ioctl(fd, ioctl_requests[req]));
}

/* The environment an exec'd agent gets: ours without AGENT_CTL_ENV, and with it when @ctlvar. */
static bool env_is(const char *entry, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(entry, name, len) && entry[len] == '=';
}

static char **agent_environ(char *ctlvar)
{
	static char p0var[] = AGENT_P0_ENV "=1";
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!env_is(environ[i], AGENT_CTL_ENV) && !env_is(environ[i], AGENT_P0_ENV))
			env[k++] = environ[i];
	if (ctlvar)
		env[k++] = ctlvar;
	if (is_p0)
		env[k++] = p0var;
	return env;
}

/*
 * Re-exec this binary, keeping the control socket (not close-on-exec). With the step's argv
 * (@data: strings each followed by a NUL), or the one of the last exec that had one, the
 * control socket is passed in the environment; otherwise in the agent's own argv.
 */
static void op_exec(const char *data, size_t len)
{
	char ctlbuf[16], ctlvar[48];
	char *plain[] = { "nsagent", "agent", ctlbuf, "exec", NULL };
	char **argv = plain, **env;
	size_t n = 0;

	snprintf(ctlbuf, sizeof(ctlbuf), "%d", ctl);
	snprintf(ctlvar, sizeof(ctlvar), "%s=%d", AGENT_CTL_ENV, ctl);
	if (len > 0) {
		for (size_t i = 0; i < len; i++)
			n += data[i] == '\0';
		argv = calloc(n + 1, sizeof(*argv));
		if (!argv || n == 0 || data[len - 1] != '\0') {
			free(argv);
			reply_err(argv ? EINVAL : ENOMEM);
			return;
		}
		for (size_t i = 0, k = 0; i < len; i += strlen(data + i) + 1)
			argv[k++] = (char *)data + i;
	} else if (named_argv) {
		argv = named_argv;
	}
	env = agent_environ(argv == plain ? NULL : ctlvar);
	if (!env) {
		reply_err(ENOMEM);
		return;
	}
	syscall(SYS_execveat, EXE_FD, "", argv, env, AT_EMPTY_PATH);
	reply_err(errno);
	free(env);
	if (argv != plain && argv != named_argv)
		free(argv);
}

static void op_uname(void)
{
	struct utsname u;
	char out[sizeof(u.nodename) + sizeof(u.domainname)];
	size_t n, d;

	if (uname(&u) < 0) {
		reply_err(errno);
		return;
	}
	n = strnlen(u.nodename, sizeof(u.nodename));
	d = strnlen(u.domainname, sizeof(u.domainname));
	memcpy(out, u.nodename, n);
	out[n] = '\0';
	memcpy(out + n + 1, u.domainname, d);
	send_reply(0, 0, out, n + 1 + d, -1);
}

static void op_write_map(pid_t pid, uint32_t file, const char *data, size_t len)
{
	char path[64];
	ssize_t n;
	int fd, err;

	if (file >= MAP_FILE_COUNT) {
		reply_err(EINVAL);
		return;
	}
	snprintf(path, sizeof(path), "%d/%s", (int)pid, map_file_names[file]);
	fd = openat(PROC_FD, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		reply_err(errno);
		return;
	}
	n = write(fd, data, len);
	err = errno;
	close(fd);
	if (n < 0)
		reply_err(err);
	else
		reply_ok(0);
}

/*
 * A thread that only sleeps. It shares the agent's TLS (no CLONE_SETTLS), so it must not
 * touch the C library: it makes its system call with inline assembly, and never returns.
 */
static int sleeper(void *arg)
{
	(void)arg;
	for (;;) {
#if defined(__x86_64__)
		long ret;
		__asm__ volatile("syscall" : "=a"(ret) : "a"((long)SYS_pause) : "rcx", "r11", "memory");
		(void)ret;
#elif defined(__aarch64__)
		register long x8 __asm__("x8") = SYS_ppoll;
		register long x0 __asm__("x0") = 0;
		register long x1 __asm__("x1") = 0;
		register long x2 __asm__("x2") = 0;
		register long x3 __asm__("x3") = 0;
		register long x4 __asm__("x4") = 8;
		__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
#else
#error "the sleeping thread needs a raw system call for this architecture"
#endif
	}
	return 0;
}

#define THREAD_STACK (64 * 1024)

/* What pthread_create does, minus the C library: the kernel's errno on failure. */
static void op_thread(void)
{
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			  CLONE_SYSVSEM;
	void *stack;
	int tid, err;

	stack = mmap(NULL, THREAD_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		reply_err(errno);
		return;
	}
	tid = clone(sleeper, (char *)stack + THREAD_STACK, flags, NULL);
	err = errno;
	if (tid < 0) {
		munmap(stack, THREAD_STACK);
		reply_err(err);
		return;
	}
	reply_ok(0);
}

/* ---- credentials and capabilities ---------------------------------------------------- */

/* Up to @max numbers of @data (base @base, separated by spaces); how many. */
static int parse_numbers(const char *data, long long *v, int max, int base)
{
	int n = 0;
	char *end;

	while (*data && n < max) {
		while (*data == ' ')
			data++;
		if (!*data)
			break;
		v[n++] = (long long)strtoull(data, &end, base);
		if (end == data)
			break;
		data = end;
	}
	return n;
}

/*
 * The credential ops, each the raw system call (the C library's setresuid() and setgroups()
 * would signal every thread it knows; capset() has no C library wrapper worth its name).
 */
static void op_cred(uint32_t op, const char *data)
{
	long long v[3] = { 0, 0, 0 };
	long rc;
	int err;

	switch (op) {
	case AOP_SETRESUID:
	case AOP_SETRESGID:
		if (parse_numbers(data, v, 3, 10) != 3) {
			reply_err(EPROTO);
			return;
		}
		rc = syscall(op == AOP_SETRESUID ? SYS_setresuid : SYS_setresgid,
			     (unsigned int)v[0], (unsigned int)v[1], (unsigned int)v[2]);
		break;
	case AOP_SETGROUPS: {
		size_t max = strlen(data) / 2 + 1;
		long long *g = calloc(max, sizeof(*g));
		gid_t *list = calloc(max, sizeof(*list));
		int n;

		if (!g || !list) {
			free(g);
			free(list);
			reply_err(ENOMEM);
			return;
		}
		n = parse_numbers(data, g, (int)max, 10);
		for (int i = 0; i < n; i++)
			list[i] = (gid_t)g[i];
		rc = syscall(SYS_setgroups, n, list);
		err = errno;
		free(g);
		free(list);
		errno = err;
		break;
	}
	case AOP_CAPSET: {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
		struct __user_cap_data_struct d[2];

		if (parse_numbers(data, v, 3, 16) != 3) {
			reply_err(EPROTO);
			return;
		}
		for (int i = 0; i < 2; i++) {
			d[i].effective = (uint32_t)((uint64_t)v[0] >> (32 * i));
			d[i].permitted = (uint32_t)((uint64_t)v[1] >> (32 * i));
			d[i].inheritable = (uint32_t)((uint64_t)v[2] >> (32 * i));
		}
		rc = syscall(SYS_capset, &h, d);
		break;
	}
	default: /* AOP_PRCTL */
		if (parse_numbers(data, v, 3, 10) != 3) {
			reply_err(EPROTO);
			return;
		}
		rc = syscall(SYS_prctl, (int)v[0], (unsigned long)v[1], (unsigned long)v[2], 0UL, 0UL);
		break;
	}
	err = errno;
	if (rc < 0)
		reply_err(err);
	else
		reply_ok(0);
}

/* ---- mounts (docs/TRACE-EXTENSIONS.md, "Mounts"): the raw system calls ------------------ */

/* The @i-th NUL-terminated string of @data (@len bytes), or NULL. */
static const char *nth_string(const char *data, size_t len, int i)
{
	size_t off = 0;

	for (; i > 0 && off < len; i--)
		off += strnlen(data + off, len - off) + 1;
	return off < len && memchr(data + off, '\0', len - off) ? data + off : NULL;
}

static void op_mount(uint64_t flags, const char *data, size_t len)
{
	const char *target = nth_string(data, len, 0), *source = nth_string(data, len, 1);
	const char *fstype = nth_string(data, len, 2);

	if (!target || !source || !fstype) {
		reply_err(EPROTO);
		return;
	}
	reply_call(syscall(SYS_mount, source, target, *fstype ? fstype : NULL, (unsigned long)flags, NULL));
}

static void op_pivot_root(const char *data, size_t len)
{
	const char *new_root = nth_string(data, len, 0), *put_old = nth_string(data, len, 1);

	if (!new_root || !put_old) {
		reply_err(EPROTO);
		return;
	}
	reply_call(syscall(SYS_pivot_root, new_root, put_old));
}

static void op_readdir(const char *path)
{
	static char names[AGENT_DATA_MAX];
	size_t len;
	int r = read_directory(path, names, sizeof(names), &len);

	if (r < 0)
		reply_err(errno);
	else
		send_reply(0, r, names, r == 1 ? 0 : len, -1);
}

/* The raw system call: its value is the string, "(unreachable)/..." included. */
static void op_getcwd(void)
{
	static char buf[GETCWD_MAX];
	long n = syscall(SYS_getcwd, buf, sizeof(buf));

	if (n < 0)
		reply_err(errno);
	else
		send_reply(0, 0, buf, strnlen(buf, sizeof(buf)), -1);
}

static void handle(const struct agent_cmd *c, const char *data)
{
	switch (c->op) {
	case AOP_CLONE:
		op_clone(c->arg);
		break;
	case AOP_UNSHARE:
		op_unshare(c->arg);
		break;
	case AOP_SETNS:
		reply_call(setns(c->fd, (int)c->arg));
		break;
	case AOP_OPEN_NS:
		op_open_ns(c->pid, c->file);
		break;
	case AOP_PIDFD_OPEN:
		reply_call(sys_pidfd_open(c->pid));
		break;
	case AOP_CLOSE:
		reply_call(close(c->fd));
		break;
	case AOP_IOCTL:
		op_ioctl(c->fd, c->arg);
		break;
	case AOP_EXEC:
		op_exec(data, c->len);
		break;
	case AOP_EXIT:
		syscall(SYS_exit_group, (int)(c->arg & 0xff));
		break;
	case AOP_WAIT:
		reply_call(syscall(SYS_wait4, -1, NULL, WNOHANG, NULL));
		break;
	case AOP_SETHOSTNAME:
		reply_call(sethostname(data, c->len));
		break;
	case AOP_SETDOMAINNAME:
		reply_call(setdomainname(data, c->len));
		break;
	case AOP_UNAME:
		op_uname();
		break;
	case AOP_GETPID:
		reply_call(syscall(SYS_getpid));
		break;
	case AOP_GETPPID:
		reply_call(syscall(SYS_getppid));
		break;
	case AOP_SETUID:
		/* The raw call: the C library's setuid() would signal every thread it knows. */
		reply_call(syscall(SYS_setuid, (uid_t)c->arg));
		break;
	case AOP_WRITE_MAP:
		op_write_map(c->pid, c->file, data, c->len);
		break;
	case AOP_THREAD:
		op_thread();
		break;
	case AOP_MOUNT_PROC:
		reply_call(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
		break;
	case AOP_SET_PDEATHSIG:
		reply_call(prctl(PR_SET_PDEATHSIG, (unsigned long)c->arg, 0, 0, 0));
		break;
	case AOP_KILL:
		/* The raw call; killing itself, the agent never answers (the supervisor sees it die). */
		reply_call(syscall(SYS_kill, (pid_t)c->pid, (int)c->arg));
		break;
	case AOP_SETRESUID:
	case AOP_SETRESGID:
	case AOP_SETGROUPS:
	case AOP_CAPSET:
	case AOP_PRCTL:
		op_cred(c->op, data);
		break;
	case AOP_MKDIR:
		reply_call(syscall(SYS_mkdirat, AT_FDCWD, data, 0777));
		break;
	case AOP_MOUNT:
		op_mount(c->arg, data, c->len);
		break;
	case AOP_UMOUNT:
		reply_call(syscall(SYS_umount2, data, (int)c->arg));
		break;
	case AOP_PIVOT_ROOT:
		op_pivot_root(data, c->len);
		break;
	case AOP_READDIR:
		op_readdir(data);
		break;
	case AOP_CHDIR:
		reply_call(syscall(SYS_chdir, data));
		break;
	case AOP_CHROOT:
		reply_call(syscall(SYS_chroot, data));
		break;
	case AOP_GETCWD:
		op_getcwd();
		break;
	default:
		reply_err(ENOSYS);
		break;
	}
}

/* ---- the loop ------------------------------------------------------------------------ */

/* p0 dies with the supervisor: PR_SET_PDEATHSIG, and a check for the race before it. */
static void arm_death_signal(void)
{
	struct pollfd p = { .fd = ctl, .events = POLLIN | POLLRDHUP };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("PR_SET_PDEATHSIG: %s", strerror(errno));
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR)))
		_exit(0);
}

void agent_main(int fd, enum agent_start how)
{
	ssize_t n;

	ctl = fd;
	if (how == AGENT_P0 || getenv(AGENT_P0_ENV))
		is_p0 = true;
	if (how != AGENT_P0)
		close_foreign_sockets();
	if (is_p0)
		arm_death_signal();
	reply_ok(0); /* p0: ready; after exec: the `exec` step succeeded */

	for (;;) {
		n = recv(ctl, in.raw, sizeof(in.raw) - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			orphaned();
		if ((size_t)n < sizeof(struct agent_cmd) ||
		    (size_t)n != sizeof(struct agent_cmd) + in.cmd.len) {
			reply_err(EPROTO);
			continue;
		}
		in.raw[n] = '\0';
		handle(&in.cmd, in.raw + sizeof(struct agent_cmd));
		if (is_p0)
			arm_death_signal();
	}
}

/* ---- p0: PID 1 of the sandbox ------------------------------------------------------------ */

/* Report a failed sandbox setup to the supervisor (the readiness answer) and exit. */
static void __attribute__((noreturn)) p0_fail(const char *what)
{
	int err = errno;
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));

	/* snprintf says how long the message would have been; send what the buffer holds */
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1;
	send_reply(err ? err : EINVAL, 0, msg, (size_t)n, -1);
	_exit(1);
}

/*
 * A procfs of the sandbox's own PID namespace, as a detached mount (fsopen/fsmount: on no
 * path of any mount namespace, so a trace cannot see or unmount it), placed at PROC_FD. procfs
 * takes the PID namespace of the process that creates it, here p0's: PID 1 of the sandbox.
 * Through it, a PID names a process of the sandbox or nothing — never one of the machine's.
 */
static int p0_open_sandbox_proc(void)
{
	int fs, mnt;

	fs = fsopen("proc", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		close(fs);
		return -1;
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	close(fs);
	if (mnt < 0)
		return -1;
	if (dup2(mnt, PROC_FD) != PROC_FD) { /* dup2: not close-on-exec */
		close(mnt);
		return -1;
	}
	close(mnt);
	return 0;
}

/*
 * Keep only the control socket, EXE_FD and stderr; stdin and stdout become /dev/null; the
 * sandbox's own procfs at PROC_FD.
 */
static void p0_tidy_descriptors(void)
{
	int null;

	sys_close_range(3, EXE_FD - 1);
	close_foreign_sockets();
	if (p0_open_sandbox_proc() < 0)
		p0_fail("making a procfs of the sandbox's PID namespace");
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		p0_fail("open /dev/null");
	if (dup2(null, 0) < 0 || dup2(null, 1) < 0)
		p0_fail("dup2");
	close(null);
}

/* Drop to uid/gid 1000 with no groups, and exec ourselves so that p0 is dumpable again. */
static void __attribute__((noreturn)) p0_become_unprivileged(void)
{
	char ctlbuf[16];
	char *argv[] = { "nsagent", "agent", ctlbuf, "p0", NULL };

	if (setgroups(0, NULL) < 0)
		p0_fail("setgroups");
	if (setresgid(1000, 1000, 1000) < 0)
		p0_fail("setresgid");
	if (setresuid(1000, 1000, 1000) < 0)
		p0_fail("setresuid");
	snprintf(ctlbuf, sizeof(ctlbuf), "%d", ctl);
	syscall(SYS_execveat, EXE_FD, "", argv, environ, AT_EMPTY_PATH);
	p0_fail("exec of the agent as uid 1000");
}

/* p0's capability sets for a trace that shows credentials (p0_set_caps); 0: leave them. */
static bool p0_caps_wanted;
static uint64_t p0_bset;

void p0_set_caps(bool wanted, uint64_t bset)
{
	p0_caps_wanted = wanted;
	p0_bset = bset;
}

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
	"CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
	"CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};
#define P0_CAP_COUNT 41

/*
 * The credentials a trace that shows them starts from: no supplementary groups (root), empty
 * ambient and inheritable sets, the bounding set the trace asks for (each capability it does
 * not name dropped), and for root the same as permitted and effective sets. The machine
 * must have every capability asked for: a trace cannot gain one the harness lacks.
 */
static void p0_setup_caps(bool unprivileged)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	static char msg[192];

	if (!p0_caps_wanted)
		return;
	for (int c = 0; c < P0_CAP_COUNT; c++) {
		long in = prctl(PR_CAPBSET_READ, c, 0, 0, 0);

		if ((p0_bset >> c) & 1) {
			if (in != 1) {
				snprintf(msg, sizeof(msg), "this machine's bounding set lacks %s, which the trace's "
					 "p0 starts with (setup.caps; all 41 when not given)", cap_names[c]);
				errno = EPERM;
				p0_fail(msg);
			}
		} else if (in == 1 && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
			p0_fail("PR_CAPBSET_DROP");
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		p0_fail("PR_CAP_AMBIENT_CLEAR_ALL");
	if (!unprivileged) {
		if (setgroups(0, NULL) < 0)
			p0_fail("setgroups");
		for (int i = 0; i < 2; i++) {
			d[i].effective = d[i].permitted = (uint32_t)(p0_bset >> (32 * i));
			d[i].inheritable = 0;
		}
		if (syscall(SYS_capset, &h, d) < 0)
			p0_fail("capset");
	}
}

/*
 * The sandbox's init, just cloned by the supervisor into fresh pid, uts, ipc, mnt, net,
 * cgroup and time namespaces (in the supervisor's user namespace).
 */
void p0_main(int fd, bool unprivileged, const char *hostname, size_t hostlen)
{
	const char *what;

	ctl = fd;
	p0_tidy_descriptors(); /* closes the supervisor's end, so a dead supervisor shows HUP */
	arm_death_signal();
	/* Out of the harness's session and process group: a terminal's signals (^C) reach the
	 * harness, whose death ends the sandbox as a whole, never single agents. */
	if (setsid() < 0)
		p0_fail("setsid");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		p0_fail("making the mounts private");
	what = p0_make_root(); /* a trace with setup.mounts: its own root (mounts.c) */
	if (what)
		p0_fail(what);
	if (sethostname(hostname, hostlen) < 0)
		p0_fail("sethostname");
	if (setdomainname("(none)", 6) < 0)
		p0_fail("setdomainname");
	p0_setup_caps(unprivileged);
	if (unprivileged)
		p0_become_unprivileged();
	agent_main(ctl, AGENT_P0);
}
