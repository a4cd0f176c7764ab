// SPDX-License-Identifier: MIT
/*
 * Observation: the raw snapshot (src/trace/canonical.ts, RawSnapshot) read from the kernel.
 * Namespaces are named by their inode numbers; Node numbers them canonically.
 *
 *   snap
 *   P <proc> <running|zombie|exiting> <uid> <nspid,...> <hostname|-> <domainname|-> <ns>x10
 *   C <proc> <uid,euid,suid,fsuid> <gid,...> <groups,...|-> <CapInh> <CapPrm> <CapEff> <CapBnd> <CapAmb> <NoNewPrivs>
 *                                   (after its P line, in a sandbox started with caps)
 *   F <fd label> <inode>
 *   N <inode> <type> <owner inode|-> <parent inode|-> <level>
 *   R <mnt ns inode>                 (in a sandbox with mounts: /proc/<pid>/mountinfo of the
 *   M <mnt ns inode> <mount id> <parent id> <major:minor> x<root> x<mount point> <options>
 *     <optional fields, comma-separated|-> <fstype> <super options>
 *                                   first running process of each mount namespace was read:
 *                                   an R line, then one M line per line of it — none when the
 *                                   process's root is on no mount of its namespace any more)
 *   .
 *
 * P lines come in label order, with the 10 namespace files in the trace's order (an inode,
 * or '-' where the kernel will not open the file). F lines name the namespace descriptors
 * held by running processes, each read in the first running process that holds it. N lines
 * describe every namespace met, through NS_GET_NSTYPE, NS_GET_USERNS and NS_GET_PARENT made
 * by the supervisor, which as root in the host's namespaces may ask about all of them.
 * The sandbox's PID namespace is the trace's initial one: no parent, level 0.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/sched.h>

struct nsinfo {
	ino_t ino;
	const char *type;
	ino_t owner, parent; /* 0: none */
	int level;
};

/* The namespaces met by one snapshot. */
static struct nsinfo *seen;
static int nseen, capseen;

static int find_ns(ino_t ino)
{
	for (int i = 0; i < nseen; i++)
		if (seen[i].ino == ino)
			return i;
	return -1;
}

static int describe(int fd);

/* Follow an fd-returning ioctl (owner, parent) to the namespace it names, described. */
static int describe_related(int fd, unsigned long req)
{
	int rel = ioctl(fd, req), idx;

	if (rel < 0)
		return -1;
	idx = describe(rel);
	close(rel);
	return idx;
}

/* Describe the namespace @fd refers to, once per snapshot; its index in `seen`. */
static int describe(int fd)
{
	struct stat st;
	int idx, type, owner, parent;

	if (fstat(fd, &st) < 0)
		return -1;
	idx = find_ns(st.st_ino);
	if (idx >= 0)
		return idx;
	type = ioctl(fd, NSA_GET_NSTYPE);
	if (nseen == capseen) {
		capseen = capseen ? capseen * 2 : 32;
		seen = realloc(seen, (size_t)capseen * sizeof(*seen));
		if (!seen)
			die("out of memory");
	}
	idx = nseen++;
	seen[idx] = (struct nsinfo){ .ino = st.st_ino, .type = nstype_short(type) };
	if (!seen[idx].type)
		seen[idx].type = "unknown";

	/* For a user namespace the owner is its parent; the initial one has none (EPERM). */
	owner = describe_related(fd, NSA_GET_USERNS);
	if (owner >= 0)
		seen[idx].owner = seen[owner].ino;

	if (type == CLONE_NEWUSER && owner >= 0) {
		seen[idx].parent = seen[owner].ino;
		seen[idx].level = seen[owner].level + 1;
	} else if (type == CLONE_NEWPID && st.st_ino != W.pidns_ino) {
		parent = describe_related(fd, NSA_GET_PARENT);
		if (parent >= 0) {
			seen[idx].parent = seen[parent].ino;
			seen[idx].level = seen[parent].level + 1;
		}
	}
	return idx;
}

/* Describe the namespace file @path under @dir; its inode, or 0 when it will not open. */
static ino_t describe_path(int dir, const char *path)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC), idx;

	if (fd < 0)
		return 0;
	idx = describe(fd);
	close(fd);
	return idx >= 0 ? seen[idx].ino : 0;
}

/* The inode of the namespace file (readlink: "uts:[4026531838]"), described if new. */
static ino_t ns_file_inode(int procdir, int file)
{
	char path[64], link[64];
	unsigned long long ino;
	ssize_t n;
	char *br;

	snprintf(path, sizeof(path), "ns/%s", ns_file_names[file]);
	n = readlinkat(procdir, path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	br = strchr(link, '[');
	if (!br || sscanf(br + 1, "%llu", &ino) != 1)
		return 0;
	if (find_ns((ino_t)ino) >= 0)
		return (ino_t)ino;
	return describe_path(procdir, path);
}

static const char *state_name(enum pstate s)
{
	switch (s) {
	case PS_RUNNING:
		return "running";
	case PS_ZOMBIE:
		return "zombie";
	default:
		return "exiting";
	}
}

/* A process's uname() answer, "nodename\0domainname"; not ok for one that is not running. */
struct names {
	char buf[UNAME_ANSWER_MAX + 1];
	bool ok;
};

/* Ask every running agent for its names at once, then collect the answers. */
static void ask_names(struct names *names)
{
	struct agent_cmd cmd = { .op = AOP_UNAME, .fd = -1 };
	struct agent_reply r;

	for (int i = 0; i < W.nprocs; i++)
		names[i].ok = W.procs[i].state == PS_RUNNING && agent_send(i, &cmd, NULL) == 0;
	for (int i = 0; i < W.nprocs; i++) {
		if (!names[i].ok)
			continue;
		memset(names[i].buf, 0, sizeof(names[i].buf));
		names[i].ok = agent_recv(i, &r, names[i].buf, sizeof(names[i].buf) - 1, NULL) == 0 &&
			      r.err == 0;
	}
}

static void out_name(struct out *o, const char *s, bool ok)
{
	if (!ok) {
		out_printf(o, " -");
		return;
	}
	out_printf(o, " ");
	out_hex(o, s, strlen(s));
}

/* A line of a status file after its "Name:\t", up to the newline, with tabs as commas. */
static const char *status_field(const char *buf, const char *name, char *out, size_t cap)
{
	const char *l = strstr(buf, name);
	size_t n = 0;

	if (!l)
		return NULL;
	l += strlen(name);
	while (*l == '\t' || *l == ' ')
		l++;
	while (*l && *l != '\n' && n + 1 < cap) {
		char c = *l++;

		out[n++] = (c == '\t' || c == ' ') ? ',' : c;
	}
	while (n > 0 && out[n - 1] == ',')
		n--;
	out[n] = '\0';
	return out;
}

/* The credentials of /proc/<pid>/status as a C line (`-` for no groups). */
static void observe_creds(struct out *o, int idx, int procdir)
{
	static const char *const names[] = {
		"\nUid:", "\nGid:", "\nGroups:", "\nCapInh:", "\nCapPrm:", "\nCapEff:", "\nCapBnd:",
		"\nCapAmb:", "\nNoNewPrivs:",
	};
	const size_t size = 1 << 20; /* 65536 groups of up to 10 digits fit */
	char *buf = malloc(size), field[64];

	if (!buf)
		die("out of memory");
	if (read_proc_file(procdir, "status", buf, size) <= 0) {
		warnx("cannot read the status of process %d", (int)W.procs[idx].hostpid);
		free(buf);
		return;
	}
	out_printf(o, "C %d", idx);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (i == 2) {
			/* the groups may be long: written straight from the buffer */
			const char *l = strstr(buf, names[i]);
			bool any = false;

			out_printf(o, " ");
			if (l) {
				for (l += strlen(names[i]); *l && *l != '\n'; l++) {
					if (*l == '\t' || *l == ' ') {
						if (any && l[1] && l[1] != '\n' && l[1] != ' ')
							out_printf(o, ",");
						continue;
					}
					out_printf(o, "%c", *l);
					any = true;
				}
			}
			if (!any)
				out_printf(o, "-");
			continue;
		}
		out_printf(o, " %s", status_field(buf, names[i], field, sizeof(field)) ?: "?");
	}
	out_printf(o, "\n");
	free(buf);
}

static void observe_process(struct out *o, int idx, const struct names *nm)
{
	struct proc *p = &W.procs[idx];
	struct pstatus st;
	ino_t ino[NS_FILE_COUNT];

	if (read_status(p->procdir, &st) < 0) {
		warnx("cannot read the status of process %d", (int)p->hostpid);
		return;
	}
	for (int f = 0; f < NS_FILE_COUNT; f++)
		ino[f] = ns_file_inode(p->procdir, f);

	out_printf(o, "P %d %s %lu ", idx, state_name(p->state), st.uid);
	for (int l = W.nspid_drop; l < st.nspid_len; l++)
		out_printf(o, "%s%d", l > W.nspid_drop ? "," : "", st.nspid[l]);
	out_name(o, nm->buf, nm->ok);
	out_name(o, nm->buf + strlen(nm->buf) + 1, nm->ok);
	for (int f = 0; f < NS_FILE_COUNT; f++) {
		if (ino[f])
			out_printf(o, " %llu", (unsigned long long)ino[f]);
		else
			out_printf(o, " -");
	}
	out_printf(o, "\n");
	if (W.creds)
		observe_creds(o, idx, p->procdir);
}

/* The first running process (label order) whose table holds @label; its descriptor. */
static int holder_of(int label, int *fd)
{
	for (int i = 0; i < W.nprocs; i++) {
		if (W.procs[i].state != PS_RUNNING)
			continue;
		*fd = fdtable_get(W.procs[i].table, label);
		if (*fd >= 0)
			return i;
	}
	return -1;
}

static void observe_fds(struct out *o)
{
	for (int label = 0; label < W.nlabels; label++) {
		char path[32];
		ino_t ino;
		int fd, holder;

		if (!is_ns_fd(label))
			continue;
		holder = holder_of(label, &fd);
		if (holder < 0)
			continue;
		snprintf(path, sizeof(path), "fd/%d", fd);
		ino = describe_path(W.procs[holder].procdir, path);
		if (ino)
			out_printf(o, "F %d %llu\n", label, (unsigned long long)ino);
	}
}

static void out_ino(struct out *o, ino_t ino)
{
	if (ino)
		out_printf(o, " %llu", (unsigned long long)ino);
	else
		out_printf(o, " -");
}

/* ---- mounts ------------------------------------------------------------------------------- */

/* A whole file under @dir, NUL-terminated, in a buffer of its own (free it); NULL if unread. */
static char *read_whole(int dir, const char *path)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				die("out of memory");
			buf = more;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/*
 * One line of mountinfo as an M line: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3
 * /dev/root rw,errors=continue" (proc(5)). Paths are passed as written (octal escapes and
 * all); Node reads them.
 */
static void out_mount(struct out *o, ino_t ns, char *line)
{
	char *tok[64], *save = NULL;
	int n = 0, dash = -1;

	for (char *t = strtok_r(line, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save)) {
		if (dash < 0 && !strcmp(t, "-"))
			dash = n;
		tok[n++] = t;
	}
	if (dash < 6 || n < dash + 4) {
		warnx("cannot read a line of mountinfo");
		return;
	}
	out_printf(o, "M %llu %s %s %s ", (unsigned long long)ns, tok[0], tok[1], tok[2]);
	out_hex(o, tok[3], strlen(tok[3]));
	out_printf(o, " ");
	out_hex(o, tok[4], strlen(tok[4]));
	out_printf(o, " %s ", tok[5]);
	for (int i = 6; i < dash; i++)
		out_printf(o, "%s%s", i > 6 ? "," : "", tok[i]);
	out_printf(o, "%s %s %s\n", dash == 6 ? "-" : "", tok[dash + 1], tok[dash + 3]);
}

/* M lines: each mount namespace's mounts, read in the first running process in it. */
static void observe_mounts(struct out *o)
{
	ino_t *done = calloc((size_t)W.nprocs + 1, sizeof(*done));
	int ndone = 0, mnt_file = -1;

	if (!done)
		die("out of memory");
	for (int f = 0; f < NS_FILE_COUNT; f++)
		if (!strcmp(ns_file_names[f], "mnt"))
			mnt_file = f;
	for (int i = 0; i < W.nprocs; i++) {
		ino_t ns;
		char *info, *save = NULL;
		bool seen_before = false;

		if (W.procs[i].state != PS_RUNNING)
			continue;
		ns = ns_file_inode(W.procs[i].procdir, mnt_file);
		for (int k = 0; k < ndone; k++)
			seen_before |= done[k] == ns;
		if (!ns || seen_before)
			continue;
		info = read_whole(W.procs[i].procdir, "mountinfo");
		if (!info) {
			warnx("cannot read the mountinfo of process %d", (int)W.procs[i].hostpid);
			continue;
		}
		done[ndone++] = ns;
		out_printf(o, "R %llu\n", (unsigned long long)ns);
		for (char *l = strtok_r(info, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			out_mount(o, ns, l);
		free(info);
	}
	free(done);
}

void observe(struct out *o)
{
	struct names *names = calloc((size_t)W.nprocs + 1, sizeof(*names));

	if (!names)
		die("out of memory");
	nseen = 0;
	ask_names(names);
	out_printf(o, "snap\n");
	for (int i = 0; i < W.nprocs; i++) {
		enum pstate s = W.procs[i].state;

		if (s == PS_RUNNING || s == PS_ZOMBIE || s == PS_EXITING)
			observe_process(o, i, &names[i]);
	}
	observe_fds(o);
	for (int i = 0; i < nseen; i++) {
		out_printf(o, "N %llu %s", (unsigned long long)seen[i].ino, seen[i].type);
		out_ino(o, seen[i].owner);
		out_ino(o, seen[i].parent);
		out_printf(o, " %d\n", seen[i].level);
	}
	if (W.mounts)
		observe_mounts(o);
	out_printf(o, ".\n");
	free(names);
}

void identity(struct out *o, long long idx, long long file)
{
	char path[64], link[64], type[16];
	unsigned long long ino;
	ssize_t n;

	if (idx < 0 || idx >= W.nprocs || file < 0 || file >= NS_FILE_COUNT ||
	    W.procs[idx].procdir < 0 || W.procs[idx].state == PS_REAPED) {
		out_printf(o, "null\n");
		return;
	}
	snprintf(path, sizeof(path), "ns/%s", ns_file_names[file]);
	n = readlinkat(W.procs[idx].procdir, path, link, sizeof(link) - 1);
	if (n <= 0) {
		out_printf(o, "null\n");
		return;
	}
	link[n] = '\0';
	if (sscanf(link, "%15[a-z]:[%llu]", type, &ino) != 2) {
		out_printf(o, "null\n");
		return;
	}
	out_printf(o, "id %s %llu\n", type, ino);
}
