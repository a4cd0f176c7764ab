/* SPDX-License-Identifier: MIT */
/*
 * The supervisor's internals: its view of one sandbox (world.c), the agents' control
 * sockets (channel.c), the text protocol with Node (proto.c), steps (steps.c), settling
 * (settle.c), /proc reading (procfs.c) and observation (observe.c).
 */
#ifndef NSAGENT_SUPERVISOR_H
#define NSAGENT_SUPERVISOR_H

#include "nsagent.h"

/* ---- world.c: traced processes, descriptor labels and tables --------------------------- */

enum pstate {
	PS_NONE,     /* never made: the label's fork/clone failed or never ran */
	PS_RUNNING,
	PS_ZOMBIE,
	PS_EXITING,  /* an init that exited and waits in zap_pid_ns_processes() */
	PS_REAPED,
};

struct proc {
	enum pstate state;
	pid_t hostpid;   /* in the supervisor's PID namespace (= the /proc we read); a number
			  * only: never used to reach the process, only to ask the kernel
			  * about it after its pidfd said it still exists */
	pid_t sbpid;     /* in the sandbox's PID namespace: what the agents' PROC_FD names */
	int sock;        /* supervisor's end of the control socket, -1 once not running */
	int pidfd;       /* until reaped: liveness without PID reuse races */
	int procdir;     /* /proc/<hostpid>, until reaped */
	int table;       /* descriptor table, -1 once not running */
	bool threaded;   /* made a thread at some point: settling looks at every task */
	int nthreads;    /* threads made by `thread` steps (counted in W.live_tasks) */
	int tgroup;      /* the label of its thread group's first traced process (CLONE_THREAD) */
	int fsgroup;     /* the label of the first traced process of its fs_struct (CLONE_FS
			  * shares it; an unshare that splits it off is not followed: the group
			  * only ever says who may share, for hostsafe.c) */
	bool is_init;    /* PID 1 of its PID namespace: its death kills the namespace */
	bool pdeathsig;  /* armed a parent-death signal: another's death may kill it */
	bool named;      /* it or an ancestor ran `exec` with argv: its cmdline is the trace's */
};

enum fd_kind {
	FK_UNDEFINED,
	FK_NSFS,          /* `open` of a namespace file: not close-on-exec */
	FK_NSFS_CLOEXEC,  /* NS_GET_USERNS / NS_GET_PARENT: close-on-exec */
	FK_PIDFD,         /* pidfd_open: close-on-exec, not a namespace */
};

struct fdtable {
	int refs;  /* running traced processes using it; 0: a free slot */
	int cap;
	int *fd;   /* per descriptor label: its number, or -1 */
};

struct world {
	bool active;          /* a sandbox exists */
	bool creds;           /* snapshots have C lines (the sandbox was started with caps) */
	bool mounts;          /* the trace's own root, and M lines in snapshots (setup.mounts) */
	struct proc *procs;   /* by process label index; p0 is 0 */
	int nprocs;
	enum fd_kind *kinds;  /* by descriptor label index */
	int nlabels;
	struct fdtable *tables;
	int ntables;
	int pidns_fd;         /* the sandbox's PID namespace (the trace's initial one) */
	ino_t pidns_ino;
	int nspid_drop;       /* NSpid entries above the sandbox's PID namespace */
	int live_tasks;       /* traced processes not reaped, and their extra threads */
	char abort[256];      /* why the run cannot go on (a limit, or the kernel did not
			       * settle), or ""; once set, no step runs any more */
};

/* Limits of one sandbox (supervisor.c reads them from the environment at start). */
struct limits {
	bool agent_dynamic;   /* this binary has an ELF interpreter (no static C library here, or
			       * the sanitizers' build): on a trace's own root (mounts) it cannot
			       * exec itself, the interpreter's path being gone */
	int max_tasks;        /* NSAGENT_MAX_PROCS: live processes and threads */
	long long settle_ns;  /* NSAGENT_SETTLE_MS: how long the kernel may take to settle */
	bool stale_books;     /* NSAGENT_FAULT=stale-books, for the host-safety tests only: never
			       * settle, never ask a pidfd, so that the supervisor's books go stale
			       * and only the sandbox's own procfs keeps steps inside the sandbox */
	bool one_guard;       /* NSAGENT_FAULT=one-guard, for the host-safety tests only: no
			       * mountinfo check after setns, so that hostsafe.c alone must end a
			       * run that reaches the machine's rootfs */
};
extern struct limits L;

/* Why a dynamically linked agent cannot exec on a trace's own root (L.agent_dynamic). */
#define DYNAMIC_AGENT_ON_OWN_ROOT "the kernel agent is linked dynamically (no static C library " \
	"where it was built), so it cannot exec itself on a trace's own root (setup.mounts: its " \
	"ELF interpreter's path is gone there); build it statically for exec and unprivileged " \
	"setups in mount traces"


extern struct world W;

/* Bound on indices from Node, so that a broken request cannot make us allocate wildly. */
#define MAX_LABELS (1 << 20)

void close_fd(int *fd);
struct proc *proc_slot(long long idx);      /* the slot of a process label, grown on demand */
struct proc *running(long long idx);        /* the process if it can act, else NULL */
bool unreaped(long long idx);               /* made and not reaped: its PID is its own */
int track_process(struct proc *p, pid_t hostpid, int sock);
int open_pidns(const struct proc *p);       /* its active PID namespace */
bool proc_exists(const struct proc *p);     /* its pidfd says it is not reaped */
pid_t sandbox_pid(long long idx);           /* its PID in the sandbox's namespace, or 0 */
pid_t host_pid(long long idx);              /* its PID here if it still exists, or -1 */
void world_abort(const char *fmt, ...)      /* end the run: no step runs after this */
	__attribute__((format(printf, 1, 2)));
void proc_set_state(int idx, enum pstate state);
void set_fd_kind(long long label, enum fd_kind kind);
bool is_ns_fd(int label);
int fdtable_new(void);
int fdtable_get(int table, long long label); /* the descriptor, or -1 */
void fdtable_set(int table, long long label, int fd);
void fdtable_forget_fd(int table, int fd);   /* a closed number: every label on it goes */
void fdtable_share(int table);               /* CLONE_FILES */
int fdtable_fork(int table);                 /* a copy, as fork makes */
void fdtable_put(int table);
void proc_private_table(struct proc *p, bool for_exec); /* unshare(CLONE_FILES), exec */
void world_free(void);

/* ---- channel.c ---------------------------------------------------------------------------- */

int agent_send(int idx, const struct agent_cmd *cmd, const void *data);
/* Wait for the answer: 0 with the reply (and a passed descriptor), -1 if it cannot come. */
int agent_recv(int idx, struct agent_reply *r, char *data, size_t cap, int *passed_fd);
int agent_call(int idx, const struct agent_cmd *cmd, const void *data, struct agent_reply *r,
	       char *rdata, size_t rcap, int *passed_fd);

/* uname()'s answer: two fields of at most 64 bytes and their NULs, with room to spare. */
#define UNAME_ANSWER_MAX 160

/* ---- proto.c ------------------------------------------------------------------------------ */

struct out {
	char *p;
	size_t len, cap;
};
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_hex(struct out *o, const char *data, size_t len); /* 'x' and the hex of the bytes */
void out_flush(struct out *o);

#define ARGS_MAX 8
struct args {
	char *tok[ARGS_MAX];
	int n;
	const char *bad; /* why the line is malformed, or NULL */
};
void split(char *line, struct args *a);
long long arg_int(struct args *a, int i);
char *arg_str(struct args *a, int i, size_t *len); /* decoded in place, cut at AGENT_DATA_MAX */

/* ---- hostsafe.c: no root or working directory outside the trace's own filesystems ---------- */

/* Before a sandbox with mounts: note the machine's filesystems; NULL, or what failed. */
const char *host_safety_start(void);
/* Whose roots and working directories a step may have moved (hostsafe.c). */
enum hs_scope {
	HS_NONE,    /* the step moves no root or working directory */
	HS_ONE,     /* the process @label (setns, unshare; the child of fork, clone) */
	HS_FSGROUP, /* every process that may share @label's fs_struct (chdir, chroot) */
	HS_ALL,     /* every traced process (pivot_root's chroot_fs_refs()) */
};
/* After a step @op: end the run if a root or working directory in @scope is outside the trace's. */
void host_safety_check(const char *op, int label, enum hs_scope scope);

/* ---- steps.c, settle.c -------------------------------------------------------------------- */

void run_step(struct out *o, char *line);
/*
 * Wait until the kernel has settled what a step of @actor (and @target, or -1) started; false
 * (and the run aborted) when it did not settle in time.
 */
bool settle(int actor, int target);

/* ---- compat.c: newer calls, done another way on older kernels ------------------------------- */

/* NS_GET_TGID_IN_PIDNS: the TGID host @pid has in PID namespace @ns; -1 (ESRCH) if none. */
pid_t tgid_in_pidns(int ns, pid_t pid);
/* NS_GET_TGID_FROM_PIDNS: the host TGID of the task whose PID in @ns is @vpid; -1 if none. */
pid_t tgid_from_pidns(int ns, pid_t vpid);
/* PIDFD_GET_INFO succeeds: the process of @pidfd is not yet reaped. */
bool pidfd_alive(int pidfd);
/* A pidfd's poll answer @revents says its process is reaped (POLLHUP, or what older kernels say). */
bool pidfd_reaped(int pidfd, short revents);

/* ---- procfs.c ----------------------------------------------------------------------------- */

struct task_stat {
	char state;          /* R S D Z X ... */
	unsigned long flags; /* PF_* */
};
int read_task_stat(int dir, const char *path, struct task_stat *ts);

enum zap_wait {
	ZAP_NONE,
	ZAP_CHILDREN,   /* blocked in zap_pid_ns_processes()'s kernel_wait4(): wchan "do_wait" */
	ZAP_FINAL_LOOP, /* blocked in its final loop: wchan "zap_pid_ns_processes" */
};
enum zap_wait read_zap_wait(int dir, const char *wchan_path);

#define NSPID_MAX 40 /* 33 levels of PID namespaces below the machine's, and some to spare */
struct pstatus {
	unsigned long uid;    /* real uid, as the supervisor's user namespace sees it */
	int nspid[NSPID_MAX]; /* NSpid: from the /proc's PID namespace down */
	int nspid_len;
};
int read_status(int procdir, struct pstatus *st);
ssize_t read_proc_file(int dir, const char *path, char *buf, size_t size); /* NUL-terminated; its length or -1 */

/* ---- observe.c ---------------------------------------------------------------------------- */

void observe(struct out *o);
void identity(struct out *o, long long idx, long long file);

/* ---- view.c ------------------------------------------------------------------------------- */

void view(struct out *o);

#endif /* NSAGENT_SUPERVISOR_H */
