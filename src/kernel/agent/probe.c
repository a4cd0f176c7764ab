// SPDX-License-Identifier: MIT
/*
 * nsagent probe: which kernel interfaces the backend and the traces rely on this kernel has,
 * one line each: `<name> ok`, or `<name> <ERRNO>` (the errno's name; `unchanged` when a call
 * succeeded but made no new namespace; `untested` when what it needs is missing). For `nsmodel check --target`, where the kernel under
 * test may be older than the backend needs, or another implementation of the Linux ABI
 * (gVisor): the report says what could not be observed there, and why.
 *
 * Every call that makes a namespace is made in a child that exits at once (its namespaces die
 * with it); every fork result is checked before it is used.
 */
#include "nsagent.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/nsfs.h>
#include <linux/sched.h>

static const struct { unsigned long flag; const char *type; const char *file; } NS[] = {
	{ CLONE_NEWCGROUP, "cgroup", "cgroup" },
	{ CLONE_NEWIPC, "ipc", "ipc" },
	{ CLONE_NEWNS, "mnt", "mnt" },
	{ CLONE_NEWNET, "net", "net" },
	{ CLONE_NEWPID, "pid", "pid_for_children" },
	{ CLONE_NEWTIME, "time", "time_for_children" },
	{ CLONE_NEWUSER, "user", "user" },
	{ CLONE_NEWUTS, "uts", "uts" },
};

static void result(const char *name, const char *what, int err)
{
	const char *e = err ? strerrorname_np(err) : NULL;

	printf("%s%s%s %s\n", name, what ? "." : "", what ? what : "", err ? (e ? e : "error") : "ok");
}

/* Run @fn in a child that exits with its errno (0: success; 255: no new namespace). */
static int in_child(int (*fn)(unsigned long, const char *), unsigned long flag, const char *file)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(fn(flag, file));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
}

static ino_t ns_ino(const char *file)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", file);
	return stat(path, &st) < 0 ? 0 : st.st_ino;
}

/* unshare(flag), and whether the namespace file then names a new namespace (no file: none). */
static int do_unshare(unsigned long flag, const char *file)
{
	ino_t before = ns_ino(file);

	if (unshare((int)flag) < 0)
		return errno;
	if (flag == CLONE_NEWPID) {
		/* the new PID namespace is its first child's: is that child PID 1 there? */
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return errno;
		if (pid == 0)
			_exit(getpid() == 1 ? 0 : 255);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				return errno;
		return WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	}
	return before == 0 || ns_ino(file) == before ? 255 : 0;
}

static int do_clone3(unsigned long flag, const char *file)
{
	struct clone_args a = { .flags = flag, .exit_signal = SIGCHLD };
	long pid;
	int status;

	(void)file;
	pid = syscall(SYS_clone3, &a, sizeof(a));
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	while (waitpid((pid_t)pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	return 0;
}

/* NS_GET_PARENT of a user namespace this child made (the initial one has no parent: EPERM). */
static int do_get_parent(unsigned long flag, const char *file)
{
	int fd, parent;

	(void)flag;
	(void)file;
	if (unshare(CLONE_NEWUSER) < 0)
		return errno;
	fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	parent = ioctl(fd, NS_GET_PARENT);
	return parent < 0 ? errno : 0;
}

static void report_unshare(const char *name, const char *type, int err)
{
	if (err == 255)
		printf("%s.%s unchanged\n", name, type);
	else
		result(name, type, err);
}

int probe_main(void)
{
	char path[64];
	int fd, r;

	for (size_t i = 0; i < sizeof(NS) / sizeof(NS[0]); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", NS[i].type);
		result("nsfile", NS[i].type, access(path, F_OK) < 0 ? errno : 0);
	}
	for (size_t i = 0; i < sizeof(NS) / sizeof(NS[0]); i++)
		result("clone3", NS[i].type, in_child(do_clone3, NS[i].flag, NS[i].file));
	for (size_t i = 0; i < sizeof(NS) / sizeof(NS[0]); i++)
		report_unshare("unshare", NS[i].type, in_child(do_unshare, NS[i].flag, NS[i].file));

	fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	result("pidfd_open", NULL, fd < 0 ? errno : 0);
	if (fd >= 0) {
		struct nsa_pidfd_info info = { .mask = 0 };

		result("pidfd_send_signal", NULL, syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) < 0 ? errno : 0);
		result("ioctl", "PIDFD_GET_INFO", ioctl(fd, NSA_PIDFD_GET_INFO, &info) < 0 ? errno : 0);
		close(fd);
	} else {
		printf("pidfd_send_signal untested\nioctl.PIDFD_GET_INFO untested\n"); /* no pidfd to ask */
	}

	fd = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
	r = fd < 0 ? errno : 0;
	if (fd >= 0) {
		int mnt = -1;

		if (syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
			r = errno;
		else if ((mnt = (int)syscall(SYS_fsmount, fd, FSMOUNT_CLOEXEC, 0)) < 0)
			r = errno;
		if (mnt >= 0)
			close(mnt);
		close(fd);
	}
	result("fsmount", "proc", r);

	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		r = ioctl(fd, NS_GET_NSTYPE);
		result("ioctl", "NS_GET_NSTYPE", r < 0 ? errno : 0);
		r = ioctl(fd, NS_GET_USERNS);
		result("ioctl", "NS_GET_USERNS", r < 0 ? errno : 0);
		if (r >= 0)
			close(r);
		close(fd);
	}
	result("ioctl", "NS_GET_PARENT", in_child(do_get_parent, 0, NULL));
	fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		uid_t uid;

		result("ioctl", "NS_GET_OWNER_UID", ioctl(fd, NS_GET_OWNER_UID, &uid) < 0 ? errno : 0);
		close(fd);
	}
	fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		r = ioctl(fd, NSA_GET_TGID_IN_PIDNS, getpid());
		result("ioctl", "NS_GET_TGID_IN_PIDNS", r < 0 ? errno : 0);
		close(fd);
	}

	/* /proc files the supervisor reads */
	{
		char buf[8192];
		ssize_t n = -1;

		fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		if (n >= 0)
			buf[n] = '\0';
		result("proc", "status.NSpid", n < 0 ? errno : strstr(buf, "\nNSpid:") ? 0 : ENOENT);
	}
	result("proc", "wchan", access("/proc/self/wchan", R_OK) < 0 ? errno : 0);
	fflush(stdout);
	return 0;
}
