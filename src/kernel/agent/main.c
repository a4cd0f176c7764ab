// SPDX-License-Identifier: MIT
/*
 * nsagent entry point.
 *
 *   nsagent supervisor <harness-pid>   the supervisor (Node's child; see supervisor.c)
 *   nsagent agent <ctl-fd> exec|p0     an agent after exec (see agent.c); not for people
 *   <any argv> with NSAGENT_CTL=<ctl-fd>  an agent after an `exec` step with argv
 */
#include "nsagent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	fprintf(stderr, "usage: nsagent supervisor <harness-pid>\n"
			"nsagent is the kernel backend of nsmodel; it is started by nsmodel itself.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *env_ctl = getenv(AGENT_CTL_ENV);

	/* First: a trace's argv may be anything, "x supervisor 1" too (Node starts the
	 * supervisor without this variable). */
	if (env_ctl) {
		int ctl = atoi(env_ctl);

		if (ctl < CTL_FD_BASE)
			usage();
		agent_set_argv(argc, argv);
		agent_main(ctl, AGENT_AFTER_EXEC);
	}
	if (argc == 3 && !strcmp(argv[1], "supervisor"))
		return supervisor_main((pid_t)atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "agent")) {
		int ctl = atoi(argv[2]);

		if (ctl < CTL_FD_BASE)
			usage();
		agent_main(ctl, !strcmp(argv[3], "p0") ? AGENT_P0 : AGENT_AFTER_EXEC);
	}
	usage();
}
