// SPDX-License-Identifier: MIT
/*
 * Steps: one handler per op. The supervisor resolves what only it knows — which descriptor
 * number a label is in the actor's table, which host PID a target has, which PID the actor's
 * PID namespace sees — and the agent of the acting process makes the call. Labels that do
 * not resolve go to the kernel as values it rejects itself: descriptor -1 (EBADF), /proc/0
 * (ENOENT), PID INT_MAX (ESRCH).
 */
#include "supervisor.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sched.h>

/* One step being run: its tokens ("<op> <by> <args...>"), the actor, the answer. */
struct step {
	struct args a;
	int by;
	struct proc *p;
	struct out *o;
};

/* ---- answering ------------------------------------------------------------------------------ */

static void answer(struct step *s, const struct agent_reply *r, bool with_value)
{
	if (r->err)
		out_printf(s->o, "err %s\n", errno_name(r->err));
	else if (with_value)
		out_printf(s->o, "ok i %lld\n", (long long)r->value);
	else
		out_printf(s->o, "ok\n");
}

static void answer_string(struct step *s, const char *str, size_t len)
{
	out_printf(s->o, "ok s ");
	out_hex(s->o, str, len);
	out_printf(s->o, "\n");
}

/*
 * Make the call: 0 with the agent's reply, or -1 (answered `dead`) when the agent stopped
 * answering in the middle of the step.
 */
static int call(struct step *s, const struct agent_cmd *cmd, const void *data,
		struct agent_reply *r, char *rdata, size_t rcap, int *passed_fd)
{
	if (agent_call(s->by, cmd, data, r, rdata, rcap, passed_fd) == 0)
		return 0;
	settle(s->by, -1);
	out_printf(s->o, "dead\n");
	return -1;
}

/* A call with no bookkeeping besides its answer; 0 when it succeeded. */
static int simple(struct step *s, const struct agent_cmd *cmd, const void *data, bool with_value)
{
	struct agent_reply r;

	if (call(s, cmd, data, &r, NULL, 0, NULL) < 0)
		return -1;
	answer(s, &r, with_value);
	return r.err ? -1 : 0;
}

/* The descriptor a label is in the actor's table, or -1. */
static int fd_arg(struct step *s, int i)
{
	return fdtable_get(s->p->table, arg_int(&s->a, i));
}

/* ---- PIDs across namespaces ------------------------------------------------------------------- */

/* The host PID of the child the actor just made, from the PID the actor saw. */
static pid_t host_pid_of_child(const struct proc *parent, pid_t vpid)
{
	int ns = open_pidns(parent), pid;

	if (ns < 0)
		return -1;
	pid = tgid_from_pidns(ns, vpid);
	close(ns);
	return pid;
}

/*
 * The PID of @target as @caller's PID namespace sees it; INT_MAX when it sees none. The
 * target's pidfd first says that its process still exists, so its number is its own; and a
 * caller's PID namespace holds only processes of the sandbox.
 */
static pid_t pid_seen_by(const struct proc *caller, long long target)
{
	pid_t host = host_pid(target);
	int ns, pid;

	if (host <= 0)
		return INT_MAX;
	ns = open_pidns(caller);
	if (ns < 0)
		return INT_MAX;
	pid = tgid_in_pidns(ns, host);
	close(ns);
	return pid > 0 ? pid : INT_MAX;
}

/* ---- the steps ---------------------------------------------------------------------------------- */

/* May the sandbox hold one more task (a process or a thread)? If not, the run ends. */
static bool room_for_a_task(void)
{
	if (W.live_tasks < L.max_tasks)
		return true;
	world_abort("limit: processes (at most %d live processes and threads in one sandbox; "
		    "the trace makes more)", L.max_tasks);
	return false;
}

/*
 * fork and clone: on success, the child is a new traced process with its own agent. A child
 * the supervisor cannot follow ends the run: its step would say ok for a process that the
 * snapshot then lacks.
 */
static void make_child(struct step *s, uint64_t flags, long long as)
{
	struct agent_cmd cmd = { .op = AOP_CLONE, .fd = -1, .arg = flags };
	struct agent_reply r;
	struct proc *c;
	pid_t hostpid;
	int sock;

	if (s->a.bad)
		return;
	if (!room_for_a_task())
		return;
	if (call(s, &cmd, NULL, &r, NULL, 0, &sock) < 0)
		return;
	answer(s, &r, true);
	if (r.err)
		return;
	hostpid = host_pid_of_child(s->p, (pid_t)r.value);
	/* proc_slot() may move W.procs: the actor's slot is found afresh after it */
	c = proc_slot(as);
	s->p = &W.procs[s->by];
	if (!c || c->state != PS_NONE || sock < 0 || hostpid <= 0 || track_process(c, hostpid, sock) < 0) {
		warnx("cannot follow the new process %lld (label %lld)", (long long)r.value, as);
		close_fd(&sock);
		world_abort("the supervisor could not follow a process the trace made");
		return;
	}
	c->named = s->p->named;
	c->tgroup = (flags & CLONE_THREAD) ? s->p->tgroup : (int)as;
	c->fsgroup = (flags & CLONE_FS) ? s->p->fsgroup : (int)as;
	if (flags & CLONE_FILES) {
		c->table = s->p->table;
		fdtable_share(c->table);
	} else {
		c->table = fdtable_fork(s->p->table);
	}
}

static void step_fork(struct step *s)
{
	make_child(s, 0, arg_int(&s->a, 2));
}

static void step_clone(struct step *s)
{
	uint64_t flags = (uint64_t)arg_int(&s->a, 2);

	make_child(s, flags, arg_int(&s->a, 3));
}

static void step_unshare(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_UNSHARE, .fd = -1, .arg = (uint64_t)arg_int(&s->a, 2) };

	if (!s->a.bad && simple(s, &cmd, NULL, false) == 0 && (cmd.arg & CLONE_FILES))
		proc_private_table(s->p, false);
}

/*
 * Is the process's root the machine's rootfs? Below a trace's own root (setup.mounts) lies the
 * sandbox's copy of the machine's first mount, the rootfs, whose super block is the machine's
 * own. A trace that detaches its root (umount -l /) and then joins its mount namespace again
 * lands there: mntns_install() looks the root up from the namespace's first mount. Writing to it
 * would change the host (a directory in its rootfs, a read-only super block), so such a run
 * ends before its next step. The first line of mountinfo is the mount at the process's root.
 * (hostsafe.c checks every root and working directory after such steps by their devices; this
 * is a second, independent guard for the one way the kernel was seen to get there.)
 */
static bool root_is_machine_rootfs(const struct proc *p)
{
	char buf[4096];
	int fd = openat(p->procdir, "mountinfo", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *nl, *sep;

	if (fd < 0)
		return false; /* gone: nothing more can act as it */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false; /* a detached root: no mount is shown */
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	sep = strstr(buf, " - ");
	return sep && strncmp(sep + 3, "rootfs ", 7) == 0;
}

static void step_setns(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_SETNS, .fd = fd_arg(s, 2), .arg = (uint64_t)arg_int(&s->a, 3) };

	if (s->a.bad)
		return;
	if (simple(s, &cmd, NULL, false) == 0 && W.mounts && !L.one_guard && root_is_machine_rootfs(s->p))
		world_abort("host safety: after setns the process's root is the machine's rootfs (the trace "
			    "detached its own root, and mntns_install() looked the root up from the mount "
			    "namespace's first mount); a trace may not reach it");
}

/*
 * A descriptor the step defines: recorded in the actor's table under its label. One at or
 * above the backend's own descriptors ends the run: the trace holds too many at once.
 */
static void define_fd(struct step *s, long long label, enum fd_kind kind, int fd)
{
	if (fd > TRACE_FD_MAX)
		world_abort("limit: descriptors (a descriptor table may hold at most %d of the "
			    "trace's descriptors at once)", TRACE_FD_MAX - 2);
	set_fd_kind(label, kind);
	fdtable_set(s->p->table, label, fd);
}

static void step_open(struct step *s)
{
	struct agent_cmd cmd = {
		.op = AOP_OPEN_NS, .fd = -1,
		.pid = sandbox_pid(arg_int(&s->a, 2)), .file = (uint32_t)arg_int(&s->a, 3),
	};
	long long as = arg_int(&s->a, 4);
	struct agent_reply r;

	if (s->a.bad || call(s, &cmd, NULL, &r, NULL, 0, NULL) < 0)
		return;
	answer(s, &r, false);
	if (!r.err)
		define_fd(s, as, FK_NSFS, (int)r.value);
}

static void step_pidfd_open(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_PIDFD_OPEN, .fd = -1, .pid = pid_seen_by(s->p, arg_int(&s->a, 2)) };
	long long as = arg_int(&s->a, 3);
	struct agent_reply r;

	if (s->a.bad || call(s, &cmd, NULL, &r, NULL, 0, NULL) < 0)
		return;
	answer(s, &r, false);
	if (!r.err)
		define_fd(s, as, FK_PIDFD, (int)r.value);
}

static void step_close(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_CLOSE, .fd = fd_arg(s, 2) };

	if (!s->a.bad && simple(s, &cmd, NULL, false) == 0)
		fdtable_forget_fd(s->p->table, cmd.fd);
}

static void step_ioctl(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_IOCTL, .fd = fd_arg(s, 2), .arg = (uint64_t)arg_int(&s->a, 3) };
	long long as = arg_int(&s->a, 4);
	struct agent_reply r;
	const char *name;

	if (!s->a.bad && cmd.arg >= IOCTL_REQ_COUNT)
		s->a.bad = "unknown ioctl request";
	if (s->a.bad || call(s, &cmd, NULL, &r, NULL, 0, NULL) < 0)
		return;
	if (r.err) {
		answer(s, &r, false);
		return;
	}
	switch (ioctl_requests[cmd.arg]) {
	case NSA_GET_USERNS:
	case NSA_GET_PARENT:
		if (as >= 0)
			define_fd(s, as, FK_NSFS_CLOEXEC, (int)r.value);
		answer(s, &r, false);
		break;
	case NSA_GET_NSTYPE:
		name = nstype_name((int)r.value);
		if (name)
			answer_string(s, name, strlen(name));
		else
			answer(s, &r, true);
		break;
	default: /* NS_GET_OWNER_UID */
		answer(s, &r, true);
		break;
	}
}

/* `exec BY` or `exec BY x<argv>` (each string followed by a NUL). */
static void step_exec(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_EXEC, .fd = -1 };
	size_t len = 0;
	char *argv = s->a.n > 2 ? arg_str(&s->a, 2, &len) : NULL;

	cmd.len = (uint32_t)len;
	if (s->a.bad)
		return;
	if (W.mounts && L.agent_dynamic) {
		world_abort("%s", DYNAMIC_AGENT_ON_OWN_ROOT);
		return;
	}
	if (simple(s, &cmd, argv, false) != 0)
		return;
	proc_private_table(s->p, true);
	if (len > 0)
		s->p->named = true;
}

/* `exit`: the agent ends itself without answering; settling says what became of it. */
static void step_exit(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_EXIT, .fd = -1, .arg = (uint64_t)arg_int(&s->a, 2) };

	if (s->a.bad)
		return;
	agent_send(s->by, &cmd, NULL);
	settle(s->by, -1);
	out_printf(s->o, "ok\n");
}

static void step_wait(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_WAIT, .fd = -1 };
	struct agent_reply r;

	if (call(s, &cmd, NULL, &r, NULL, 0, NULL) < 0)
		return;
	/* A reaped zombie may let an init that waits in zap_pid_ns_processes() finish. */
	if (!r.err && r.value > 0)
		settle(s->by, -1);
	answer(s, &r, true);
}

static void set_name(struct step *s, enum agent_op op)
{
	struct agent_cmd cmd = { .op = op, .fd = -1 };
	size_t len;
	char *name = arg_str(&s->a, 2, &len);

	cmd.len = (uint32_t)len;
	if (!s->a.bad)
		simple(s, &cmd, name, false);
}

static void step_sethostname(struct step *s)
{
	set_name(s, AOP_SETHOSTNAME);
}

static void step_setdomainname(struct step *s)
{
	set_name(s, AOP_SETDOMAINNAME);
}

/* uname() in the actor: "nodename\0domainname". */
static void get_name(struct step *s, bool domain)
{
	struct agent_cmd cmd = { .op = AOP_UNAME, .fd = -1 };
	struct agent_reply r;
	char data[UNAME_ANSWER_MAX + 1] = { 0 };
	const char *name;

	if (call(s, &cmd, NULL, &r, data, sizeof(data) - 1, NULL) < 0)
		return;
	if (r.err) {
		answer(s, &r, false);
		return;
	}
	name = domain ? data + strlen(data) + 1 : data;
	answer_string(s, name, strlen(name));
}

static void step_gethostname(struct step *s)
{
	get_name(s, false);
}

static void step_getdomainname(struct step *s)
{
	get_name(s, true);
}

static void step_getpid(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_GETPID, .fd = -1 };

	simple(s, &cmd, NULL, true);
}

static void step_getppid(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_GETPPID, .fd = -1 };

	simple(s, &cmd, NULL, true);
}

static void step_setuid(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_SETUID, .fd = -1, .arg = (uint64_t)arg_int(&s->a, 2) };

	if (!s->a.bad)
		simple(s, &cmd, NULL, false);
}

static void step_write_map(struct step *s)
{
	struct agent_cmd cmd = {
		.op = AOP_WRITE_MAP, .fd = -1,
		.pid = sandbox_pid(arg_int(&s->a, 2)), .file = (uint32_t)arg_int(&s->a, 3),
	};
	size_t len;
	char *data = arg_str(&s->a, 4, &len);

	cmd.len = (uint32_t)len;
	if (!s->a.bad)
		simple(s, &cmd, data, false);
}

static void step_thread(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_THREAD, .fd = -1 };

	if (s->a.bad)
		return;
	if (!room_for_a_task())
		return;
	if (simple(s, &cmd, NULL, false) == 0) {
		s->p->threaded = true;
		s->p->nthreads++;
		W.live_tasks++;
	}
}

static void step_observe(struct step *s)
{
	observe(s->o);
}

static void step_mount_proc(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_MOUNT_PROC, .fd = -1 };

	simple(s, &cmd, NULL, false);
}

/*
 * p0's parent is outside the trace and never dies while it runs, so p0's parent-death signal
 * is never sent in a trace: p0 keeps the SIGKILL that ties the sandbox to the supervisor.
 */
static void step_set_pdeathsig(struct step *s)
{
	struct agent_cmd cmd = { .op = AOP_SET_PDEATHSIG, .fd = -1, .arg = (uint64_t)arg_int(&s->a, 2) };

	if (s->a.bad)
		return;
	if (s->by == 0) {
		out_printf(s->o, "ok\n");
		return;
	}
	if (simple(s, &cmd, NULL, false) == 0)
		s->p->pdeathsig = cmd.arg != 0;
}

/*
 * kill(2) by the PID the actor sees; then the kernel settles what the signal ended. An actor
 * that signalled itself to death never answers: `dead`. One that its signal's consequences
 * ended (a parent-death signal from the process it killed) may die before it answers, or
 * just after: the call had succeeded either way, and the answer is "ok".
 */
static void step_kill(struct step *s)
{
	long long target = arg_int(&s->a, 2);
	struct agent_cmd cmd = {
		.op = AOP_KILL, .fd = -1, .pid = pid_seen_by(s->p, target),
		.arg = (uint64_t)arg_int(&s->a, 3),
	};
	struct agent_reply r;

	if (s->a.bad)
		return;
	if (agent_call(s->by, &cmd, NULL, &r, NULL, 0, NULL) < 0) {
		settle(s->by, (int)target);
		out_printf(s->o, target == s->by ? "dead\n" : "ok\n");
		return;
	}
	settle(s->by, (int)target);
	answer(s, &r, false);
}

/*
 * The credential ops: the numbers of the step line as the agent's data (decimal; capset's
 * sets and setgroups' list come as one string already). By p0, the agent arms its
 * parent-death signal again afterwards (`file` 1): a change of credentials clears it.
 */
static void step_cred(struct step *s, uint32_t op)
{
	struct agent_cmd cmd = { .op = op, .fd = -1 };
	char buf[96];
	size_t len;
	char *data;

	if (op == AOP_SETGROUPS || op == AOP_CAPSET) {
		data = arg_str(&s->a, 2, &len);
	} else {
		int n = snprintf(buf, sizeof(buf), "%lld %lld %lld", arg_int(&s->a, 2), arg_int(&s->a, 3),
				 arg_int(&s->a, 4));

		data = buf;
		len = (size_t)n;
	}
	if (s->a.bad)
		return;
	cmd.len = (uint32_t)len;
	simple(s, &cmd, data, false);
}

static void step_setresuid(struct step *s) { step_cred(s, AOP_SETRESUID); }
static void step_setresgid(struct step *s) { step_cred(s, AOP_SETRESGID); }
static void step_setgroups(struct step *s) { step_cred(s, AOP_SETGROUPS); }
static void step_capset(struct step *s) { step_cred(s, AOP_CAPSET); }
static void step_prctl(struct step *s) { step_cred(s, AOP_PRCTL); }

/* ---- mounts (docs/TRACE-EXTENSIONS.md, "Mounts") ------------------------------------------ */

/* A step whose data is its string arguments from token @first on, each followed by a NUL. */
/*
 * The mount ops run only on the trace's own root (a sandbox started with `mounts`): in the
 * sandbox's private copy of the host's tree, a mkdir would make a directory of the host.
 */
static bool mounts_allowed(struct step *s)
{
	if (!W.mounts && !s->a.bad)
		s->a.bad = "mount ops need a sandbox started with mounts";
	return !s->a.bad;
}

static void path_call(struct step *s, enum agent_op op, uint64_t arg, int first, int count)
{
	struct agent_cmd cmd = { .op = op, .fd = -1, .arg = arg };
	char *str[3], *data, *p;
	size_t len[3], total = 0;

	if (!mounts_allowed(s))
		return;

	for (int i = 0; i < count; i++) {
		str[i] = arg_str(&s->a, first + i, &len[i]);
		total += len[i] + 1;
	}
	if (s->a.bad)
		return;
	data = p = malloc(total);
	if (!data)
		die("out of memory");
	for (int i = 0; i < count; i++) {
		memcpy(p, str[i], len[i]);
		p += len[i];
		*p++ = '\0';
	}
	cmd.len = (uint32_t)total;
	simple(s, &cmd, data, false);
	free(data);
}

static void step_mkdir(struct step *s)
{
	path_call(s, AOP_MKDIR, 0, 2, 1);
}

static void step_mount(struct step *s)
{
	uint64_t flags = (uint64_t)arg_int(&s->a, 2);

	path_call(s, AOP_MOUNT, flags, 3, 3);
}

static void step_umount(struct step *s)
{
	uint64_t flags = (uint64_t)arg_int(&s->a, 2);

	path_call(s, AOP_UMOUNT, flags, 3, 1);
}

static void step_pivot_root(struct step *s)
{
	path_call(s, AOP_PIVOT_ROOT, 0, 2, 2);
}

/* readdir: "ok l x<names, each followed by a NUL>", or "ok s x<proc>" on a procfs. */
static void step_readdir(struct step *s)
{
	static char names[AGENT_DATA_MAX + 1];
	struct agent_cmd cmd = { .op = AOP_READDIR, .fd = -1 };
	struct agent_reply r;
	size_t len;
	char *path = arg_str(&s->a, 2, &len);

	if (!mounts_allowed(s))
		return;
	cmd.len = (uint32_t)len;
	if (call(s, &cmd, path, &r, names, sizeof(names) - 1, NULL) < 0)
		return;
	if (r.err) {
		answer(s, &r, false);
	} else if (r.value == 1) {
		answer_string(s, "proc", 4);
	} else {
		out_printf(s->o, "ok l ");
		out_hex(s->o, names, r.len > AGENT_DATA_MAX ? AGENT_DATA_MAX : r.len);
		out_printf(s->o, "\n");
	}
}

static void step_chdir(struct step *s)
{
	path_call(s, AOP_CHDIR, 0, 2, 1);
}

static void step_chroot(struct step *s)
{
	path_call(s, AOP_CHROOT, 0, 2, 1);
}

/* getcwd: "ok s x<the string the raw system call gave>". */
static void step_getcwd(struct step *s)
{
	static char cwd[GETCWD_MAX + 1];
	struct agent_cmd cmd = { .op = AOP_GETCWD, .fd = -1 };
	struct agent_reply r;

	if (!mounts_allowed(s))
		return;
	if (call(s, &cmd, NULL, &r, cwd, sizeof(cwd) - 1, NULL) < 0)
		return;
	if (r.err)
		answer(s, &r, false);
	else
		answer_string(s, cwd, r.len > GETCWD_MAX ? GETCWD_MAX : r.len);
}

/*
 * Host safety (hostsafe.c): after a step that can move a root or a working directory, those it
 * can have moved (`moves`, of the process whose label is argument `who`). chdir and chroot: the
 * actor's fs_struct, shared by CLONE_FS; setns and unshare into a mount namespace: the actor's
 * own (setns wants an fs_struct of its own, unshare of a mount namespace unshares it); fork and
 * clone: the child's copy; pivot_root: every process whose root or working directory was the
 * old root (chroot_fs_refs()), so all. Nothing else moves one.
 */
static const struct {
	const char *op;
	void (*run)(struct step *s);
	enum hs_scope moves;
	int who;
} step_table[] = {
	{ "fork", step_fork, HS_ONE, 2 },
	{ "clone", step_clone, HS_ONE, 3 },
	{ "unshare", step_unshare, HS_ONE, 1 },
	{ "setns", step_setns, HS_ONE, 1 },
	{ "open", step_open, HS_NONE, 0 },
	{ "pidfd_open", step_pidfd_open, HS_NONE, 0 },
	{ "close", step_close, HS_NONE, 0 },
	{ "ioctl", step_ioctl, HS_NONE, 0 },
	{ "exec", step_exec, HS_NONE, 0 },
	{ "exit", step_exit, HS_NONE, 0 },
	{ "wait", step_wait, HS_NONE, 0 },
	{ "sethostname", step_sethostname, HS_NONE, 0 },
	{ "setdomainname", step_setdomainname, HS_NONE, 0 },
	{ "gethostname", step_gethostname, HS_NONE, 0 },
	{ "getdomainname", step_getdomainname, HS_NONE, 0 },
	{ "getpid", step_getpid, HS_NONE, 0 },
	{ "getppid", step_getppid, HS_NONE, 0 },
	{ "setuid", step_setuid, HS_NONE, 0 },
	{ "write_map", step_write_map, HS_NONE, 0 },
	{ "thread", step_thread, HS_NONE, 0 },
	{ "observe", step_observe, HS_NONE, 0 },
	{ "mount_proc", step_mount_proc, HS_NONE, 0 },
	{ "set_pdeathsig", step_set_pdeathsig, HS_NONE, 0 },
	{ "kill", step_kill, HS_NONE, 0 },
	{ "setresuid", step_setresuid, HS_NONE, 0 },
	{ "setresgid", step_setresgid, HS_NONE, 0 },
	{ "setgroups", step_setgroups, HS_NONE, 0 },
	{ "capset", step_capset, HS_NONE, 0 },
	{ "prctl", step_prctl, HS_NONE, 0 },
	{ "mkdir", step_mkdir, HS_NONE, 0 },
	{ "mount", step_mount, HS_NONE, 0 },
	{ "umount", step_umount, HS_NONE, 0 },
	{ "pivot_root", step_pivot_root, HS_ALL, 1 },
	{ "readdir", step_readdir, HS_NONE, 0 },
	{ "chdir", step_chdir, HS_FSGROUP, 1 },
	{ "chroot", step_chroot, HS_FSGROUP, 1 },
	{ "getcwd", step_getcwd, HS_NONE, 0 },
};

void run_step(struct out *o, char *line)
{
	struct step s = { .o = o };
	size_t mark;

	split(line, &s.a);
	if (s.a.n < 2) {
		out_printf(o, "bad short step\n");
		return;
	}
	for (size_t i = 0; i < sizeof(step_table) / sizeof(step_table[0]); i++) {
		if (strcmp(s.a.tok[0], step_table[i].op))
			continue;
		s.by = (int)arg_int(&s.a, 1);
		s.p = running(arg_int(&s.a, 1));
		if (s.a.bad) {
			out_printf(o, "bad %s\n", s.a.bad);
		} else if (!s.p) {
			out_printf(o, "dead\n");
		} else {
			mark = o->len;
			step_table[i].run(&s);
			if (W.mounts && step_table[i].moves != HS_NONE)
				host_safety_check(step_table[i].op, (int)arg_int(&s.a, step_table[i].who),
						  step_table[i].moves);
			/* A malformed argument: the handler made no call and said nothing. */
			if (s.a.bad && o->len == mark)
				out_printf(o, "bad %s\n", s.a.bad);
		}
		return;
	}
	out_printf(o, "bad unknown op\n");
}
