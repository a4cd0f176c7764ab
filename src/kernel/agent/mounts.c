// SPDX-License-Identifier: MIT
/*
 * Mounts, the agent's side (docs/TRACE-EXTENSIONS.md, "Mounts"): the trace's own root,
 * made by p0 before its first step, and readdir. The other mount ops are single raw system
 * calls (agent.c).
 *
 * The trace's root. p0 is already in a mount namespace of its own (the sandbox's), whose
 * mounts it has made private recursively: nothing it mounts propagates anywhere. Then:
 *
 *   1. a fresh tmpfs, made detached (fsopen/fsmount: on no path yet), with the directories
 *      `proc` and `oldroot` in it (0777, umask 0);
 *   2. attached on top of `/` of the sandbox's private copy (no directory of the host is made
 *      or used as a mount point: `/` is the only one needed, and only in this namespace);
 *   3. pivot_root into it, the old root put on /oldroot;
 *   4. a new procfs of p0's PID namespace (the trace's initial one) on /proc, nosuid, nodev,
 *      noexec;
 *   5. the old root detached (umount2 MNT_DETACH) and /oldroot removed;
 *   6. `/` and `/proc` made shared, each a peer group of its own.
 *
 * What the agent needs afterwards does not need a path: it execs itself through EXE_FD, its
 * control socket is a socketpair, and PROC_FD (the sandbox's procfs, a detached mount made
 * before all this) stays open in every agent.
 */
#include "nsagent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static bool make_root;

void p0_set_mounts(bool wanted)
{
	make_root = wanted;
}

const char *p0_make_root(void)
{
	int fs, mnt;

	if (!make_root)
		return NULL;
	umask(0);
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return "fsopen tmpfs";
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		close(fs);
		return "fsconfig tmpfs";
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	close(fs);
	if (mnt < 0)
		return "fsmount tmpfs";
	if (mkdirat(mnt, "proc", 0777) < 0 || mkdirat(mnt, "oldroot", 0777) < 0)
		return "mkdir in the new root";
	if (move_mount(mnt, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return "attaching the new root";
	if (fchdir(mnt) < 0)
		return "fchdir to the new root";
	close(mnt);
	if (syscall(SYS_pivot_root, ".", "oldroot") < 0)
		return "pivot_root";
	if (chdir("/") < 0)
		return "chdir /";
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return "mounting /proc";
	if (umount2("/oldroot", MNT_DETACH) < 0)
		return "detaching the old root";
	if (rmdir("/oldroot") < 0)
		return "rmdir /oldroot";
	if (mount(NULL, "/", NULL, MS_SHARED, NULL) < 0 || mount(NULL, "/proc", NULL, MS_SHARED, NULL) < 0)
		return "making / and /proc shared";
	return NULL;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int read_directory(const char *path, char *out, size_t cap, size_t *len)
{
	char buf[8192];
	char **names = NULL;
	size_t n = 0, ncap = 0, used = 0;
	struct statfs sfs;
	int fd, err = 0, ret = 0;
	long got;

	*len = 0;
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sfs) < 0) {
		err = errno;
		goto out;
	}
	if (sfs.f_type == PROC_SUPER_MAGIC) {
		ret = 1;
		goto out;
	}
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (n == ncap) {
				char **more = realloc(names, (ncap = ncap ? ncap * 2 : 16) * sizeof(*names));

				if (!more) {
					err = ENOMEM;
					goto out;
				}
				names = more;
			}
			if (!(names[n] = strdup(d->d_name))) {
				err = ENOMEM;
				goto out;
			}
			n++;
		}
	}
	if (got < 0) {
		err = errno;
		goto out;
	}
	if (n > 1) /* qsort() takes no NULL, even for no names */
		qsort(names, n, sizeof(*names), by_bytes);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]) + 1;

		if (used + l > cap) {
			err = ENOBUFS; /* more names than one answer holds (AGENT_DATA_MAX) */
			goto out;
		}
		memcpy(out + used, names[i], l);
		used += l;
	}
	*len = used;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	close(fd);
	if (err) {
		errno = err;
		return -1;
	}
	return ret;
}
