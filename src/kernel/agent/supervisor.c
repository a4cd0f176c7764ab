// SPDX-License-Identifier: MIT
/*
 * The supervisor: Node's end of the kernel backend.
 *
 * Protocol with Node (stdin -> requests, stdout -> answers; one line each, tokens separated
 * by single spaces; strings as 'x' followed by their bytes in hex; labels as indices that
 * Node hands out in the order labels are defined, -1 for a label that does not exist):
 *
 *   S root|unprivileged x<hostname>   new sandbox      -> "ok" | "fail <message>"
 *   B <n>, then n step lines          run a batch      -> one result per step, then "end"
 *   O                                 snapshot         -> a snapshot block
 *   I <proc> <nsfile>                 raw identity     -> "id <type> <inode>" | "null"
 *   H                                 host PIDs        -> "pids <supervisor> <p>..."
 *   C                                 end the sandbox  -> "ok"
 *   Q                                 quit
 *
 * Step lines: "<op> <by> <args...>":
 *   fork BY AS | clone BY FLAGS AS | unshare BY FLAGS | setns BY FD NSTYPE
 *   open BY TARGET NSFILE AS | pidfd_open BY TARGET AS | close BY FD
 *   ioctl BY FD REQUEST AS | exec BY | exit BY CODE | wait BY
 *   sethostname BY xHEX | setdomainname BY xHEX | gethostname BY | getdomainname BY
 *   getpid BY | getppid BY | setuid BY UID | write_map BY TARGET MAPFILE xHEX
 *   thread BY | observe BY
 *
 * Results: "ok" | "ok i <integer>" | "ok s x<hex>" | "err <ERRNO>" | "dead" |
 * a snapshot block ("snap", lines P/F/N, "."; see observe.c) | "bad <why>" (a malformed line).
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct world W = { .pidns_fd = -1 };

/* Bounds on indices from Node, so that a broken request cannot make us allocate wildly. */
#define MAX_LABELS (1 << 20)

/* The namespaces of the sandbox; the user namespace stays the supervisor's. */
#define SANDBOX_FLAGS (CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | \
		       CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWTIME)

/* ---- output -------------------------------------------------------------------------- */

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			die("vsnprintf failed");
		if ((size_t)n < o->cap - o->len) {
			o->len += (size_t)n;
			return;
		}
		o->cap = (o->cap + (size_t)n + 1) * 2;
		o->p = realloc(o->p, o->cap);
		if (!o->p)
			die("out of memory");
	}
}

void out_hex(struct out *o, const char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	if (o->cap - o->len < 2 * len + 2) {
		o->cap = (o->cap + 2 * len + 2) * 2;
		o->p = realloc(o->p, o->cap);
		if (!o->p)
			die("out of memory");
	}
	o->p[o->len++] = 'x';
	for (size_t i = 0; i < len; i++) {
		o->p[o->len++] = digits[(unsigned char)data[i] >> 4];
		o->p[o->len++] = digits[(unsigned char)data[i] & 15];
	}
}

static void out_flush(struct out *o)
{
	size_t off = 0;

	while (off < o->len) {
		ssize_t n = write(1, o->p + off, o->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0); /* Node is gone */
		off += (size_t)n;
	}
	o->len = 0;
}

/* ---- parsing a request line ----------------------------------------------------------- */

struct args {
	char *tok[8];
	int n;
	const char *bad; /* why the line is malformed, or NULL */
};

static void split(char *line, struct args *a)
{
	char *save = NULL;

	a->n = 0;
	a->bad = NULL;
	for (char *t = strtok_r(line, " \n", &save); t && a->n < 8; t = strtok_r(NULL, " \n", &save))
		a->tok[a->n++] = t;
}

static long long arg_int(struct args *a, int i)
{
	char *end;
	long long v;

	if (i >= a->n) {
		a->bad = "missing argument";
		return 0;
	}
	errno = 0;
	v = strtoll(a->tok[i], &end, 10);
	if (errno || *end) {
		a->bad = "not a number";
		return 0;
	}
	return v;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode 'x<hex>' in place; the bytes are cut at AGENT_DATA_MAX. */
static char *arg_str(struct args *a, int i, size_t *len)
{
	char *s, *d;
	size_t n = 0;

	*len = 0;
	if (i >= a->n || a->tok[i][0] != 'x') {
		a->bad = "missing string";
		return NULL;
	}
	s = a->tok[i] + 1;
	d = a->tok[i];
	for (; s[0] && s[1]; s += 2) {
		int hi = hexval(s[0]), lo = hexval(s[1]);

		if (hi < 0 || lo < 0) {
			a->bad = "bad hex";
			return NULL;
		}
		if (n < AGENT_DATA_MAX)
			d[n++] = (char)(hi << 4 | lo);
	}
	*len = n;
	return d;
}

/* ---- processes, labels, descriptor tables ---------------------------------------------- */

static void *grow(void *p, int *cap, int need, size_t elem)
{
	int ncap = *cap ? *cap : 8;

	while (ncap <= need)
		ncap *= 2;
	p = realloc(p, (size_t)ncap * elem);
	if (!p)
		die("out of memory");
	memset((char *)p + (size_t)*cap * elem, 0, (size_t)(ncap - *cap) * elem);
	*cap = ncap;
	return p;
}

static struct proc *proc_slot(int idx)
{
	if (idx < 0 || idx >= MAX_LABELS)
		return NULL;
	if (idx >= W.nprocs) {
		int old = W.nprocs;

		W.procs = grow(W.procs, &W.nprocs, idx, sizeof(*W.procs));
		for (int i = old; i < W.nprocs; i++)
			W.procs[i] = (struct proc){ .state = PS_NONE, .sock = -1, .pidfd = -1,
						    .procdir = -1, .table = -1 };
	}
	return &W.procs[idx];
}

/* The process @idx if it can act, else NULL. */
static struct proc *running(long long idx)
{
	if (idx < 0 || idx >= W.nprocs || W.procs[idx].state != PS_RUNNING)
		return NULL;
	return &W.procs[idx];
}

/* A process that exists in the kernel (not reaped, made): its PID is still its own. */
static bool unreaped(long long idx)
{
	if (idx < 0 || idx >= W.nprocs)
		return false;
	return W.procs[idx].state == PS_RUNNING || W.procs[idx].state == PS_ZOMBIE ||
	       W.procs[idx].state == PS_EXITING;
}

static void set_kind(long long label, enum fd_kind kind)
{
	if (label < 0 || label >= MAX_LABELS)
		return;
	if (label >= W.nlabels)
		W.kinds = grow(W.kinds, &W.nlabels, (int)label, sizeof(*W.kinds));
	W.kinds[label] = kind;
}

static int fdtable_new(void)
{
	int t;

	for (t = 0; t < W.ntables; t++)
		if (W.tables[t].refs == 0)
			break;
	if (t == W.ntables)
		W.tables = grow(W.tables, &W.ntables, t, sizeof(*W.tables));
	W.tables[t].refs = 1;
	for (int i = 0; i < W.tables[t].cap; i++)
		W.tables[t].fd[i] = -1;
	return t;
}

int fdtable_get(int table, int label)
{
	if (table < 0 || label < 0 || label >= W.tables[table].cap)
		return -1;
	return W.tables[table].fd[label];
}

static void fdtable_set(int table, long long label, int fd)
{
	struct fdtable *t;

	if (table < 0 || label < 0 || label >= MAX_LABELS)
		return;
	t = &W.tables[table];
	if (label >= t->cap) {
		int old = t->cap;

		t->fd = grow(t->fd, &t->cap, (int)label, sizeof(*t->fd));
		for (int i = old; i < t->cap; i++)
			t->fd[i] = -1;
	}
	t->fd[label] = fd;
}

/* A closed descriptor number: every label that named it in this table is gone. */
static void fdtable_forget_fd(int table, int fd)
{
	struct fdtable *t = &W.tables[table];

	for (int i = 0; i < t->cap; i++)
		if (t->fd[i] == fd)
			t->fd[i] = -1;
}

/* A private copy of @table; with @drop_cloexec, what exec leaves of it. */
static int fdtable_copy(int table, bool drop_cloexec)
{
	int t = fdtable_new();

	for (int i = 0; i < W.tables[table].cap; i++) {
		int fd = W.tables[table].fd[i];
		enum fd_kind k = i < W.nlabels ? W.kinds[i] : FK_UNDEFINED;

		if (fd < 0 || (drop_cloexec && (k == FK_NSFS_CLOEXEC || k == FK_PIDFD)))
			continue;
		fdtable_set(t, i, fd);
	}
	return t;
}

static void fdtable_put(int table)
{
	if (table >= 0)
		W.tables[table].refs--;
}

/* The process got a private table (unshare(CLONE_FILES), exec). */
static void proc_private_table(struct proc *p, bool drop_cloexec)
{
	int t = fdtable_copy(p->table, drop_cloexec);

	fdtable_put(p->table);
	p->table = t;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Record what settling found; a process that stopped running drops its table and socket. */
void proc_set_state(int idx, enum pstate state)
{
	struct proc *p = &W.procs[idx];

	if (p->state == state)
		return;
	if (p->state == PS_RUNNING) {
		fdtable_put(p->table);
		p->table = -1;
		close_fd(&p->sock);
	}
	if (state == PS_REAPED) {
		close_fd(&p->pidfd);
		close_fd(&p->procdir);
	}
	p->state = state;
}

/* ---- talking to agents ------------------------------------------------------------------- */

int agent_send(int idx, const struct agent_cmd *cmd, const void *data)
{
	struct proc *p = &W.procs[idx];
	struct iovec iov[2] = {
		{ .iov_base = (void *)cmd, .iov_len = sizeof(*cmd) },
		{ .iov_base = (void *)data, .iov_len = cmd->len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = cmd->len ? 2 : 1 };

	while (sendmsg(p->sock, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Has the process stopped being able to answer: exited, or exiting? */
static bool agent_gone(struct proc *p)
{
	struct pollfd pf = { .fd = p->pidfd, .events = POLLIN };
	char buf[512];
	ssize_t n;
	int fd;
	char *close_paren;
	unsigned long flags = 0;

	if (poll(&pf, 1, 0) > 0)
		return true;
	fd = openat(p->procdir, "stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	if (!close_paren ||
	    sscanf(close_paren + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return true;
	return (flags & 0x4) != 0; /* PF_EXITING */
}

/*
 * Wait for the answer of agent @idx. Returns 0 with the reply (and a passed descriptor),
 * or -1 when the process can no longer answer.
 */
int agent_recv(int idx, struct agent_reply *r, char *data, size_t cap, int *passed_fd)
{
	struct proc *p = &W.procs[idx];
	char buf[sizeof(struct agent_reply) + 256];
	union {
		struct cmsghdr hdr;
		char b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov[2] = {
		{ .iov_base = r, .iov_len = sizeof(*r) },
		{ .iov_base = data ? data : buf, .iov_len = data ? cap : sizeof(buf) },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	struct pollfd pf[2] = { { .fd = p->sock, .events = POLLIN }, { .fd = p->pidfd, .events = POLLIN } };
	ssize_t n;

	if (passed_fd)
		*passed_fd = -1;
	for (;;) {
		int ready = poll(pf, 2, 100);

		if (ready < 0 && errno != EINTR)
			return -1;
		if (pf[0].revents & POLLIN)
			break;
		if ((pf[0].revents & (POLLHUP | POLLERR)) || (pf[1].revents & POLLIN))
			return -1;
		if (ready == 0 && agent_gone(p))
			return -1;
	}
	msg.msg_control = cm.b;
	msg.msg_controllen = sizeof(cm.b);
	do
		n = recvmsg(p->sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < (ssize_t)sizeof(*r))
		return -1;
	if (msg.msg_controllen >= CMSG_LEN(sizeof(int))) {
		struct cmsghdr *h = CMSG_FIRSTHDR(&msg);

		if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
			int fd;

			memcpy(&fd, CMSG_DATA(h), sizeof(int));
			if (passed_fd)
				*passed_fd = fd;
			else
				close(fd);
		}
	}
	return 0;
}

/* One call: send, wait for the answer. -1 when the agent cannot answer. */
static int agent_call(int idx, struct agent_cmd *cmd, const void *data, struct agent_reply *r,
		      char *rdata, size_t rcap, int *passed_fd)
{
	if (agent_send(idx, cmd, data) < 0)
		return -1;
	return agent_recv(idx, r, rdata, rcap, passed_fd);
}

/* ---- PIDs across namespaces --------------------------------------------------------------- */

/* Open the active PID namespace of process @p. */
static int open_pidns(struct proc *p)
{
	return openat(p->procdir, "ns/pid", O_RDONLY | O_CLOEXEC);
}

/* The host PID of the child a process just made, from the PID the process saw. */
static pid_t host_pid_of_child(struct proc *parent, pid_t vpid)
{
	int ns = open_pidns(parent);
	int pid;

	if (ns < 0)
		return -1;
	pid = ioctl(ns, NSA_GET_TGID_FROM_PIDNS, vpid);
	close(ns);
	return pid;
}

/*
 * The PID of @target as @caller's PID namespace sees it; INT_MAX (a PID no namespace ever
 * hands out) when it cannot see it, or the target is reaped or was never made, so that the
 * kernel answers ESRCH itself.
 */
static pid_t pid_seen_by(struct proc *caller, long long target)
{
	int ns, pid;

	if (!unreaped(target))
		return INT_MAX;
	ns = open_pidns(caller);
	if (ns < 0)
		return INT_MAX;
	pid = ioctl(ns, NSA_GET_TGID_IN_PIDNS, W.procs[target].hostpid);
	close(ns);
	return pid > 0 ? pid : INT_MAX;
}

/* A target named in a /proc path: its host PID, or 0 (no /proc/0: ENOENT) when it is gone. */
static pid_t proc_path_pid(long long target)
{
	return unreaped(target) ? W.procs[target].hostpid : 0;
}

static int open_procdir(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Start tracking a process just made by clone3 (its PID fixed, it cannot exit yet). */
static int track_process(struct proc *c, pid_t hostpid, int sock)
{
	c->hostpid = hostpid;
	c->sock = sock;
	c->pidfd = sys_pidfd_open(hostpid);
	c->procdir = open_procdir(hostpid);
	c->threaded = false;
	if (c->pidfd < 0 || c->procdir < 0)
		return -1;
	c->state = PS_RUNNING;
	return 0;
}

/* ---- steps ---------------------------------------------------------------------------- */

static void out_result(struct out *o, const struct agent_reply *r, bool with_value)
{
	if (r->err)
		out_printf(o, "err %s\n", errno_name(r->err));
	else if (with_value)
		out_printf(o, "ok i %lld\n", (long long)r->value);
	else
		out_printf(o, "ok\n");
}

/* The agent of @by stopped answering in the middle of a step. */
static void out_lost(struct out *o)
{
	settle();
	out_printf(o, "dead\n");
}

static void step_clone(struct out *o, int by, uint64_t flags, long long as)
{
	struct proc *p = &W.procs[by], *c;
	struct agent_cmd cmd = { .op = AOP_CLONE, .fd = -1, .arg = flags };
	struct agent_reply r;
	pid_t hostpid;
	int sock;

	if (agent_call(by, &cmd, NULL, &r, NULL, 0, &sock) < 0) {
		out_lost(o);
		return;
	}
	if (r.err) {
		out_result(o, &r, false);
		return;
	}
	c = proc_slot((int)as);
	hostpid = host_pid_of_child(p, (pid_t)r.value);
	if (!c || c->state != PS_NONE || sock < 0 || hostpid <= 0 || track_process(c, hostpid, sock) < 0) {
		warnx("cannot track the child %lld of label %lld", (long long)r.value, as);
		close_fd(&sock);
		out_result(o, &r, true);
		return;
	}
	if (flags & CLONE_FILES) {
		c->table = p->table;
		W.tables[p->table].refs++;
	} else {
		c->table = fdtable_copy(p->table, false);
	}
	out_result(o, &r, true);
}

/* A step that is one call of the agent with no bookkeeping besides its result. */
static int simple_call(struct out *o, int by, struct agent_cmd *cmd, const void *data,
		       struct agent_reply *r, bool with_value)
{
	if (agent_call(by, cmd, data, r, NULL, 0, NULL) < 0) {
		out_lost(o);
		return -1;
	}
	out_result(o, r, with_value);
	return r->err ? -1 : 0;
}

static void step_ioctl(struct out *o, int by, int fd, long long req, long long as)
{
	struct agent_cmd cmd = { .op = AOP_IOCTL, .fd = fd, .arg = (uint64_t)req };
	struct agent_reply r;
	const char *name;

	if (agent_call(by, &cmd, NULL, &r, NULL, 0, NULL) < 0) {
		out_lost(o);
		return;
	}
	if (r.err || req < 0 || req >= IOCTL_REQ_COUNT) {
		out_result(o, &r, false);
		return;
	}
	switch (ioctl_requests[req]) {
	case NSA_GET_USERNS:
	case NSA_GET_PARENT:
		if (as >= 0) {
			set_kind(as, FK_NSFS_CLOEXEC);
			fdtable_set(W.procs[by].table, as, (int)r.value);
		}
		out_printf(o, "ok\n");
		break;
	case NSA_GET_NSTYPE:
		name = nstype_name((int)r.value);
		if (name) {
			out_printf(o, "ok s ");
			out_hex(o, name, strlen(name));
			out_printf(o, "\n");
		} else {
			out_result(o, &r, true);
		}
		break;
	default:
		out_result(o, &r, true);
		break;
	}
}

static void step_getname(struct out *o, int by, bool domain)
{
	struct agent_cmd cmd = { .op = AOP_UNAME, .fd = -1 };
	struct agent_reply r;
	char data[160];
	size_t n;

	if (agent_call(by, &cmd, NULL, &r, data, sizeof(data) - 1, NULL) < 0) {
		out_lost(o);
		return;
	}
	if (r.err) {
		out_result(o, &r, false);
		return;
	}
	data[r.len < sizeof(data) ? r.len : sizeof(data) - 1] = '\0';
	n = strlen(data);
	out_printf(o, "ok s ");
	if (domain)
		out_hex(o, data + n + 1, strlen(data + n + 1));
	else
		out_hex(o, data, n);
	out_printf(o, "\n");
}

/* `exit`: the agent ends itself without answering; settling says what became of it. */
static void step_exit(struct out *o, int by, long long code)
{
	struct agent_cmd cmd = { .op = AOP_EXIT, .fd = -1, .arg = (uint64_t)code };

	agent_send(by, &cmd, NULL);
	settle();
	out_printf(o, "ok\n");
}

/* Run one step line. */
static void run_step(struct out *o, char *line)
{
	struct args a;
	struct agent_cmd cmd = { .fd = -1 };
	struct agent_reply r;
	struct proc *p;
	const char *op;
	char *data = NULL;
	size_t len = 0;
	long long by;
	int bi;

	split(line, &a);
	if (a.n < 2) {
		out_printf(o, "bad short step\n");
		return;
	}
	op = a.tok[0];
	by = arg_int(&a, 1);
	p = running(by);
	if (a.bad) {
		out_printf(o, "bad %s\n", a.bad);
		return;
	}
	if (!p) {
		out_printf(o, "dead\n");
		return;
	}
	bi = (int)by;

#define FD_ARG(i) fdtable_get(p->table, (int)arg_int(&a, (i)))

	if (!strcmp(op, "fork") || !strcmp(op, "clone")) {
		bool fork = !strcmp(op, "fork");
		uint64_t flags = fork ? 0 : (uint64_t)arg_int(&a, 2);
		long long as = arg_int(&a, fork ? 2 : 3);

		if (!a.bad)
			step_clone(o, bi, flags, as);
	} else if (!strcmp(op, "unshare")) {
		cmd.op = AOP_UNSHARE;
		cmd.arg = (uint64_t)arg_int(&a, 2);
		if (!a.bad && simple_call(o, bi, &cmd, NULL, &r, false) == 0 && (cmd.arg & CLONE_FILES))
			proc_private_table(p, false);
	} else if (!strcmp(op, "setns")) {
		cmd.op = AOP_SETNS;
		cmd.fd = FD_ARG(2);
		cmd.arg = (uint64_t)arg_int(&a, 3);
		if (!a.bad)
			simple_call(o, bi, &cmd, NULL, &r, false);
	} else if (!strcmp(op, "open")) {
		long long as = arg_int(&a, 4);

		cmd.op = AOP_OPEN_NS;
		cmd.pid = proc_path_pid(arg_int(&a, 2));
		cmd.file = (uint32_t)arg_int(&a, 3);
		if (!a.bad && simple_call(o, bi, &cmd, NULL, &r, false) == 0) {
			set_kind(as, FK_NSFS);
			fdtable_set(p->table, as, (int)r.value);
		}
	} else if (!strcmp(op, "pidfd_open")) {
		long long as = arg_int(&a, 3);

		cmd.op = AOP_PIDFD_OPEN;
		cmd.pid = pid_seen_by(p, arg_int(&a, 2));
		if (!a.bad && simple_call(o, bi, &cmd, NULL, &r, false) == 0) {
			set_kind(as, FK_PIDFD);
			fdtable_set(p->table, as, (int)r.value);
		}
	} else if (!strcmp(op, "close")) {
		cmd.op = AOP_CLOSE;
		cmd.fd = FD_ARG(2);
		if (!a.bad && simple_call(o, bi, &cmd, NULL, &r, false) == 0)
			fdtable_forget_fd(p->table, cmd.fd);
	} else if (!strcmp(op, "ioctl")) {
		int fd = FD_ARG(2);
		long long req = arg_int(&a, 3), as = arg_int(&a, 4);

		if (!a.bad)
			step_ioctl(o, bi, fd, req, as);
	} else if (!strcmp(op, "exec")) {
		cmd.op = AOP_EXEC;
		if (simple_call(o, bi, &cmd, NULL, &r, false) == 0)
			proc_private_table(p, true);
	} else if (!strcmp(op, "exit")) {
		long long code = arg_int(&a, 2);

		if (!a.bad)
			step_exit(o, bi, code);
	} else if (!strcmp(op, "wait")) {
		cmd.op = AOP_WAIT;
		if (simple_call(o, bi, &cmd, NULL, &r, true) == 0 && r.value > 0)
			settle(); /* a reaped zombie may let an exiting init finish */
	} else if (!strcmp(op, "sethostname") || !strcmp(op, "setdomainname")) {
		cmd.op = !strcmp(op, "sethostname") ? AOP_SETHOSTNAME : AOP_SETDOMAINNAME;
		data = arg_str(&a, 2, &len);
		cmd.len = (uint32_t)len;
		if (!a.bad)
			simple_call(o, bi, &cmd, data, &r, false);
	} else if (!strcmp(op, "gethostname") || !strcmp(op, "getdomainname")) {
		step_getname(o, bi, !strcmp(op, "getdomainname"));
	} else if (!strcmp(op, "getpid") || !strcmp(op, "getppid")) {
		cmd.op = !strcmp(op, "getpid") ? AOP_GETPID : AOP_GETPPID;
		simple_call(o, bi, &cmd, NULL, &r, true);
	} else if (!strcmp(op, "setuid")) {
		cmd.op = AOP_SETUID;
		cmd.arg = (uint64_t)arg_int(&a, 2);
		if (!a.bad)
			simple_call(o, bi, &cmd, NULL, &r, false);
	} else if (!strcmp(op, "write_map")) {
		cmd.op = AOP_WRITE_MAP;
		cmd.pid = proc_path_pid(arg_int(&a, 2));
		cmd.file = (uint32_t)arg_int(&a, 3);
		data = arg_str(&a, 4, &len);
		cmd.len = (uint32_t)len;
		if (!a.bad)
			simple_call(o, bi, &cmd, data, &r, false);
	} else if (!strcmp(op, "thread")) {
		cmd.op = AOP_THREAD;
		if (simple_call(o, bi, &cmd, NULL, &r, false) == 0)
			p->threaded = true;
	} else if (!strcmp(op, "observe")) {
		observe(o);
	} else {
		out_printf(o, "bad unknown op\n");
		return;
	}
#undef FD_ARG
	if (a.bad)
		out_printf(o, "bad %s\n", a.bad);
}

/* ---- the sandbox ---------------------------------------------------------------------- */

static void sandbox_stop(void)
{
	struct proc *p0 = W.nprocs > 0 ? &W.procs[0] : NULL;
	siginfo_t si;

	if (!W.active)
		return;
	/* SIGKILL to PID 1 from the parent namespace is always delivered; the kernel then
	 * kills the whole namespace and p0 becomes our zombie once it is empty. */
	if (p0 && p0->pidfd >= 0) {
		sys_pidfd_send_signal(p0->pidfd, SIGKILL);
		while (waitid(P_PIDFD, (id_t)p0->pidfd, &si, WEXITED) < 0 && errno == EINTR)
			;
	}
	for (int i = 0; i < W.nprocs; i++) {
		close_fd(&W.procs[i].sock);
		close_fd(&W.procs[i].pidfd);
		close_fd(&W.procs[i].procdir);
	}
	for (int t = 0; t < W.ntables; t++)
		free(W.tables[t].fd);
	free(W.procs);
	free(W.kinds);
	free(W.tables);
	close_fd(&W.pidns_fd);
	W = (struct world){ .pidns_fd = -1 };
}

/* How many NSpid entries p0 has above its own: those are the machine's levels. */
static int count_nspid_drop(struct proc *p0)
{
	struct pstatus st;

	if (read_status(p0->procdir, &st) < 0 || st.nspid_len < 1)
		return -1;
	return st.nspid_len - 1;
}

static void sandbox_start(struct out *o, char *line)
{
	struct args a;
	struct agent_reply r;
	char msg[300];
	struct proc *p0;
	struct stat st;
	bool unprivileged;
	size_t hostlen;
	char *host;
	int sv[2], sup_end, p0_end;
	long pid;

	sandbox_stop();
	split(line, &a);
	unprivileged = a.n > 1 && !strcmp(a.tok[1], "unprivileged");
	host = arg_str(&a, 2, &hostlen);
	if (a.bad || (strcmp(a.tok[1], "root") && !unprivileged)) {
		out_printf(o, "fail malformed start request\n");
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		out_printf(o, "fail socketpair: %s\n", strerror(errno));
		return;
	}
	sup_end = move_fd(sv[0], CTL_FD_BASE, true);
	p0_end = move_fd(sv[1], CTL_FD_BASE, false);

	pid = sys_clone3(SANDBOX_FLAGS, SIGCHLD);
	if (pid == 0)
		p0_main(p0_end, unprivileged, host, hostlen);
	close(p0_end);
	if (pid < 0) {
		out_printf(o, "fail cannot create the sandbox namespaces: %s\n", strerror(errno));
		close(sup_end);
		return;
	}

	W.active = true;
	p0 = proc_slot(0);
	if (track_process(p0, (pid_t)pid, sup_end) < 0) {
		out_printf(o, "fail cannot watch the sandbox's init: %s\n", strerror(errno));
		sandbox_stop();
		return;
	}
	p0->table = fdtable_new();

	/* p0 answers once it is ready (or says why it could not get ready). */
	if (agent_recv(0, &r, msg, sizeof(msg) - 1, NULL) < 0 || r.err) {
		msg[r.err && r.len < sizeof(msg) ? r.len : 0] = '\0';
		out_printf(o, "fail the sandbox's init did not start%s%s\n", msg[0] ? ": " : "", msg);
		sandbox_stop();
		return;
	}
	W.pidns_fd = open_pidns(p0);
	W.nspid_drop = count_nspid_drop(p0);
	if (W.pidns_fd < 0 || fstat(W.pidns_fd, &st) < 0 || W.nspid_drop < 0) {
		out_printf(o, "fail cannot read the sandbox's PID namespace\n");
		sandbox_stop();
		return;
	}
	W.pidns_ino = st.st_ino;
	out_printf(o, "ok\n");
}

static void host_pids(struct out *o)
{
	out_printf(o, "pids %d", (int)getpid());
	for (int i = 0; i < W.nprocs; i++)
		if (unreaped(i))
			out_printf(o, " %d", (int)W.procs[i].hostpid);
	out_printf(o, "\n");
}

/* ---- main loop ------------------------------------------------------------------------------ */

/* Die with the harness; keep the defaults the kernel's wait semantics rely on. */
static void supervisor_setup(pid_t harness)
{
	struct rlimit rl;
	sigset_t none;
	char self[32];
	ssize_t n;
	int exe;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("PR_SET_PDEATHSIG: %s", strerror(errno));
	if (harness > 0 && getppid() != harness)
		_exit(0); /* the harness died before we could arm the signal */
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* Three descriptors per traced process here, and room above EXE_FD in the agents. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < FD_LIMIT)
		die("RLIMIT_NOFILE is %llu; the agent needs %d descriptors",
		    (unsigned long long)rl.rlim_cur, FD_LIMIT);
	exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (exe < 0 || dup2(exe, EXE_FD) != EXE_FD)
		die("cannot keep a descriptor of the agent binary: %s", strerror(errno));
	close(exe);

	/* The /proc we read must show our PID namespace: host PIDs are the same to both. */
	n = readlink("/proc/self", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if (atoi(self) != getpid())
		die("/proc does not belong to this PID namespace");
}

int supervisor_main(pid_t harness)
{
	struct out o = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	supervisor_setup(harness);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		switch (line[0]) {
		case 'S':
			sandbox_start(&o, line);
			break;
		case 'B': {
			long count = strtol(line + 1, NULL, 10);

			for (long i = 0; i < count && getline(&line, &cap, stdin) > 0; i++) {
				if (W.active)
					run_step(&o, line);
				else
					out_printf(&o, "bad no sandbox\n");
			}
			out_printf(&o, "end\n");
			break;
		}
		case 'O':
			if (W.active)
				observe(&o);
			else
				out_printf(&o, "fail no sandbox\n");
			break;
		case 'I': {
			struct args a;

			split(line, &a);
			if (W.active)
				identity(&o, (int)arg_int(&a, 1), (int)arg_int(&a, 2));
			else
				out_printf(&o, "null\n");
			break;
		}
		case 'H':
			host_pids(&o);
			break;
		case 'C':
			sandbox_stop();
			out_printf(&o, "ok\n");
			break;
		case 'Q':
			sandbox_stop();
			return 0;
		default:
			out_printf(&o, "fail unknown request\n");
			break;
		}
		out_flush(&o);
	}
	sandbox_stop();
	return 0;
}
