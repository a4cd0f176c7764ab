// SPDX-License-Identifier: MIT
/*
 * Host safety of a trace with its own root (setup.mounts): no traced process may hold a root
 * or a working directory on a filesystem that is not the trace's own.
 *
 * The trace's `/` is a tmpfs mounted on the sandbox's copy of the machine's first mount, the
 * rootfs, whose super block is the machine's own. A trace can only make tmpfs and procfs
 * instances; the one filesystem of the machine that its walks can meet is that rootfs (the
 * root mount of every mount namespace of the sandbox, below everything the trace mounts:
 * docs/SEMANTICS-NOTES.md, the host-safety section, says which steps reach it). A process
 * whose root or working directory is there could write to the machine's rootfs with its next
 * `mkdir` or `mount`, so the supervisor ends the run (RunAborted) right after the step that
 * put it there, before any other step runs.
 *
 * The test, after every step that can move a root or a working directory (chdir, chroot,
 * setns, unshare, fork, clone, pivot_root: roots and working directories change nowhere else),
 * for each running traced process whose root or cwd it can have moved (step_table's `moves`
 * in steps.c: chdir and chroot those of every process that may share the actor's fs_struct, pivot_root
 * every process's, the others one process's), on /proc/<pid>/root and /proc/<pid>/cwd (the
 * magic links: the kernel's own (mount, dentry)):
 *
 *   - its filesystem type (statfs) must be tmpfs or proc, the only ones a trace makes; and
 *   - its device must not be one of the machine's: the rootfs (learned once, below) or any
 *     filesystem mounted in the supervisor's mount namespace when the sandbox started.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* A set of device numbers, small enough to search in order. */
struct devset {
	dev_t *v;
	int n, cap;
};

static bool devset_has(const struct devset *s, dev_t d)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i] == d)
			return true;
	return false;
}

static void devset_add(struct devset *s, dev_t d)
{
	if (devset_has(s, d))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = realloc(s->v, (size_t)s->cap * sizeof(*s->v));
		if (!s->v)
			die("out of memory");
	}
	s->v[s->n++] = d;
}

/* Devices of the machine's filesystems: the rootfs and those mounted where the supervisor runs. */
static struct devset host_devs;
static bool rootfs_known;
static dev_t rootfs_dev;

/*
 * Devices already found to be a tmpfs or a procfs in this sandbox, so that most checks cost one
 * fstatat() a link (a lookup in /proc costs ~8 µs on the 2-core VM). A device number freed by a
 * trace's filesystem and taken again can only be another of the trace's (the machine's
 * filesystems mounted since cannot be reached: every mount of the sandbox is private).
 */
static struct devset good_devs;

/*
 * Make the machine's rootfs this process's root and working directory, in a private copy of
 * its mount namespace: the copy made private before anything is detached (nothing propagates to
 * the machine's namespace), its `/` detached, then setns into the copy, whose root is then looked
 * up from its first mount (mntns_install()), the rootfs, with nothing mounted on it any more.
 * Nothing is written anywhere. For a throwaway process only.
 */
static int enter_machine_rootfs(void)
{
	int ns;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return -1;
	/* EINVAL: `/` is the namespace's first mount already (a machine running on its rootfs) */
	if (umount2("/", MNT_DETACH) < 0 && errno != EINVAL)
		return -1;
	if (setns(ns, CLONE_NEWNS) < 0)
		return -1;
	close(ns);
	return 0;
}

/*
 * `nsagent rootfs`: the names in the machine's rootfs, one a line (for the host-safety test:
 * a trace must never create one there).
 */
int rootfs_main(void)
{
	static char names[AGENT_DATA_MAX];
	size_t len;

	if (enter_machine_rootfs() < 0 || read_directory("/", names, sizeof(names), &len) < 0) {
		fprintf(stderr, "nsagent rootfs: %s\n", strerror(errno));
		return 1;
	}
	for (size_t off = 0; off < len; off += strlen(names + off) + 1)
		printf("%s\n", names + off);
	return 0;
}

/*
 * The device of the machine's rootfs, which no path of the supervisor's reaches (the machine's
 * root is mounted on it): a throwaway child goes there (enter_machine_rootfs(): what a trace
 * did, docs/SEMANTICS-NOTES.md) and says its device.
 */
static bool learn_rootfs(dev_t *dev)
{
	int pfd[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return false;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return false;
	}
	if (pid == 0) {
		struct stat st;

		close(pfd[0]);
		if (enter_machine_rootfs() < 0 || stat("/", &st) < 0)
			_exit(1);
		if (write(pfd[1], &st.st_dev, sizeof(st.st_dev)) != (ssize_t)sizeof(st.st_dev))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	n = read(pfd[0], dev, sizeof(*dev));
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof(*dev) && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Field 3 ("major:minor") of each line of our own mountinfo. */
static void note_mounted_devs(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	unsigned int maj, min;
	char line[4096];

	if (!f)
		die("cannot read /proc/self/mountinfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %u:%u", &maj, &min) == 2)
			devset_add(&host_devs, makedev(maj, min));
	fclose(f);
}

const char *host_safety_start(void)
{
	host_devs.n = 0;
	good_devs.n = 0;
	if (!rootfs_known) {
		if (!learn_rootfs(&rootfs_dev))
			return "cannot find the device of the machine's rootfs (a private mount namespace "
			       "whose / is detached, then setns into it)";
		rootfs_known = true;
	}
	devset_add(&host_devs, rootfs_dev);
	note_mounted_devs();
	return NULL;
}

/* What is wrong with the directory the magic link /proc/<hostpid>/<link> names, or NULL. */
static const char *bad_place(const struct proc *p, const char *link)
{
	struct statfs sfs;
	struct stat st, again;
	char path[64];

	if (fstatat(p->procdir, link, &st, 0) < 0)
		return NULL; /* exiting or gone: it acts no more */
	if (st.st_dev == rootfs_dev)
		return "the machine's rootfs";
	if (devset_has(&good_devs, st.st_dev))
		return NULL;
	if (devset_has(&host_devs, st.st_dev))
		return "a filesystem of the machine";
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)p->hostpid, link);
	if (statfs(path, &sfs) < 0)
		return NULL;
	if (sfs.f_type != TMPFS_MAGIC && sfs.f_type != PROC_SUPER_MAGIC)
		return "a filesystem the trace did not make";
	/* statfs went by PID: the process is still the one of @procdir, its place the same */
	if (fstatat(p->procdir, link, &again, 0) < 0 || again.st_dev != st.st_dev)
		return NULL;
	devset_add(&good_devs, st.st_dev);
	return NULL;
}

static bool check_one(const char *op, int i)
{
	const struct proc *p = running(i);
	const char *what;

	if (!p)
		return true;
	static const struct {
		const char *link, *name;
	} places[] = { { "root", "root" }, { "cwd", "working directory" } };

	for (size_t k = 0; k < sizeof(places) / sizeof(places[0]); k++) {
		if ((what = bad_place(p, places[k].link))) {
			world_abort("host safety: after %s the process's %s is %s (process label %d); a "
				    "trace may not reach it", op, places[k].name, what, i);
			return false;
		}
	}
	return true;
}

void host_safety_check(const char *op, int label, enum hs_scope scope)
{
	const struct proc *actor;

	if (!W.mounts || W.abort[0])
		return;
	if (scope == HS_ONE) {
		check_one(op, label);
		return;
	}
	actor = label >= 0 && label < W.nprocs ? &W.procs[label] : NULL;
	for (int i = 0; i < W.nprocs; i++)
		if ((scope == HS_ALL || (actor && W.procs[i].fsgroup == actor->fsgroup)) && !check_one(op, i))
			return;
}
