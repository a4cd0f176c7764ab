// SPDX-License-Identifier: MIT
/*
 * Calls newer than some kernels the suite runs on (issue 14: `check --target kernel:PATH`
 * boots Linux 6.1 under QEMU), each tried first and replaced only when the kernel does not
 * know it (ENOTTY or EINVAL from an ioctl it lacks):
 *
 *   NS_GET_TGID_IN_PIDNS, NS_GET_TGID_FROM_PIDNS (6.11): the NStgid line of /proc/<pid>/status
 *     (a process's TGID at every level from the supervisor's PID namespace down to its own),
 *     with NS_GET_PARENT (4.9) to find which level a PID namespace is, and to check that the
 *     process's namespace at that level is that one;
 *   PIDFD_GET_INFO (6.13): pidfd_send_signal(pidfd, 0), which fails with ESRCH once the
 *     process is reaped (like PIDFD_GET_INFO), and answers 0 for a zombie;
 *   a pidfd polling POLLHUP once its process is reaped (not in 6.1, whose pidfd_poll() says
 *     only POLLIN, "the thread group exited"): POLLIN and pidfd_alive() false.
 *
 * The supervisor's /proc is a procfs of its own PID namespace (open_procdir() reads host PIDs
 * there), so NStgid's first entry is the PID the supervisor sees.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#define NSTGID_MAX 40 /* PID namespaces nest 32 deep at most */

static bool unknown_ioctl(void)
{
	return errno == ENOTTY || errno == EINVAL;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

/* How many levels below the caller's PID namespace @ns is; -1 when it is not at or below it. */
static int pidns_level(int ns)
{
	int level = 0, cur = dup(ns), self;

	while (cur >= 0) {
		int parent = ioctl(cur, NSA_GET_PARENT);

		if (parent < 0)
			break;
		close(cur);
		cur = parent;
		level++;
	}
	/* the top of the walk must be the caller's own PID namespace */
	self = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (cur < 0 || self < 0 || !same_file(cur, self))
		level = -1;
	if (cur >= 0)
		close(cur);
	if (self >= 0)
		close(self);
	return level;
}

/* The NStgid line of /proc/<pid>/status (as the supervisor sees @pid): its count, or -1. */
static int read_nstgid(pid_t pid, pid_t *out)
{
	char path[48], buf[4096], *line, *end;
	ssize_t len;
	int fd, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	line = strstr(buf, "\nNStgid:");
	if (!line)
		return -1;
	line += strlen("\nNStgid:");
	while (n < NSTGID_MAX) {
		long v = strtol(line, &end, 10);

		if (end == line)
			break;
		out[n++] = (pid_t)v;
		line = end;
		if (*line == '\n')
			break;
	}
	return n;
}

/* Whether the PID namespace of host @pid, @up levels above its own, is @ns. */
static bool pidns_above_is(pid_t pid, int up, int ns)
{
	char path[48];
	int cur;
	bool same;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	cur = open(path, O_RDONLY | O_CLOEXEC);
	while (cur >= 0 && up-- > 0) {
		int parent = ioctl(cur, NSA_GET_PARENT);

		close(cur);
		cur = parent;
	}
	if (cur < 0)
		return false;
	same = same_file(cur, ns);
	close(cur);
	return same;
}

pid_t tgid_in_pidns(int ns, pid_t pid)
{
	pid_t ids[NSTGID_MAX];
	int r = ioctl(ns, NSA_GET_TGID_IN_PIDNS, pid), level, n;

	if (r >= 0 || !unknown_ioctl())
		return r;
	level = pidns_level(ns);
	n = read_nstgid(pid, ids);
	if (level >= 0 && n > level && pidns_above_is(pid, n - 1 - level, ns))
		return ids[level];
	errno = ESRCH;
	return -1;
}

pid_t tgid_from_pidns(int ns, pid_t vpid)
{
	pid_t ids[NSTGID_MAX], found = -1;
	int r = ioctl(ns, NSA_GET_TGID_FROM_PIDNS, vpid), level;
	struct dirent *e;
	DIR *d;

	if (r >= 0 || !unknown_ioctl())
		return r;
	level = pidns_level(ns);
	d = level >= 0 ? opendir("/proc") : NULL;
	while (d && found < 0 && (e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name);
		int n;

		if (pid <= 0)
			continue;
		n = read_nstgid(pid, ids);
		if (n > level && ids[level] == vpid && pidns_above_is(pid, n - 1 - level, ns))
			found = ids[0];
	}
	if (d)
		closedir(d);
	if (found < 0)
		errno = ESRCH;
	return found;
}

bool pidfd_alive(int pidfd)
{
	struct nsa_pidfd_info info = { .mask = 0 };

	if (ioctl(pidfd, NSA_PIDFD_GET_INFO, &info) == 0)
		return true;
	if (!unknown_ioctl())
		return false;
	return sys_pidfd_send_signal(pidfd, 0) == 0 || errno == EPERM;
}

bool pidfd_reaped(int pidfd, short revents)
{
	if (revents & POLLHUP)
		return true;
	return (revents & POLLIN) && !pidfd_alive(pidfd);
}
