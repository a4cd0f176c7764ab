// SPDX-License-Identifier: MIT
/*
 * nsbench: the raw cost of the system calls the kernel backend's agents and supervisor make
 * per step (src/kernel/agent/), each measured alone in a tight loop, plus the round trip of a
 * supervisor <-> agent message over a SOCK_SEQPACKET socketpair. bench/kernel.bench.ts turns
 * them into "the C cost of a trace": a round trip plus the calls of each step.
 *
 * Run it only in a throwaway sandbox of fresh namespaces (it sets hostnames, makes and enters
 * namespaces, forks hundreds of processes); the bench script does:
 *   unshare --fork --pid --mount-proc --uts --ipc --net --mount --cgroup --time \
 *           --propagation private build/nsbench [--quick]
 * As PID 1 of its PID namespace it refuses to run outside one (its PID must be 1).
 *
 * Output: one JSON object a line, {"name", "ns" (median per operation), "min", "max",
 * "reps", "iters"}; a line starting with '#' is a comment.
 *
 * Build: cc -O2 -Wall -o build/nsbench bench/c/nsbench.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* The agent's messages (src/kernel/agent/nsagent.h), same sizes. */
struct cmd { uint32_t op; int32_t fd; uint64_t arg; int32_t pid; uint32_t file, len, pad; };
struct reply { int32_t err; uint32_t len; int64_t value; };

static int REPS = 9;
static long SCALE = 1; /* divides iteration counts (--quick) */

static void die(const char *what)
{
	fprintf(stderr, "nsbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A measurement: ns per operation of each rep; prints the median and spread. */
static void report(const char *name, double *per_op, int reps, long iters)
{
	qsort(per_op, (size_t)reps, sizeof(double), cmp_double);
	printf("{\"name\":\"%s\",\"ns\":%.1f,\"min\":%.1f,\"max\":%.1f,\"reps\":%d,\"iters\":%ld}\n",
	       name, per_op[reps / 2], per_op[0], per_op[reps - 1], reps, iters);
	fflush(stdout);
}

/* Run fn(iters) REPS times (after one warm-up); fn returns the elapsed ns of its iters. */
static void bench(const char *name, long iters, double (*fn)(long))
{
	double per_op[64];

	iters = iters / SCALE > 0 ? iters / SCALE : 1;
	fn(iters > 10 ? iters / 10 : 1);
	for (int r = 0; r < REPS; r++)
		per_op[r] = fn(iters) / (double)iters;
	report(name, per_op, REPS, iters);
}

static int xsyscall_ok(long r, const char *what)
{
	if (r < 0)
		die(what);
	return (int)r;
}

/* ---- supervisor <-> agent round trip -------------------------------------------------------- */

static int rt_sock = -1, rt_pipe_w = -1, rt_pipe_r = -1, rt_pinned_sock = -1;
static void pin_to_cpu0(void);
static pid_t rt_child = -1, rt_pchild = -1;

static void rt_start(void)
{
	int sv[2], to[2], from[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	rt_child = fork();
	if (rt_child == 0) {
		struct cmd c;
		struct reply r = { 0 };

		close(sv[0]);
		while (recv(sv[1], &c, sizeof(c), 0) == (ssize_t)sizeof(c)) {
			r.value = getpid();
			send(sv[1], &r, sizeof(r), MSG_NOSIGNAL);
		}
		_exit(0);
	}
	close(sv[1]);
	rt_sock = sv[0];

	if (pipe2(to, O_CLOEXEC) < 0 || pipe2(from, O_CLOEXEC) < 0)
		die("pipe");
	rt_pchild = fork();
	if (rt_pchild == 0) {
		struct cmd c;
		struct reply r = { 0 };

		close(to[1]);
		close(from[0]);
		while (read(to[0], &c, sizeof(c)) == (ssize_t)sizeof(c))
			write(from[1], &r, sizeof(r));
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	rt_pipe_w = to[1];
	rt_pipe_r = from[0];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	if (fork() == 0) {
		struct cmd c;
		struct reply r = { 0 };

		close(sv[0]);
		pin_to_cpu0();
		while (recv(sv[1], &c, sizeof(c), 0) == (ssize_t)sizeof(c))
			send(sv[1], &r, sizeof(r), MSG_NOSIGNAL);
		_exit(0);
	}
	close(sv[1]);
	rt_pinned_sock = sv[0];
}

static double b_rt_seqpacket(long n)
{
	struct cmd c = { .op = 15 };
	struct reply r;
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		if (send(rt_sock, &c, sizeof(c), 0) < 0 || recv(rt_sock, &r, sizeof(r), 0) < 0)
			die("round trip");
	}
	return now_ns() - t0;
}

/* The same round trip with both ends pinned to one CPU: a context switch each way, no
 * cross-CPU wake-up (on a VM, waking an idle vCPU costs far more than switching). */
static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		die("sched_setaffinity");
}

static double b_rt_seqpacket_samecpu(long n)
{
	struct cmd c = { .op = 15 };
	struct reply r;
	cpu_set_t old;
	double t0;

	if (sched_getaffinity(0, sizeof(old), &old) < 0)
		die("sched_getaffinity");
	pin_to_cpu0();
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (send(rt_pinned_sock, &c, sizeof(c), 0) < 0 || recv(rt_pinned_sock, &r, sizeof(r), 0) < 0)
			die("round trip");
	}
	t0 = now_ns() - t0;
	sched_setaffinity(0, sizeof(old), &old);
	return t0;
}

static double b_rt_pipe(long n)
{
	struct cmd c = { .op = 15 };
	struct reply r;
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		if (write(rt_pipe_w, &c, sizeof(c)) < 0 || read(rt_pipe_r, &r, sizeof(r)) < 0)
			die("pipe round trip");
	}
	return now_ns() - t0;
}

/* SCM_RIGHTS: the clone step passes the supervisor's end of a new socketpair. */
static double b_socketpair_scm_rights(long n)
{
	int sv[2], carrier[2];
	double t0;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, carrier) < 0)
		die("socketpair");
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		struct reply r = { 0 };
		struct iovec iov = { .iov_base = &r, .iov_len = sizeof(r) };
		union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } cm;
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf,
				      .msg_controllen = sizeof(cm.buf) };
		int got;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			die("socketpair");
		memset(&cm, 0, sizeof(cm));
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &sv[0], sizeof(int));
		if (sendmsg(carrier[0], &msg, 0) < 0)
			die("sendmsg");
		msg.msg_controllen = sizeof(cm.buf);
		if (recvmsg(carrier[1], &msg, MSG_CMSG_CLOEXEC) < 0)
			die("recvmsg");
		memcpy(&got, CMSG_DATA(&cm.h), sizeof(int));
		close(got);
		close(sv[0]);
		close(sv[1]);
	}
	t0 = now_ns() - t0;
	close(carrier[0]);
	close(carrier[1]);
	return t0;
}

/* ---- one system call each -------------------------------------------------------------------- */

static double b_getpid(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	return now_ns() - t0;
}

static double b_uname(long n)
{
	struct utsname u;
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		uname(&u);
	return now_ns() - t0;
}

static double b_sethostname(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		xsyscall_ok(sethostname(i & 1 ? "guest" : "box", i & 1 ? 5 : 3), "sethostname");
	return now_ns() - t0;
}

static double b_setuid_same(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		xsyscall_ok(setuid(0), "setuid");
	return now_ns() - t0;
}

static double b_open_ns_close(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		close(xsyscall_ok(open("/proc/1/ns/uts", O_RDONLY), "open ns"));
	return now_ns() - t0;
}

static double b_close(long n)
{
	int fds[1024];
	double t;

	if (n > 1024)
		n = 1024;
	for (long i = 0; i < n; i++)
		fds[i] = xsyscall_ok(open("/proc/1/ns/uts", O_RDONLY), "open ns");
	t = now_ns();
	for (long i = 0; i < n; i++)
		close(fds[i]);
	return now_ns() - t;
}

static double b_pidfd_open_close(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		close(xsyscall_ok(syscall(SYS_pidfd_open, rt_child, 0), "pidfd_open"));
	return now_ns() - t0;
}

static double b_ioctl_nstype(long n)
{
	int fd = xsyscall_ok(open("/proc/self/ns/uts", O_RDONLY), "open ns");
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		xsyscall_ok(ioctl(fd, NS_GET_NSTYPE), "NS_GET_NSTYPE");
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

static double b_ioctl_userns_close(long n)
{
	int fd = xsyscall_ok(open("/proc/self/ns/uts", O_RDONLY), "open ns");
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		close(xsyscall_ok(ioctl(fd, NS_GET_USERNS), "NS_GET_USERNS"));
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

/* setns back and forth between two namespaces of one type. */
static int setns_fds[2];
static int setns_type;

static double b_setns(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		xsyscall_ok(setns(setns_fds[i & 1], setns_type), "setns");
	t0 = now_ns() - t0;
	xsyscall_ok(setns(setns_fds[0], setns_type), "setns back");
	return t0;
}

/* Two namespaces of one type to switch between: ours, and a fresh one. */
static void setns_prepare(int flag, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/ns/%s", file);
	setns_fds[0] = xsyscall_ok(open(path, O_RDONLY | O_CLOEXEC), "open ns");
	xsyscall_ok(unshare(flag), "unshare for setns");
	if (flag == CLONE_NEWTIME)
		snprintf(path, sizeof(path), "/proc/self/ns/%s_for_children", file);
	if (flag == CLONE_NEWPID) {
		/* pid_for_children opens only once its namespace has an init: make one */
		pid_t init = fork();

		if (init == 0) {
			pause();
			_exit(0);
		}
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
		setns_fds[1] = xsyscall_ok(open(path, O_RDONLY | O_CLOEXEC), "open ns");
		kill(init, SIGKILL);
		waitpid(init, NULL, 0);
	} else {
		setns_fds[1] = xsyscall_ok(open(path, O_RDONLY | O_CLOEXEC), "open ns");
	}
	xsyscall_ok(setns(setns_fds[0], flag), "setns back");
	setns_type = flag;
}

static void setns_done(void)
{
	close(setns_fds[0]);
	close(setns_fds[1]);
}

/* ---- processes --------------------------------------------------------------------------------- */

static void reap_all(void)
{
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
}

/* fork + _exit + waitpid: a process's whole life. */
static double b_fork_exit_wait(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p < 0 || waitpid(p, NULL, 0) != p)
			die("fork/wait");
	}
	return now_ns() - t0;
}

/*
 * A process's life in three steps, as a trace has them: fork (the child blocks), exit (the
 * child is told to exit; until it is a zombie), wait (reaping it). pidfds tell when it is a
 * zombie, as the supervisor's settle does.
 */
static double phase_ns[3];

static void fork_phases(long n)
{
	pid_t *pids = calloc((size_t)n, sizeof(pid_t));
	int *pidfds = calloc((size_t)n, sizeof(int));
	int go[2];
	double t;

	if (!pids || !pidfds || pipe2(go, O_CLOEXEC) < 0)
		die("alloc");
	t = now_ns();
	for (long i = 0; i < n; i++) {
		struct clone_args ca = { .exit_signal = SIGCHLD };
		pid_t p = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));

		if (p == 0) {
			char b;

			close(go[1]);
			while (read(go[0], &b, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (p < 0)
			die("clone3");
		pids[i] = p;
	}
	phase_ns[0] = now_ns() - t;
	for (long i = 0; i < n; i++)
		pidfds[i] = xsyscall_ok(syscall(SYS_pidfd_open, pids[i], 0), "pidfd_open");
	t = now_ns();
	/* one byte wakes one child (any); then wait until every child is a zombie */
	for (long i = 0; i < n; i++)
		if (write(go[1], "x", 1) != 1)
			die("write");
	for (long i = 0; i < n; i++) {
		struct pollfd pfd = { .fd = pidfds[i], .events = POLLIN };

		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
	}
	phase_ns[1] = now_ns() - t;
	t = now_ns();
	for (long i = 0; i < n; i++)
		if (waitpid(pids[i], NULL, 0) != pids[i])
			die("waitpid");
	phase_ns[2] = now_ns() - t;
	for (long i = 0; i < n; i++)
		close(pidfds[i]);
	close(go[0]);
	close(go[1]);
	free(pids);
	free(pidfds);
}

static void bench_fork_phases(long iters)
{
	double per[3][64];
	static const char *names[3] = { "fork_create", "exit_until_zombie", "wait_reap" };

	iters = iters / SCALE > 0 ? iters / SCALE : 1;
	fork_phases(iters / 10 + 1);
	for (int r = 0; r < REPS; r++) {
		fork_phases(iters);
		for (int k = 0; k < 3; k++)
			per[k][r] = phase_ns[k] / (double)iters;
	}
	for (int k = 0; k < 3; k++)
		report(names[k], per[k], REPS, iters);
}

/*
 * unshare(flag) in a fresh child each time (CLONE_NEWUSER and CLONE_NEWPID cannot be repeated
 * in one process), timed inside the child around the call alone.
 */
static double unshare_in_child_ns(int flag)
{
	int p[2];
	double ns = -1;
	pid_t c;

	if (pipe(p) < 0)
		die("pipe");
	c = fork();
	if (c == 0) {
		double t0, dt;
		int r;

		/* warm the child first: its first writes and calls fault in copied-on-write pages */
		for (int i = 0; i < 3; i++) {
			t0 = now_ns();
			syscall(SYS_getppid);
		}
		t0 = now_ns();
		r = unshare(flag);
		dt = now_ns() - t0;

		if (r < 0)
			dt = -1;
		write(p[1], &dt, sizeof(dt));
		_exit(0);
	}
	if (c < 0)
		die("fork");
	close(p[1]);
	if (read(p[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(p[0]);
	waitpid(c, NULL, 0);
	if (ns < 0) {
		errno = EINVAL;
		die("unshare in a child");
	}
	return ns;
}

static int unshare_flag;

static double b_unshare_in_child(long n)
{
	double sum = 0;

	for (long i = 0; i < n; i++)
		sum += unshare_in_child_ns(unshare_flag);
	return sum;
}

/* unshare(flag) repeated in this process (the types that allow it). */
static double b_unshare_repeat(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		xsyscall_ok(unshare(unshare_flag), "unshare");
	return now_ns() - t0;
}

/* fork + execve of this binary (which exits at once) + wait, the exec step's part of it. */
static double b_fork_exec_exit_wait(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			char *argv[] = { "nsbench", "--noop", NULL };

			execv("/proc/self/exe", argv);
			_exit(127);
		}
		if (p < 0 || waitpid(p, NULL, 0) != p)
			die("fork/exec/wait");
	}
	return now_ns() - t0;
}

/* A child in a new user namespace; the parent writes its uid_map ("0 0 1"), as write_map does. */
static double b_write_uid_map(long n)
{
	double sum = 0;

	for (long i = 0; i < n; i++) {
		int go[2];
		char path[64];
		pid_t c;
		double t0;
		int fd;

		if (pipe(go) < 0)
			die("pipe");
		c = fork();
		if (c == 0) {
			char b;

			close(go[1]);
			if (unshare(CLONE_NEWUSER) < 0)
				_exit(1);
			read(go[0], &b, 1);
			_exit(0);
		}
		close(go[0]);
		/* wait until the child is in its user namespace */
		for (;;) {
			char a[64], b2[64];
			ssize_t la, lb;

			snprintf(path, sizeof(path), "/proc/%d/ns/user", c);
			la = readlink(path, a, sizeof(a));
			lb = readlink("/proc/self/ns/user", b2, sizeof(b2));
			if (la > 0 && lb > 0 && (la != lb || memcmp(a, b2, (size_t)la) != 0))
				break;
			sched_yield();
		}
		snprintf(path, sizeof(path), "/proc/%d/uid_map", c);
		t0 = now_ns();
		fd = xsyscall_ok(open(path, O_WRONLY | O_CLOEXEC), "open uid_map");
		xsyscall_ok(write(fd, "0 0 1", 5), "write uid_map");
		close(fd);
		sum += now_ns() - t0;
		close(go[1]);
		waitpid(c, NULL, 0);
	}
	return sum;
}

/* A thread that only sleeps (the thread step), in a throwaway child process. */
static int sleeper(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static double b_thread(long n)
{
	int p[2];
	double ns = 0;
	pid_t c;

	if (pipe(p) < 0)
		die("pipe");
	c = fork();
	if (c == 0) {
		const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
		double t0 = now_ns();

		for (long i = 0; i < n; i++) {
			void *stack = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

			if (stack == MAP_FAILED || clone(sleeper, (char *)stack + 64 * 1024, flags, NULL) < 0)
				_exit(1);
		}
		t0 = now_ns() - t0;
		write(p[1], &t0, sizeof(t0));
		syscall(SYS_exit_group, 0);
	}
	close(p[1]);
	if (read(p[0], &ns, sizeof(ns)) != sizeof(ns))
		die("thread child");
	close(p[0]);
	waitpid(c, NULL, 0);
	return ns;
}

/*
 * What observation reads per process (observe.c): /proc/<pid>/status, the ten ns links, and
 * the agent's uname (a round trip); per namespace, NS_GET_NSTYPE/USERNS/PARENT.
 */
static const char *ns_files[10] = { "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
				    "time", "time_for_children", "user", "uts" };

static double b_observe_process(long n)
{
	char path[64], buf[4096];
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/status", rt_child);
		fd = xsyscall_ok(open(path, O_RDONLY | O_CLOEXEC), "open status");
		if (read(fd, buf, sizeof(buf)) < 0)
			die("read status");
		close(fd);
		for (int f = 0; f < 10; f++) {
			snprintf(path, sizeof(path), "/proc/%d/ns/%s", rt_child, ns_files[f]);
			if (readlink(path, buf, sizeof(buf)) < 0)
				die("readlink ns");
		}
	}
	return now_ns() - t0;
}

static double b_observe_namespace(long n)
{
	int fd = xsyscall_ok(open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC), "open ns");
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int u;

		xsyscall_ok(ioctl(fd, NS_GET_NSTYPE), "NS_GET_NSTYPE");
		u = xsyscall_ok(ioctl(fd, NS_GET_USERNS), "NS_GET_USERNS");
		close(u);
		if (ioctl(fd, NS_GET_PARENT) >= 0)
			die("NS_GET_PARENT of the sandbox's pid namespace");
	}
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

/* What settle reads per unreaped process per pass: /proc/<pid>/stat and wchan. */
static double b_settle_read(long n)
{
	char path[64], buf[1024];
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/stat", rt_child);
		fd = xsyscall_ok(open(path, O_RDONLY | O_CLOEXEC), "open stat");
		read(fd, buf, sizeof(buf));
		close(fd);
		snprintf(path, sizeof(path), "/proc/%d/wchan", rt_child);
		fd = xsyscall_ok(open(path, O_RDONLY | O_CLOEXEC), "open wchan");
		read(fd, buf, sizeof(buf));
		close(fd);
	}
	return now_ns() - t0;
}

/* ---- mounts (issue 12) ------------------------------------------------------------------------------ */

/*
 * A tmpfs of the bench's own, on a directory made for it under /tmp, in the sandbox's private mount
 * namespace (unshare --mount --propagation private: nothing reaches the host's mounts); the
 * directory is removed at the end. The mount ops of a trace are each one system call on such a
 * tmpfs: these are their costs alone.
 */
static char mnt_root[64];

static void mounts_prepare(void)
{
	strcpy(mnt_root, "/tmp/nsbench-mnt-XXXXXX");
	if (!mkdtemp(mnt_root))
		die("mkdtemp");
	if (mount("tmpfs", mnt_root, "tmpfs", 0, NULL) < 0)
		die("mount tmpfs (needs a private mount namespace)");
	char path[128];
	snprintf(path, sizeof(path), "%s/m", mnt_root);
	if (mkdir(path, 0777) < 0)
		die("mkdir m");
	snprintf(path, sizeof(path), "%s/b", mnt_root);
	if (mkdir(path, 0777) < 0)
		die("mkdir b");
}

static void mounts_done(void)
{
	if (umount2(mnt_root, MNT_DETACH) < 0)
		die("umount2");
	rmdir(mnt_root);
}

/* mount a tmpfs on a directory and unmount it: two trace steps */
static double b_mount_umount_tmpfs(long n)
{
	char m[128];
	snprintf(m, sizeof(m), "%s/m", mnt_root);
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (mount("tmpfs", m, "tmpfs", 0, NULL) < 0)
			die("mount");
		if (umount2(m, 0) < 0)
			die("umount");
	}
	return now_ns() - t0;
}

/* bind mount a directory onto another and unmount it */
static double b_bind_umount(long n)
{
	char m[128], b[128];
	snprintf(m, sizeof(m), "%s/m", mnt_root);
	snprintf(b, sizeof(b), "%s/b", mnt_root);
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (mount(m, b, NULL, MS_BIND, NULL) < 0)
			die("bind");
		if (umount2(b, 0) < 0)
			die("umount bind");
	}
	return now_ns() - t0;
}

/* make a mount shared and private again: two propagation changes */
static double b_make_shared_private(long n)
{
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (mount(NULL, mnt_root, NULL, MS_SHARED, NULL) < 0)
			die("make-shared");
		if (mount(NULL, mnt_root, NULL, MS_PRIVATE, NULL) < 0)
			die("make-private");
	}
	return now_ns() - t0;
}

static double b_mkdir_rmdir(long n)
{
	char d[128];
	snprintf(d, sizeof(d), "%s/d", mnt_root);
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (mkdir(d, 0777) < 0)
			die("mkdir");
		if (rmdir(d) < 0)
			die("rmdir");
	}
	return now_ns() - t0;
}

/* what readdir does: open, list, close a directory of two entries */
static double b_readdir(long n)
{
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		DIR *d = opendir(mnt_root);
		if (!d)
			die("opendir");
		while (readdir(d))
			;
		closedir(d);
	}
	return now_ns() - t0;
}

/* what observing a mount namespace reads: /proc/self/mountinfo, whole */
static double b_mountinfo_read(long n)
{
	char buf[65536];
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		int fd = xsyscall_ok(open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC), "open mountinfo");
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	return now_ns() - t0;
}

/* ---- the sandbox ---------------------------------------------------------------------------------- */

/* unshare --fork --pid ... as the bench script runs it: a whole sandbox made and torn down. */
static double b_sandbox(long n)
{
	const int flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWNET |
			  CLONE_NEWCGROUP | CLONE_NEWTIME;
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t c = fork();

		if (c == 0) {
			if (unshare(flags) < 0)
				_exit(1);
			pid_t g = fork(); /* PID 1 of the new namespaces */

			if (g == 0)
				_exit(0);
			waitpid(g, NULL, 0);
			_exit(0);
		}
		if (c < 0 || waitpid(c, NULL, 0) != c)
			die("sandbox");
	}
	return now_ns() - t0;
}

static const struct { const char *name; int flag; } ns_flags[] = {
	{ "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC }, { "mnt", CLONE_NEWNS },
	{ "net", CLONE_NEWNET }, { "pid", CLONE_NEWPID }, { "time", CLONE_NEWTIME },
	{ "user", CLONE_NEWUSER }, { "uts", CLONE_NEWUTS },
};

int main(int argc, char **argv)
{
	char name[64];

	if (argc > 1 && strcmp(argv[1], "--noop") == 0)
		return 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			SCALE = 10;
			REPS = 3;
		}
	}
	if (getpid() != 1) {
		fprintf(stderr, "nsbench: run me as PID 1 of a throwaway sandbox: unshare --fork --pid --mount-proc --uts --ipc --net --mount --cgroup --time --propagation private %s\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# nsbench: ns per operation, median of %d reps\n", REPS);
	rt_start();

	bench("rt_seqpacket", 200000, b_rt_seqpacket);
	bench("rt_seqpacket_samecpu", 200000, b_rt_seqpacket_samecpu);
	bench("rt_pipe", 200000, b_rt_pipe);
	bench("socketpair_scm_rights", 50000, b_socketpair_scm_rights);
	bench("getpid", 2000000, b_getpid);
	bench("uname", 1000000, b_uname);
	bench("sethostname", 500000, b_sethostname);
	bench("setuid_same", 500000, b_setuid_same);
	bench("open_ns_close", 200000, b_open_ns_close);
	bench("close", 1000, b_close);
	bench("pidfd_open_close", 500000, b_pidfd_open_close);
	bench("ioctl_nstype", 1000000, b_ioctl_nstype);
	bench("ioctl_userns_close", 500000, b_ioctl_userns_close);
	bench("observe_process", 20000, b_observe_process);
	bench("observe_namespace", 200000, b_observe_namespace);
	bench("settle_read", 50000, b_settle_read);

	static const struct { const char *name; int flag; const char *file; } sn[] = {
		{ "setns_uts", CLONE_NEWUTS, "uts" }, { "setns_ipc", CLONE_NEWIPC, "ipc" },
		{ "setns_net", CLONE_NEWNET, "net" }, { "setns_mnt", CLONE_NEWNS, "mnt" },
		{ "setns_cgroup", CLONE_NEWCGROUP, "cgroup" }, { "setns_pid", CLONE_NEWPID, "pid" },
		{ "setns_time", CLONE_NEWTIME, "time" },
	};
	for (size_t i = 0; i < sizeof(sn) / sizeof(sn[0]); i++) {
		pid_t c = fork();

		/* in a child: the namespaces it switches between are its own business */
		if (c == 0) {
			setns_prepare(sn[i].flag, sn[i].file);
			bench(sn[i].name, sn[i].flag == CLONE_NEWNET ? 20000 : 100000, b_setns);
			setns_done();
			_exit(0);
		}
		waitpid(c, NULL, 0);
	}

	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
		unshare_flag = ns_flags[i].flag;
		snprintf(name, sizeof(name), "unshare_%s", ns_flags[i].name);
		bench(name, ns_flags[i].flag == CLONE_NEWNET ? 300 : 1000, b_unshare_in_child);
	}
	/* all eight at once: what one unshare shares among its flags (bench/ccost.ts) */
	unshare_flag = CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID |
		       CLONE_NEWTIME | CLONE_NEWUSER | CLONE_NEWUTS;
	bench("unshare_all8", 300, b_unshare_in_child);
	static const int repeatable[] = { CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWNET };
	static const char *repeatable_names[] = { "uts", "ipc", "mnt", "cgroup", "time", "net" };
	for (size_t i = 0; i < sizeof(repeatable) / sizeof(repeatable[0]); i++) {
		pid_t c = fork();

		if (c == 0) {
			unshare_flag = repeatable[i];
			snprintf(name, sizeof(name), "unshare_repeat_%s", repeatable_names[i]);
			bench(name, repeatable[i] == CLONE_NEWNET ? 300 : 5000, b_unshare_repeat);
			_exit(0);
		}
		waitpid(c, NULL, 0);
	}

	bench("fork_exit_wait", 3000, b_fork_exit_wait);
	bench_fork_phases(1000);
	bench("fork_exec_exit_wait", 500, b_fork_exec_exit_wait);
	bench("write_uid_map", 300, b_write_uid_map);
	bench("thread", 500, b_thread);
	bench("sandbox", 200, b_sandbox);

	mounts_prepare();
	bench("mount_umount_tmpfs", 20000, b_mount_umount_tmpfs);
	bench("bind_umount", 20000, b_bind_umount);
	bench("make_shared_private", 50000, b_make_shared_private);
	bench("mkdir_rmdir", 100000, b_mkdir_rmdir);
	bench("readdir", 100000, b_readdir);
	bench("mountinfo_read", 20000, b_mountinfo_read);
	mounts_done();

	close(rt_sock);
	close(rt_pinned_sock);
	close(rt_pipe_w);
	close(rt_pipe_r);
	reap_all();
	return 0;
}
