// SPDX-License-Identifier: MIT
/*
 * Settling (TRACE.md: "After each step a kernel backend waits until the kernel has settled
 * what the step started").
 *
 * Only two kinds of step start something that goes on after the call returns: `exit` (the
 * process dies; if it is the init of a PID namespace, zap_pid_ns_processes() SIGKILLs every
 * other process of that namespace and of the namespaces below it) and a `wait` that reaped
 * (freeing a PID may wake an init waiting in zap_pid_ns_processes()). After those, every
 * traced process that is not reaped is classified until the whole sandbox is at rest:
 *
 *   running   every task blocked (S) and none exiting (PF_EXITING clear). A task that got
 *             SIGKILL is woken at once (R) and sets PF_EXITING before it can block again,
 *             so a killed process never reads as running;
 *   zombie    the pidfd polls readable (the whole thread group has exited) but not HUP,
 *             and the state is 'Z' ('X', EXIT_DEAD, is a reap under way);
 *   reaped    the pidfd polls HUP (no task any more);
 *   exiting   the thread group has not exited, and a task with PF_EXITING is blocked in
 *             zap_pid_ns_processes(): in its kernel_wait4() for its own children (wchan
 *             "do_wait"), or in its final loop (wchan "zap_pid_ns_processes") while another
 *             traced process still has a PID in its namespace. (release_task() makes the
 *             pidfd poll HUP before free_pids() frees the numbers and wakes the init, so an
 *             init in the final loop with nobody left is about to finish, not exiting.)
 *             The other tasks of the group are zombies or gone;
 *   anything else is in flux.
 *
 * The sandbox is at rest when two passes in a row find nothing in flux and the same
 * classes. All kills of the step happen before its actor blocks or becomes a zombie, so a
 * pass that sees the actor at rest reads every other process after its kill. Nothing here
 * sleeps to synchronise: the loop waits for a state, backing off between passes.
 */
#include "supervisor.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define PF_EXITING 0x00000004 /* include/linux/sched.h */


enum klass {
	K_RUNNING,
	K_ZOMBIE,
	K_EXITING,  /* blocked in zap_pid_ns_processes(), for good (see classify()) */
	K_REAPED,
	K_FLUX,
	K_ZAP_LOOP, /* (per task) blocked in the final loop of zap_pid_ns_processes() */
};

/* One task: running, zombie, exiting (blocked in zap), reaped (gone) or in flux. */
static enum klass classify_task(int dir, const char *stat_path, const char *wchan_path)
{
	struct task_stat ts;

	if (read_task_stat(dir, stat_path, &ts) < 0)
		return K_REAPED;
	if (ts.state == 'Z' || ts.state == 'X')
		return K_ZOMBIE;
	if (!(ts.flags & PF_EXITING))
		return ts.state == 'S' ? K_RUNNING : K_FLUX;
	/* blocked: 'S' or 'D'; 'I' (TASK_IDLE) is how Linux 6.1's final loop of
	 * zap_pid_ns_processes() sleeps */
	if (ts.state != 'S' && ts.state != 'D' && ts.state != 'I')
		return K_FLUX;
	switch (read_zap_wait(dir, wchan_path)) {
	case ZAP_CHILDREN:
		return K_EXITING;
	case ZAP_FINAL_LOOP:
		return K_ZAP_LOOP;
	default:
		return K_FLUX;
	}
}

/* A process with threads: combine its tasks. */
static enum klass classify_threads(struct proc *p)
{
	int tasks = openat(p->procdir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int running = 0, exiting = 0, zap_loop = 0, other = 0;
	DIR *d;
	struct dirent *e;

	if (tasks < 0)
		return K_FLUX;
	d = fdopendir(tasks);
	if (!d) {
		close(tasks);
		return K_FLUX;
	}
	while ((e = readdir(d))) {
		char stat_path[300], wchan_path[300];

		if (e->d_name[0] == '.')
			continue;
		snprintf(stat_path, sizeof(stat_path), "%s/stat", e->d_name);
		snprintf(wchan_path, sizeof(wchan_path), "%s/wchan", e->d_name);
		switch (classify_task(dirfd(d), stat_path, wchan_path)) {
		case K_RUNNING:
			running++;
			break;
		case K_EXITING:
			exiting++;
			break;
		case K_ZAP_LOOP:
			zap_loop++;
			break;
		case K_ZOMBIE:
		case K_REAPED:
			break;
		default:
			other++;
			break;
		}
	}
	closedir(d);
	if (other || (running && (exiting || zap_loop)))
		return K_FLUX;
	if (zap_loop)
		return K_ZAP_LOOP;
	if (exiting)
		return K_EXITING;
	return running ? K_RUNNING : K_FLUX;
}

/*
 * Does any other traced process still have a PID in @p's PID namespace? An init in the final
 * loop of zap_pid_ns_processes() waits for exactly those PIDs to be freed. Once none is left
 * it is about to be woken: release_task() makes a reaped task's pidfd poll HUP before it
 * frees the PID numbers (free_pids(), after tasklist_lock is dropped), and only then does
 * free_pid() wake the init.
 */
static bool others_in_pidns(const struct proc *p)
{
	int ns = open_pidns(p);
	bool found = false;

	if (ns < 0)
		return false;
	for (int i = 0; i < W.nprocs && !found; i++) {
		pid_t host = &W.procs[i] != p ? host_pid(i) : -1;

		found = host > 0 && tgid_in_pidns(ns, host) > 0;
	}
	close(ns);
	return found;
}

/* One process, as the comment at the top says. */
static enum klass classify(struct proc *p)
{
	struct pollfd pf = { .fd = p->pidfd, .events = POLLIN };
	enum klass k;

	if (poll(&pf, 1, 0) > 0) {
		struct task_stat ts;

		if (pidfd_reaped(p->pidfd, pf.revents))
			return K_REAPED;
		/* Exited: a zombie ('Z'), or EXIT_DEAD ('X') while it is being reaped. */
		if (pf.revents & POLLIN)
			return read_task_stat(p->procdir, "stat", &ts) == 0 && ts.state == 'Z' ? K_ZOMBIE : K_FLUX;
	}
	if (p->threaded) {
		k = classify_threads(p);
	} else {
		k = classify_task(p->procdir, "stat", "wchan");
		/* The group has not exited, so a zombie or vanished task is a change under way. */
		if (k == K_ZOMBIE || k == K_REAPED)
			k = K_FLUX;
	}
	if (k == K_ZAP_LOOP)
		k = others_in_pidns(p) ? K_EXITING : K_FLUX;
	return k;
}

/*
 * The processes a step can have changed (the candidates), marked in @c. Nothing else in the
 * sandbox moves between steps, and a process changes class only by dying or being reaped:
 *   - the actor and the target of the step, with their thread groups (exit_group, a signal);
 *   - every process that armed a parent-death signal (a death may send it);
 *   - every zombie whose pidfd now says reaped (a `wait`, or an init's last kernel_wait4);
 *   - every exiting init, and every process of its PID namespace (a reap may let it finish);
 *   - and, found while waiting (mark_pidns), every process of the PID namespace of an init
 *     that is dying: zap_pid_ns_processes() kills them all.
 */
static void mark_tgroup(bool *c, int i)
{
	if (i < 0 || i >= W.nprocs || !unreaped(i))
		return;
	for (int j = 0; j < W.nprocs; j++)
		if (unreaped(j) && W.procs[j].tgroup == W.procs[i].tgroup)
			c[j] = true;
}

/* Every traced process with a PID in @init's PID namespace (or one below it), and any whose
 * process is already gone. */
static void mark_pidns(bool *c, const struct proc *init)
{
	int ns = open_pidns(init);

	for (int j = 0; j < W.nprocs; j++) {
		pid_t host;

		if (!unreaped(j) || c[j])
			continue;
		host = host_pid(j);
		if (host <= 0 || ns < 0 || tgid_in_pidns(ns, host) > 0)
			c[j] = true;
	}
	if (ns >= 0)
		close(ns);
}

static void mark_candidates(bool *c, int actor, int target)
{
	int nz = 0, *zi = malloc(sizeof(int) * (size_t)(W.nprocs + 1));
	struct pollfd *pz = malloc(sizeof(*pz) * (size_t)(W.nprocs + 1));

	if (!zi || !pz)
		die("out of memory");
	mark_tgroup(c, actor);
	mark_tgroup(c, target);
	for (int i = 0; i < W.nprocs; i++) {
		if (!unreaped(i))
			continue;
		if (W.procs[i].pdeathsig)
			c[i] = true;
		if (W.procs[i].state == PS_EXITING) {
			c[i] = true;
			mark_pidns(c, &W.procs[i]);
		}
		if (W.procs[i].state == PS_ZOMBIE) {
			zi[nz] = i;
			pz[nz++] = (struct pollfd){ .fd = W.procs[i].pidfd, .events = POLLIN };
		}
	}
	if (nz > 0 && poll(pz, (nfds_t)nz, 0) > 0)
		for (int j = 0; j < nz; j++)
			if (pidfd_reaped(pz[j].fd, pz[j].revents))
				c[zi[j]] = true;
	free(zi);
	free(pz);
}

/* Classify every candidate into @k; false when one is in flux. */
static bool classify_marked(const bool *c, enum klass *k)
{
	bool rest = true;

	for (int i = 0; i < W.nprocs; i++) {
		if (!c[i] || !unreaped(i))
			continue;
		k[i] = classify(&W.procs[i]);
		if (k[i] == K_FLUX)
			rest = false;
	}
	return rest;
}

static int count_marked(const bool *c)
{
	int n = 0;

	for (int i = 0; i < W.nprocs; i++)
		n += c[i];
	return n;
}

/* An init among the candidates that is not running: its whole namespace is a candidate too.
 * True when that added any. */
static bool widen_to_dying_inits(bool *c, bool *widened, const enum klass *k)
{
	int before = count_marked(c);

	for (int i = 0; i < W.nprocs; i++) {
		if (!c[i] || widened[i] || !unreaped(i) || !W.procs[i].is_init || k[i] == K_RUNNING)
			continue;
		widened[i] = true;
		mark_pidns(c, &W.procs[i]);
	}
	return count_marked(c) > before;
}

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Let the dying run: yield first, then sleep a little longer each round (at most 1 ms). */
static void back_off(int round)
{
	struct timespec t = { 0, 0 };

	if (round < 4) {
		sched_yield();
		return;
	}
	t.tv_nsec = round < 14 ? 10000L << (round - 4) / 2 : 1000000L;
	if (t.tv_nsec > 1000000L)
		t.tv_nsec = 1000000L;
	nanosleep(&t, NULL);
}

static enum pstate state_of(enum klass k)
{
	switch (k) {
	case K_RUNNING:
		return PS_RUNNING;
	case K_ZOMBIE:
		return PS_ZOMBIE;
	case K_EXITING:
		return PS_EXITING;
	default:
		return PS_REAPED;
	}
}

/*
 * Wait until none of the candidates that @k marks in flux is in flux any more, or the
 * deadline passes; only those are read again. Between reads the supervisor sleeps in poll()
 * on their pidfds (an exit wakes it at once), at most 1 ms, so the dying get the CPU.
 */
static void wait_out_flux(const bool *c, enum klass *k, long long deadline)
{
	int n = 0, *idx = malloc(sizeof(int) * (size_t)(W.nprocs + 1));
	struct pollfd *pf = malloc(sizeof(*pf) * (size_t)(W.nprocs + 1));

	if (!idx || !pf)
		die("out of memory");
	for (int i = 0; i < W.nprocs; i++)
		if (c[i] && unreaped(i) && k[i] == K_FLUX)
			idx[n++] = i;
	while (n > 0 && now_ns() <= deadline) {
		int m = 0;

		for (int j = 0; j < n; j++)
			pf[j] = (struct pollfd){ .fd = W.procs[idx[j]].pidfd, .events = POLLIN };
		poll(pf, (nfds_t)n, 1);
		for (int j = 0; j < n; j++) {
			k[idx[j]] = classify(&W.procs[idx[j]]);
			if (k[idx[j]] == K_FLUX)
				idx[m++] = idx[j];
		}
		n = m;
	}
	free(idx);
	free(pf);
}

/*
 * Wait until the sandbox is at rest, and note what became of the processes the step can have
 * changed (mark_candidates): a pass over the candidates; while some are in flux, only those
 * are watched (wait_out_flux); a dying init adds its namespace; rest is two passes in a row
 * with nothing in flux and the same classes. A kernel that does not settle within the limit
 * (NSAGENT_SETTLE_MS) ends the run: what the supervisor knows of its processes could no
 * longer be trusted, so no step may run after it.
 */
bool settle(int actor, int target)
{
	size_t n = (size_t)W.nprocs + 1;
	enum klass *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b));
	bool *c = calloc(n, sizeof(*c)), *widened = calloc(n, sizeof(*widened));
	long long deadline = now_ns() + L.settle_ns;
	bool at_rest = true;

	if (!a || !b || !c || !widened)
		die("out of memory");
	if (L.stale_books) /* a test's fault (struct limits): no settling at all */
		goto out;
	mark_candidates(c, actor, target);
	for (int round = 0;; round++) {
		if (!classify_marked(c, a))
			wait_out_flux(c, a, deadline);
		else if (widen_to_dying_inits(c, widened, a))
			continue;
		else if (classify_marked(c, b) && !memcmp(a, b, n * sizeof(*a)))
			break;
		else
			back_off(round);
		if (now_ns() > deadline) {
			world_abort("limit: settling (the kernel did not settle what a step started "
				    "within %lld ms)", L.settle_ns / 1000000);
			at_rest = false;
			break;
		}
	}
	if (at_rest)
		for (int i = 0; i < W.nprocs; i++)
			if (c[i] && unreaped(i) && b[i] != K_FLUX)
				proc_set_state(i, state_of(b[i]));
out:
	free(a);
	free(b);
	free(c);
	free(widened);
	return at_rest;
}
