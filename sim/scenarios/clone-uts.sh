# The article's clone() program: clone(run, stack, CLONE_NEWUTS | SIGCHLD, 0), the child runs /bin/sh.
./clone
hostname cloned
hostname
readlink /proc/1/ns/uts /proc/$$/ns/uts
exit
hostname
