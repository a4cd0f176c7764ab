// SPDX-License-Identifier: MIT
/*
 * System call wrappers the C library lacks or wraps too much, and small helpers shared by
 * the supervisor and the agents. Every wrapper returns -1 with errno set, as libc does, so
 * that the errno a step reports is the kernel's own.
 */
#include "nsagent.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const ns_file_names[NS_FILE_COUNT] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
	"time", "time_for_children", "user", "uts",
};

const char *const map_file_names[MAP_FILE_COUNT] = { "uid_map", "gid_map", "setgroups" };

/* In the order of IOCTL_REQUESTS in src/trace/types.ts. */
const unsigned long ioctl_requests[IOCTL_REQ_COUNT] = {
	NSA_GET_USERNS, NSA_GET_PARENT, NSA_GET_NSTYPE, NSA_GET_OWNER_UID,
};

/*
 * clone3() without a new stack: the child continues on a copy of the caller's stack, like
 * fork(). The exit signal is the caller's choice (TRACE.md: SIGCHLD, or 0 with
 * CLONE_THREAD or CLONE_PARENT).
 */
long sys_clone3(uint64_t flags, int exit_signal)
{
	struct clone_args args;

	memset(&args, 0, sizeof(args));
	args.flags = flags;
	args.exit_signal = (uint64_t)exit_signal;
	return syscall(SYS_clone3, &args, sizeof(args));
}

int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int sys_close_range(unsigned int first, unsigned int last)
{
	if (first > last)
		return 0;
	return (int)syscall(SYS_close_range, first, last, 0);
}

/* Move @fd to the lowest free number >= @min; the old number is closed. */
int move_fd(int fd, int min, bool cloexec)
{
	int nfd = fcntl(fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, min);
	int err = errno;

	close(fd);
	errno = err;
	return nfd;
}

/* The symbolic name of an errno value ("EPERM"), as the trace reports it. */
const char *errno_name(int err)
{
	static char buf[16];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static const struct {
	int flag;
	const char *name;
	const char *type;
} nstypes[] = {
	{ CLONE_NEWCGROUP, "CLONE_NEWCGROUP", "cgroup" },
	{ CLONE_NEWIPC, "CLONE_NEWIPC", "ipc" },
	{ CLONE_NEWNS, "CLONE_NEWNS", "mnt" },
	{ CLONE_NEWNET, "CLONE_NEWNET", "net" },
	{ CLONE_NEWPID, "CLONE_NEWPID", "pid" },
	{ CLONE_NEWTIME, "CLONE_NEWTIME", "time" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER", "user" },
	{ CLONE_NEWUTS, "CLONE_NEWUTS", "uts" },
};

/* "CLONE_NEWUTS" for the value NS_GET_NSTYPE answers; NULL for anything else. */
const char *nstype_name(int clone_flag)
{
	for (size_t i = 0; i < sizeof(nstypes) / sizeof(nstypes[0]); i++)
		if (nstypes[i].flag == clone_flag)
			return nstypes[i].name;
	return NULL;
}

/* "uts" for CLONE_NEWUTS: the snapshot's namespace type. */
const char *nstype_short(int clone_flag)
{
	for (size_t i = 0; i < sizeof(nstypes) / sizeof(nstypes[0]); i++)
		if (nstypes[i].flag == clone_flag)
			return nstypes[i].type;
	return NULL;
}

void warnx(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(msg) - 2)
		n = (int)sizeof(msg) - 2;
	msg[n++] = '\n';
	dprintf(2, "nsagent[%d]: %.*s", getpid(), n, msg);
}

void die(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s", msg);
	_exit(127);
}
