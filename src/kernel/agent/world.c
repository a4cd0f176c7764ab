// SPDX-License-Identifier: MIT
/*
 * The supervisor's bookkeeping of one sandbox: traced processes by label index, the kind of
 * each descriptor label, and descriptor tables.
 *
 * A descriptor label names a descriptor number in one descriptor table. Tables are shared
 * and copied exactly where the kernel shares and copies them: a clone with CLONE_FILES
 * shares its parent's table, fork and clone without it copy it, a successful
 * unshare(CLONE_FILES) gives the caller a copy, and exec gives it a copy without the
 * close-on-exec descriptors (pidfds and NS_GET_USERNS/NS_GET_PARENT descriptors; `open`
 * ones stay). A table lives while a running traced process uses it. So after a close, one
 * table may reuse a number for another label while a copy still has the old label there,
 * and a label a process does not hold is passed to the kernel as -1, which answers EBADF.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct world W = { .pidns_fd = -1 };

/* Grow the array @p of *@cap elements so that index @need fits; new elements are zero. */
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

void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ---- processes ------------------------------------------------------------------------ */

struct proc *proc_slot(long long idx)
{
	if (idx < 0 || idx >= MAX_LABELS)
		return NULL;
	if (idx >= W.nprocs) {
		int old = W.nprocs;

		W.procs = grow(W.procs, &W.nprocs, (int)idx, sizeof(*W.procs));
		for (int i = old; i < W.nprocs; i++)
			W.procs[i] = (struct proc){ .state = PS_NONE, .sock = -1, .pidfd = -1,
						    .procdir = -1, .table = -1 };
	}
	return &W.procs[idx];
}

struct proc *running(long long idx)
{
	if (idx < 0 || idx >= W.nprocs || W.procs[idx].state != PS_RUNNING)
		return NULL;
	return &W.procs[idx];
}

bool unreaped(long long idx)
{
	if (idx < 0 || idx >= W.nprocs)
		return false;
	return W.procs[idx].state == PS_RUNNING || W.procs[idx].state == PS_ZOMBIE ||
	       W.procs[idx].state == PS_EXITING;
}

static int open_procdir(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/*
 * Start tracking a process clone3 just made: it cannot exit before its first command, so its
 * host PID is still its own. The pidfd and the /proc directory then stay valid however the
 * PID numbers are reused later.
 */
/* Is @p PID 1 of its own PID namespace? (Asked once: that never changes.) */
static bool is_pidns_init(const struct proc *p)
{
	int ns = open_pidns(p);
	bool init;

	if (ns < 0)
		return false;
	init = tgid_in_pidns(ns, p->hostpid) == 1;
	close(ns);
	return init;
}

int track_process(struct proc *p, pid_t hostpid, int sock)
{
	p->hostpid = hostpid;
	p->sbpid = 0;
	p->nthreads = 0;
	p->sock = sock;
	p->threaded = false;
	p->pidfd = sys_pidfd_open(hostpid);
	p->procdir = open_procdir(hostpid);
	if (p->pidfd < 0 || p->procdir < 0)
		return -1;
	/* p0 is PID 1 of the sandbox; the others are found in its PID namespace */
	if (W.pidns_fd < 0)
		p->sbpid = 1;
	else
		p->sbpid = tgid_in_pidns(W.pidns_fd, hostpid);
	if (p->sbpid <= 0)
		return -1;
	p->is_init = is_pidns_init(p);
	p->pdeathsig = false;
	p->state = PS_RUNNING;
	W.live_tasks++;
	return 0;
}

bool proc_exists(const struct proc *p)
{
	if (L.stale_books)
		return true;
	return p->pidfd >= 0 && pidfd_alive(p->pidfd);
}

/*
 * A target named in a /proc path: its PID in the sandbox's namespace while its process exists
 * (the pidfd says so, whatever the supervisor's books say), else 0, which names nothing.
 * Agents resolve it under PROC_FD, a procfs of the sandbox's PID namespace, where even a
 * wrong number could name only a process of the sandbox.
 */
pid_t sandbox_pid(long long idx)
{
	if (!unreaped(idx) || !proc_exists(&W.procs[idx]))
		return 0;
	return W.procs[idx].sbpid;
}

pid_t host_pid(long long idx)
{
	if (!unreaped(idx) || !proc_exists(&W.procs[idx]))
		return -1;
	return W.procs[idx].hostpid;
}

void world_abort(const char *fmt, ...)
{
	va_list ap;

	if (W.abort[0])
		return; /* the first reason is the one */
	va_start(ap, fmt);
	vsnprintf(W.abort, sizeof(W.abort), fmt, ap);
	va_end(ap);
}

int open_pidns(const struct proc *p)
{
	return openat(p->procdir, "ns/pid", O_RDONLY | O_CLOEXEC);
}

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
		W.live_tasks -= 1 + p->nthreads;
	}
	p->state = state;
}

/* ---- descriptor labels and tables ------------------------------------------------------ */

void set_fd_kind(long long label, enum fd_kind kind)
{
	if (label < 0 || label >= MAX_LABELS)
		return;
	if (label >= W.nlabels)
		W.kinds = grow(W.kinds, &W.nlabels, (int)label, sizeof(*W.kinds));
	W.kinds[label] = kind;
}

bool is_ns_fd(int label)
{
	return label >= 0 && label < W.nlabels &&
	       (W.kinds[label] == FK_NSFS || W.kinds[label] == FK_NSFS_CLOEXEC);
}

static bool is_cloexec(int label)
{
	return label < W.nlabels && (W.kinds[label] == FK_NSFS_CLOEXEC || W.kinds[label] == FK_PIDFD);
}

int fdtable_new(void)
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

static bool table_ok(int table)
{
	return table >= 0 && table < W.ntables && W.tables[table].refs > 0;
}

int fdtable_get(int table, long long label)
{
	if (!table_ok(table) || label < 0 || label >= W.tables[table].cap)
		return -1;
	return W.tables[table].fd[label];
}

void fdtable_set(int table, long long label, int fd)
{
	struct fdtable *t;

	if (!table_ok(table) || label < 0 || label >= MAX_LABELS)
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

void fdtable_forget_fd(int table, int fd)
{
	struct fdtable *t;

	if (!table_ok(table))
		return;
	t = &W.tables[table];
	for (int i = 0; i < t->cap; i++)
		if (t->fd[i] == fd)
			t->fd[i] = -1;
}

/* A new table with the labels of @table; without the close-on-exec ones for exec. */
static int fdtable_copy(int table, bool for_exec)
{
	int t = fdtable_new(); /* may move W.tables: index it afresh below */

	if (!table_ok(table))
		return t;
	for (int i = 0; i < W.tables[table].cap; i++) {
		int fd = W.tables[table].fd[i];

		if (fd >= 0 && !(for_exec && is_cloexec(i)))
			fdtable_set(t, i, fd);
	}
	return t;
}

void fdtable_share(int table)
{
	if (table_ok(table))
		W.tables[table].refs++;
}

void fdtable_put(int table)
{
	if (table_ok(table))
		W.tables[table].refs--;
}

int fdtable_fork(int table)
{
	return fdtable_copy(table, false);
}

void proc_private_table(struct proc *p, bool for_exec)
{
	int t = fdtable_copy(p->table, for_exec);

	fdtable_put(p->table);
	p->table = t;
}

/* ---- the whole world ---------------------------------------------------------------------- */

void world_free(void)
{
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
