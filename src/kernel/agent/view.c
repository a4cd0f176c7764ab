// SPDX-License-Identifier: MIT
/*
 * The teaching shell's view (display only; src/trace/backend.ts ShellView): for every traced
 * process not yet reaped, its parent, its command line, and which PID namespace its /proc
 * shows. One line each, in label order, then ".":
 *
 *   v <proc> <parent proc|-> <cmdline: x<hex of the NUL-separated strings>|-> <witness|-> <level|->
 *
 * The command line is given once the process (or an ancestor) ran `exec` with argv, and is
 * empty for a zombie. /proc's PID namespace is read from the kernel: through
 * /proc/<pid>/root/proc (the process's own mount namespace), the first traced process that
 * this procfs shows, the witness, and the level of the procfs's PID namespace on the
 * witness's way up (counted from the trace's initial PID namespace; the machine's /proc shows
 * a level above it, reported as 0). "-" when the procfs shows none of the traced processes,
 * or the process is not running.
 *
 * After the "v" line of a running process, its user namespace's maps and setgroups, as the
 * supervisor reads them (lower ids as the trace's initial user namespace sees them):
 *
 *   m <proc> <uid_map: x<hex>> <gid_map: x<hex>> <setgroups: x<hex>>
 */
#include "supervisor.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A small file under @dir, NUL-terminated; its length or -1. */
static ssize_t read_file(int dir, const char *path, char *buf, size_t size)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1 && (n = read(fd, buf + total, size - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

/* The inode of the namespace file @path under @dir (following the link), or 0. */
static ino_t ns_ino(int dir, const char *path)
{
	struct stat st;

	return fstatat(dir, path, &st, 0) == 0 ? st.st_ino : 0;
}

/* The parent's label: PPid (in our PID namespace) among the unreaped traced processes. */
static int parent_label(const struct proc *p)
{
	char buf[4096], *line;
	long ppid;

	if (read_file(p->procdir, "status", buf, sizeof(buf)) <= 0)
		return -1;
	line = strstr(buf, "\nPPid:");
	if (!line || sscanf(line + 6, "%ld", &ppid) != 1 || ppid <= 0)
		return -1;
	for (int i = 0; i < W.nprocs; i++)
		if (unreaped(i) && W.procs[i].hostpid == (pid_t)ppid)
			return i;
	return -1;
}

/* Does the procfs at @root show traced process @q at host level @j (as the number F[j])? */
static bool shows_at(int root, const struct pstatus *f, ino_t pidns, int j)
{
	char name[16];
	struct pstatus s;
	int d;
	bool same;

	snprintf(name, sizeof(name), "%d", f->nspid[j]);
	d = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0)
		return false;
	same = read_status(d, &s) == 0 && s.nspid_len == f->nspid_len - j &&
	       !memcmp(s.nspid, f->nspid + j, (size_t)s.nspid_len * sizeof(int)) &&
	       ns_ino(d, "ns/pid") == pidns;
	close(d);
	return same;
}

/* Which PID namespace the /proc of running process @p shows: a witness and a level. */
static void proc_view(struct out *o, const struct proc *p)
{
	int root = openat(p->procdir, "root/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (root >= 0) {
		for (int q = 0; q < W.nprocs; q++) {
			struct pstatus f;
			ino_t pidns;

			if (!unreaped(q) || read_status(W.procs[q].procdir, &f) < 0)
				continue;
			pidns = ns_ino(W.procs[q].procdir, "ns/pid");
			for (int j = 0; pidns && j < f.nspid_len; j++) {
				if (!shows_at(root, &f, pidns, j))
					continue;
				out_printf(o, " %d %d\n", q, j > W.nspid_drop ? j - W.nspid_drop : 0);
				close(root);
				return;
			}
		}
		close(root);
	}
	out_printf(o, " - -\n");
}

void view(struct out *o)
{
	static char cmdline[8192];

	for (int i = 0; i < W.nprocs; i++) {
		const struct proc *p = &W.procs[i];
		ssize_t n;
		int parent;

		if (!unreaped(i))
			continue;
		parent = parent_label(p);
		out_printf(o, "v %d ", i);
		if (parent >= 0)
			out_printf(o, "%d ", parent);
		else
			out_printf(o, "- ");
		n = p->named ? read_file(p->procdir, "cmdline", cmdline, sizeof(cmdline)) : -1;
		if (n >= 0)
			out_hex(o, cmdline, (size_t)n);
		else
			out_printf(o, "-");
		if (p->state == PS_RUNNING)
			proc_view(o, p);
		else
			out_printf(o, " - -\n");
		if (p->state == PS_RUNNING) {
			static const char *const files[] = { "uid_map", "gid_map", "setgroups" };

			out_printf(o, "m %d", i);
			for (int f = 0; f < 3; f++) {
				n = read_file(p->procdir, files[f], cmdline, sizeof(cmdline));
				out_printf(o, " ");
				out_hex(o, cmdline, n > 0 ? (size_t)n : 0);
			}
			out_printf(o, "\n");
		}
	}
	out_printf(o, ".\n");
}
