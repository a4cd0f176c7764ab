/* SPDX-License-Identifier: MIT */
/*
 * The supervisor's view of one sandbox: the traced processes (by label index, in the order
 * their labels were defined), the descriptor labels, and the descriptor tables that map
 * labels to descriptor numbers (shared between processes exactly as the kernel shares
 * them: CLONE_FILES shares, fork copies, unshare(CLONE_FILES) and exec copy).
 */
#ifndef NSAGENT_SUPERVISOR_H
#define NSAGENT_SUPERVISOR_H

#include "nsagent.h"

enum pstate {
	PS_NONE,     /* never made: the label's fork/clone failed or never ran */
	PS_RUNNING,
	PS_ZOMBIE,
	PS_EXITING,  /* an init that exited and waits in zap_pid_ns_processes() */
	PS_REAPED,
};

struct proc {
	enum pstate state;
	pid_t hostpid;   /* in the supervisor's PID namespace (= the /proc we read) */
	int sock;        /* supervisor's end of the control socket, -1 once not running */
	int pidfd;       /* until reaped: liveness without PID reuse races */
	int procdir;     /* /proc/<hostpid>, until reaped */
	int table;       /* descriptor table, -1 once not running */
	bool threaded;   /* made a thread at some point: settle looks at every task */
};

enum fd_kind {
	FK_UNDEFINED,
	FK_NSFS,          /* `open` of a namespace file: not close-on-exec */
	FK_NSFS_CLOEXEC,  /* NS_GET_USERNS / NS_GET_PARENT: close-on-exec */
	FK_PIDFD,         /* pidfd_open: close-on-exec, not a namespace */
};

struct fdtable {
	int refs;  /* running traced processes using it */
	int cap;
	int *fd;   /* per descriptor label: the number, or -1 */
};

struct world {
	bool active;
	struct proc *procs;
	int nprocs;
	enum fd_kind *kinds;
	int nlabels;
	struct fdtable *tables;
	int ntables;
	int pidns_fd;         /* the sandbox's PID namespace (the trace's initial one) */
	ino_t pidns_ino;
	int nspid_drop;       /* NSpid entries above the sandbox's PID namespace */
};

extern struct world W;

/* A growing output buffer for the answer to Node. */
struct out {
	char *p;
	size_t len, cap;
};
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_hex(struct out *o, const char *data, size_t len);

/* supervisor.c */
void proc_set_state(int idx, enum pstate state);
int agent_send(int idx, const struct agent_cmd *cmd, const void *data);
int agent_recv(int idx, struct agent_reply *r, char *data, size_t cap, int *passed_fd);
int fdtable_get(int table, int label);

/* settle.c */
void settle(void);

/* observe.c */
#define NSPID_MAX 40 /* 33 levels of PID namespaces below the machine's, and some to spare */
struct pstatus {
	unsigned long uid;    /* real uid, as the supervisor's user namespace sees it */
	int nspid[NSPID_MAX]; /* NSpid: from the /proc's PID namespace down */
	int nspid_len;
};
int read_status(int procdir, struct pstatus *st);
void observe(struct out *o);
void identity(struct out *o, int idx, int file);

#endif /* NSAGENT_SUPERVISOR_H */
