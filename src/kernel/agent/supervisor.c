// SPDX-License-Identifier: MIT
/*
 * The supervisor: Node's end of the kernel backend, and the sandbox's keeper.
 *
 * Protocol with Node (stdin -> requests, stdout -> answers; one line each, tokens separated
 * by single spaces; strings as 'x' followed by their bytes in hex; labels as indices that
 * Node hands out in the order labels are defined, -1 for a label that does not exist):
 *
 *   S root|unprivileged x<hostname> [caps <hex>] [mounts]
 *                                     new sandbox      -> "ok" | "fail <message>"
 *                                     (caps: p0's bounding set — root: its permitted and
 *                                     effective sets too — and snapshots with C lines;
 *                                     mounts: the trace's own root (agent/mounts.c) and
 *                                     snapshots with M lines)
 *   B <n>, then n step lines          run a batch      -> one result per step, then "end"
 *   O                                 snapshot         -> a snapshot block
 *   I <proc> <nsfile>                 raw identity     -> "id <type> <inode>" | "null"
 *   V                                 the shell's view -> view lines, then "." (view.c)
 *   H                                 host PIDs        -> "pids <supervisor> <p>..."
 *   C                                 end the sandbox  -> "ok"
 *   Q                                 quit
 *
 * Step lines: "<op> <by> <args...>" (steps.c):
 *   fork BY AS | clone BY FLAGS AS | unshare BY FLAGS | setns BY FD NSTYPE
 *   open BY TARGET NSFILE AS | pidfd_open BY TARGET AS | close BY FD
 *   ioctl BY FD REQUEST AS | exec BY | exit BY CODE | wait BY
 *   sethostname BY xHEX | setdomainname BY xHEX | gethostname BY | getdomainname BY
 *   getpid BY | getppid BY | setuid BY UID | write_map BY TARGET MAPFILE xHEX
 *   thread BY | observe BY
 *   exec BY xARGV (each string NUL-terminated) | mount_proc BY | set_pdeathsig BY SIG
 *   kill BY TARGET SIG
 *   setresuid BY RUID EUID SUID | setresgid BY RGID EGID SGID (-1 leaves one)
 *   setgroups BY x"<gid> <gid>..." | capset BY x"<eff> <prm> <inh>" (hex sets)
 *   prctl BY OPTION ARG2 ARG3 (Linux's numbers)
 *   mkdir BY xPATH | mount BY MS_FLAGS xTARGET xSOURCE xFSTYPE (x: NULL) |
 *   umount BY UMOUNT_FLAGS xTARGET | pivot_root BY xNEW_ROOT xPUT_OLD | readdir BY xPATH |
 *   chdir BY xPATH | chroot BY xPATH | getcwd BY ("ok s x<hex>": the raw system call's string)
 * with NSFILE, REQUEST and MAPFILE as indices into the trace format's lists.
 *
 * Results: "ok" | "ok i <integer>" | "ok s x<hex>" | "err <ERRNO>" | "dead" |
 * "ok l x<hex>" (readdir's names, each followed by a NUL) |
 * a snapshot block ("snap", lines P/C/F/N/R/M, "."; observe.c) | "bad <why>" (a malformed line).
 *
 * The sandbox: p0 is cloned into new pid, uts, ipc, mnt, net, cgroup and time namespaces
 * (the user namespace stays ours, so a root trace is real root) and is PID 1 there. We stay
 * in the caller's PID namespace. Everything dies with the harness: we have
 * PR_SET_PDEATHSIG(SIGKILL) on Node, p0 has it on us, and when PID 1 dies the kernel kills
 * its whole namespace.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <elf.h>
#include <unistd.h>

#include <linux/sched.h>

/* The namespaces of the sandbox; the user namespace stays the supervisor's. */
#define SANDBOX_FLAGS (CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | \
		       CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWTIME)

/* ---- the sandbox ------------------------------------------------------------------------ */

/*
 * End the sandbox: SIGKILL to its PID 1 from the parent namespace is always delivered; the
 * kernel then kills every process of the namespace, and p0 becomes our zombie once the
 * namespace is empty. Reap it, and forget everything.
 */
static void sandbox_stop(void)
{
	siginfo_t si;

	if (!W.active)
		return;
	if (W.nprocs > 0 && W.procs[0].pidfd >= 0) {
		sys_pidfd_send_signal(W.procs[0].pidfd, SIGKILL);
		while (waitid(P_PIDFD, (id_t)W.procs[0].pidfd, &si, WEXITED) < 0 && errno == EINTR)
			;
	}
	world_free();
}

/* The NSpid entries above p0's own are the machine's levels, left out of snapshots. */
static int count_nspid_drop(const struct proc *p0)
{
	struct pstatus st;

	if (read_status(p0->procdir, &st) < 0 || st.nspid_len < 1)
		return -1;
	return st.nspid_len - 1;
}

/* After p0 answered that it is ready: what snapshots need to know of the sandbox. */
static int sandbox_note_pidns(void)
{
	struct stat st;

	W.pidns_fd = open_pidns(&W.procs[0]);
	W.nspid_drop = count_nspid_drop(&W.procs[0]);
	if (W.pidns_fd < 0 || fstat(W.pidns_fd, &st) < 0 || W.nspid_drop < 0)
		return -1;
	W.pidns_ino = st.st_ino;
	return 0;
}

/* Clone p0 with its control socket; its PID, or -1. */
static long sandbox_clone(bool unprivileged, const char *host, size_t hostlen, int *sock)
{
	int sv[2], p0_end;
	long pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	*sock = move_fd(sv[0], CTL_FD_BASE, true);
	p0_end = move_fd(sv[1], CTL_FD_BASE, false);
	pid = sys_clone3(SANDBOX_FLAGS, SIGCHLD);
	if (pid == 0)
		p0_main(p0_end, unprivileged, host, hostlen);
	close(p0_end);
	if (pid < 0) {
		int err = errno;

		close_fd(sock);
		errno = err;
	}
	return pid;
}

static void sandbox_start(struct out *o, char *line)
{
	struct args a;
	struct agent_reply r;
	char msg[300] = "";
	const char *what;
	bool unprivileged;
	size_t hostlen;
	char *host;
	int sock;
	long pid;

	sandbox_stop();
	split(line, &a);
	unprivileged = a.n > 1 && !strcmp(a.tok[1], "unprivileged");
	host = arg_str(&a, 2, &hostlen);
	if (a.bad || (!unprivileged && strcmp(a.tok[1], "root"))) {
		out_printf(o, "fail malformed start request\n");
		return;
	}
	W.creds = a.n > 4 && !strcmp(a.tok[3], "caps");
	W.mounts = !strcmp(a.tok[a.n - 1], "mounts");
	p0_set_mounts(W.mounts);
	if (W.mounts && unprivileged && L.agent_dynamic) {
		/* p0 of an unprivileged trace execs itself after dropping to uid 1000 */
		out_printf(o, "fail %s\n", DYNAMIC_AGENT_ON_OWN_ROOT);
		return;
	}
	if (W.mounts && (what = host_safety_start())) {
		out_printf(o, "fail %s\n", what);
		return;
	}
	/* every start says it: a sandbox without caps leaves p0's credentials as they are */
	p0_set_caps(W.creds, W.creds ? strtoull(a.tok[4], NULL, 16) : 0);
	pid = sandbox_clone(unprivileged, host, hostlen, &sock);
	if (pid < 0) {
		out_printf(o, "fail cannot create the sandbox's namespaces: %s\n", strerror(errno));
		return;
	}
	W.active = true;
	if (track_process(proc_slot(0), (pid_t)pid, sock) < 0) {
		out_printf(o, "fail cannot watch the sandbox's init: %s\n", strerror(errno));
		sandbox_stop();
		return;
	}
	W.procs[0].table = fdtable_new();
	W.procs[0].tgroup = 0;

	/* p0 answers once it is ready, or says why it could not get ready. */
	if (agent_recv(0, &r, msg, sizeof(msg) - 1, NULL) < 0 || r.err) {
		out_printf(o, "fail the sandbox's init did not start%s%s\n", msg[0] ? ": " : "", msg);
		sandbox_stop();
		return;
	}
	if (sandbox_note_pidns() < 0) {
		out_printf(o, "fail cannot read the sandbox's PID namespace\n");
		sandbox_stop();
		return;
	}
	out_printf(o, "ok\n");
}

/* ---- other requests ------------------------------------------------------------------------- */

/*
 * A batch of steps. A step that ends the run (a limit, a kernel that did not settle) is
 * followed by "abort <index in the batch> x<why>"; the batch's other lines are read and not
 * run, and the sandbox is ended at once.
 */
static void run_batch(struct out *o, long count, char **line, size_t *cap)
{
	bool aborted = false;

	for (long i = 0; i < count && getline(line, cap, stdin) > 0; i++) {
		if (aborted)
			continue;
		if (!W.active) {
			out_printf(o, "bad no sandbox\n");
			continue;
		}
		run_step(o, *line);
		if (W.abort[0]) {
			out_printf(o, "abort %ld ", i);
			out_hex(o, W.abort, strlen(W.abort));
			out_printf(o, "\n");
			sandbox_stop();
			aborted = true;
		}
	}
	out_printf(o, "end\n");
}

static void request_identity(struct out *o, char *line)
{
	struct args a;
	long long proc, file;

	split(line, &a);
	proc = arg_int(&a, 1);
	file = arg_int(&a, 2);
	if (W.active && !a.bad)
		identity(o, proc, file);
	else
		out_printf(o, "null\n");
}

static void host_pids(struct out *o)
{
	out_printf(o, "pids %d", (int)getpid());
	for (int i = 0; i < W.nprocs; i++)
		if (unreaped(i))
			out_printf(o, " %d", (int)W.procs[i].hostpid);
	out_printf(o, "\n");
}

/* ---- setup and main loop --------------------------------------------------------------------- */

struct limits L = {
	.max_tasks = 6000,
	.settle_ns = 10LL * 1000 * 1000 * 1000,
};

/* A whole number from the environment within [min, max], or @dflt when it is not set. */
static long long env_number(const char *name, long long dflt, long long min, long long max)
{
	const char *v = getenv(name);
	char *end;
	long long n;

	if (!v || !*v)
		return dflt;
	n = strtoll(v, &end, 10);
	if (*end || n < min || n > max)
		die("%s must be a whole number from %lld to %lld, not '%s'", name, min, max, v);
	return n;
}

static void read_limits(void)
{
	L.max_tasks = (int)env_number("NSAGENT_MAX_PROCS", L.max_tasks, 1, 1 << 20);
	L.settle_ns = env_number("NSAGENT_SETTLE_MS", L.settle_ns / 1000000, 1, 3600 * 1000) * 1000000;
	L.stale_books = getenv("NSAGENT_FAULT") && !strcmp(getenv("NSAGENT_FAULT"), "stale-books");
	if (L.stale_books)
		warnx("NSAGENT_FAULT=stale-books: the supervisor's books will go stale (a test)");
	L.one_guard = getenv("NSAGENT_FAULT") && !strcmp(getenv("NSAGENT_FAULT"), "one-guard");
}

/* Die with the harness; keep the defaults the kernel's wait semantics rely on. */
/*
 * Pin the supervisor — and so p0 and every agent, which inherit it — to one CPU: the
 * NSAGENT_CPU-th of those this process may use (counted round the set). A step is a round
 * trip between the supervisor and an agent; on one CPU the woken side runs at once, across
 * two it waits for an idle CPU to wake (bench/README.md: 7.7 against 48 µs a round trip).
 * No effect on what the kernel answers.
 */
static void pin_to_one_cpu(void)
{
	const char *index = getenv("NSAGENT_CPU");
	cpu_set_t allowed, one;
	int n, k, cpu;

	if (!index || sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return;
	n = CPU_COUNT(&allowed);
	if (n <= 0)
		return;
	k = atoi(index) % n;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || k-- > 0)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
		return;
	}
}

/* Does the ELF binary @fd name an interpreter (PT_INTERP): is it linked dynamically? */
static bool elf_is_dynamic(int fd)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		return true; /* not what we can read: assume the worst */
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) != (ssize_t)sizeof(ph))
			return true;
		if (ph.p_type == PT_INTERP)
			return true;
	}
	return false;
}

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
	/* Out of the harness's session: a terminal's ^C is the harness's to handle (the shell
	 * reads it, fuzz prints its summary); we end only with the harness, by PDEATHSIG. */
	setsid();
	pin_to_one_cpu();
	read_limits();
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

	/* Agents exec this binary through a descriptor: no path, no directory permissions. */
	exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (exe < 0 || dup2(exe, EXE_FD) != EXE_FD)
		die("cannot keep a descriptor of the agent binary: %s", strerror(errno));
	close(exe);
	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	L.agent_dynamic = exe < 0 || elf_is_dynamic(exe);
	if (exe >= 0)
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

	supervisor_setup(harness);
	while (getline(&line, &cap, stdin) > 0) {
		switch (line[0]) {
		case 'S':
			sandbox_start(&o, line);
			break;
		case 'B':
			run_batch(&o, strtol(line + 1, NULL, 10), &line, &cap);
			break;
		case 'O':
			if (W.active)
				observe(&o);
			else
				out_printf(&o, "fail no sandbox\n");
			break;
		case 'I':
			request_identity(&o, line);
			break;
		case 'V':
			if (W.active)
				view(&o);
			else
				out_printf(&o, ".\n");
			break;
		case 'H':
			host_pids(&o);
			break;
		case 'C':
			sandbox_stop();
			out_printf(&o, "ok\n");
			break;
		case 'Q':
			goto done;
		default:
			out_printf(&o, "fail unknown request\n");
			break;
		}
		out_flush(&o);
	}
	/* Node closed our stdin */
done:
	sandbox_stop();
	free(line);
	free(o.p);
	return 0;
}
