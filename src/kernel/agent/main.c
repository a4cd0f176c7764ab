// SPDX-License-Identifier: MIT
/*
 * nsagent entry point.
 *
 *   nsagent supervisor <harness-pid>   the supervisor (Node's child; see supervisor.c)
 *   nsagent agent <ctl-fd> exec|p0     an agent after exec (see agent.c); not for people
 *   nsagent probe                      which kernel interfaces the backend relies on this
 *                                      kernel has (probe.c; for nsmodel check --target)
 *   nsagent rootfs                     the names in the machine's rootfs (hostsafe.c; for the
 *                                      host-safety test)
 *   <any argv> with NSAGENT_CTL=<ctl-fd>  an agent after an `exec` step with argv
 */
#include "nsagent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr, "usage: nsagent supervisor <harness-pid>\n"
			"nsagent is the kernel backend of nsmodel; it is started by nsmodel itself.\n");
	exit(2);
}

/*
 * The control socket an agent is started with: a number at or above CTL_FD_BASE that is an
 * open socket. Anything else (the binary started by hand) is a usage error, not an agent
 * waiting forever for a supervisor that does not exist.
 */
static int control_socket(const char *arg)
{
	char *end;
	long fd = strtol(arg, &end, 10);
	struct stat st;

	if (*arg == '\0' || *end != '\0' || fd < CTL_FD_BASE || fd > 1 << 24 ||
	    fstat((int)fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "nsagent: '%s' is not a control socket of nsmodel's supervisor\n", arg);
		usage();
	}
	return (int)fd;
}

int main(int argc, char **argv)
{
	const char *env_ctl = getenv(AGENT_CTL_ENV);

	/* First: a trace's argv may be anything, "x supervisor 1" too (Node starts the
	 * supervisor without this variable). */
	if (env_ctl) {
		int ctl = control_socket(env_ctl);

		agent_set_argv(argc, argv);
		agent_main(ctl, AGENT_AFTER_EXEC);
	}
	if (argc == 2 && !strcmp(argv[1], "probe"))
		return probe_main();
	if (argc == 2 && !strcmp(argv[1], "rootfs"))
		return rootfs_main();
	if (argc == 3 && !strcmp(argv[1], "supervisor"))
		return supervisor_main((pid_t)atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "agent")) {
		int ctl = control_socket(argv[2]);

		agent_main(ctl, !strcmp(argv[3], "p0") ? AGENT_P0 : AGENT_AFTER_EXEC);
	}
	usage();
}
