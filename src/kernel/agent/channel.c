// SPDX-License-Identifier: MIT
/*
 * The supervisor's end of the agents' control sockets: one command, one answer. An agent
 * that can no longer answer (it exited, was killed, or is exiting) is noticed through its
 * pidfd and /proc, never by waiting for ever.
 */
#include "supervisor.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#define PF_EXITING 0x00000004 /* include/linux/sched.h */

/* How often a wait for an answer looks whether the agent is still there (ms). */
#define ANSWER_CHECK_MS 100

int agent_send(int idx, const struct agent_cmd *cmd, const void *data)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)cmd, .iov_len = sizeof(*cmd) },
		{ .iov_base = (void *)data, .iov_len = cmd->len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = cmd->len ? 2 : 1 };

	while (sendmsg(W.procs[idx].sock, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Has the process stopped being able to answer: exited, or exiting? */
static bool agent_gone(const struct proc *p)
{
	struct pollfd pf = { .fd = p->pidfd, .events = POLLIN };
	struct task_stat ts;

	if (poll(&pf, 1, 0) > 0)
		return true;
	return read_task_stat(p->procdir, "stat", &ts) < 0 || (ts.flags & PF_EXITING);
}

/* Wait until the agent's answer is there (0), or the agent is gone (-1). */
static int wait_answer(const struct proc *p)
{
	struct pollfd pf[2] = {
		{ .fd = p->sock, .events = POLLIN },
		{ .fd = p->pidfd, .events = POLLIN },
	};

	for (;;) {
		int ready = poll(pf, 2, ANSWER_CHECK_MS);

		if (ready < 0 && errno != EINTR)
			return -1;
		if (pf[0].revents & POLLIN)
			return 0;
		if ((pf[0].revents & (POLLHUP | POLLERR)) || (pf[1].revents & POLLIN))
			return -1;
		if (ready == 0 && agent_gone(p))
			return -1;
	}
}

/* The descriptor an SCM_RIGHTS message carried, or -1. */
static int passed_descriptor(struct msghdr *msg)
{
	struct cmsghdr *h = CMSG_FIRSTHDR(msg);
	int fd;

	if (!h || h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS ||
	    h->cmsg_len < CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

int agent_recv(int idx, struct agent_reply *r, char *data, size_t cap, int *passed_fd)
{
	const struct proc *p = &W.procs[idx];
	char spare[256];
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov[2] = {
		{ .iov_base = r, .iov_len = sizeof(*r) },
		{ .iov_base = data ? data : spare, .iov_len = data ? cap : sizeof(spare) },
	};
	struct msghdr msg = {
		.msg_iov = iov, .msg_iovlen = 2, .msg_control = cm.buf, .msg_controllen = sizeof(cm.buf),
	};
	ssize_t n;
	int fd;

	if (passed_fd)
		*passed_fd = -1;
	if (wait_answer(p) < 0)
		return -1;
	do
		n = recvmsg(p->sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < (ssize_t)sizeof(*r))
		return -1;
	fd = passed_descriptor(&msg);
	if (passed_fd)
		*passed_fd = fd;
	else
		close_fd(&fd);
	return 0;
}

int agent_call(int idx, const struct agent_cmd *cmd, const void *data, struct agent_reply *r,
	       char *rdata, size_t rcap, int *passed_fd)
{
	if (agent_send(idx, cmd, data) < 0)
		return -1;
	return agent_recv(idx, r, rdata, rcap, passed_fd);
}
