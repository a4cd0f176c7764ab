// SPDX-License-Identifier: MIT
/*
 * Reading /proc/<pid> for the supervisor, always relative to a /proc/<pid> directory the
 * supervisor holds open (so that a reused PID number can never be read by mistake).
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Read a small file under @dir into @buf (NUL-terminated), reading until its end; its length,
 * or -1 (also when it does not fit: a cut /proc file would be misread, never half-parsed).
 */
static ssize_t read_small(int dir, const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && len + (size_t)n >= size - 1)) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

int read_task_stat(int dir, const char *path, struct task_stat *ts)
{
	char buf[1024], *p;

	if (read_small(dir, path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')'); /* the command name may hold anything */
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %lu", &ts->state, &ts->flags) != 2)
		return -1;
	return 0;
}

enum zap_wait read_zap_wait(int dir, const char *path)
{
	char buf[64];
	ssize_t n = read_small(dir, path, buf, sizeof(buf));

	if (n <= 0)
		return ZAP_NONE;
	if (!strcmp(buf, "zap_pid_ns_processes"))
		return ZAP_FINAL_LOOP;
	if (!strcmp(buf, "do_wait"))
		return ZAP_CHILDREN;
	return ZAP_NONE;
}

int read_status(int procdir, struct pstatus *st)
{
	char buf[16384], *line;

	if (read_small(procdir, "status", buf, sizeof(buf)) <= 0)
		return -1;
	line = strstr(buf, "\nUid:");
	if (!line || sscanf(line + 5, "%lu", &st->uid) != 1)
		return -1;
	line = strstr(buf, "\nNSpid:");
	if (!line)
		return -1;
	line += 7;
	st->nspid_len = 0;
	while (*line != '\n' && *line && st->nspid_len < NSPID_MAX) {
		char *end;
		long v = strtol(line, &end, 10);

		if (end == line)
			break;
		st->nspid[st->nspid_len++] = (int)v;
		line = end;
	}
	return 0;
}

/* read_small() for other files of the supervisor (observe.c's credentials). */
ssize_t read_proc_file(int dir, const char *path, char *buf, size_t size)
{
	return read_small(dir, path, buf, size);
}
