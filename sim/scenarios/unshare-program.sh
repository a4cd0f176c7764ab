# The article's unshare() program: unshare(CLONE_NEWUTS), hostname, hostname testname,
# hostname, lsns, then execvp("/bin/sh"). Its process is in the new UTS namespace; the
# processes it started with system() were too.
./a.out
lsns | grep uts
exit
lsns -t uts
