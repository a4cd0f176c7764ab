# PID namespaces. unshare(CLONE_NEWPID) moves only the children: without --fork the shell
# stays where it was, its first child (from its start-up files) becomes PID 1 of the new
# namespace and exits, and then nothing can be made there.
unshare -p
echo $$
ps
explain
exit
# With --fork the child is PID 1. But ps reads /proc, which still shows the old namespace.
unshare -pf
echo $$
ps
readlink /proc/self /proc/self/ns/pid /proc/$$/ns/pid
exit
# --mount-proc mounts a /proc of the new PID namespace (in a new mount namespace).
unshare -pf --mount-proc
echo $$
ps -ef
cat /proc/self/status
# PID 1 of a namespace ignores signals from inside it: even SIGKILL.
kill -9 1
explain
exit
