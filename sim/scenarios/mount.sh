# nsmodel: --user unprivileged
# Mount namespaces, and mounting a /proc.
readlink /proc/$$/ns/mnt
unshare -Urm
readlink /proc/$$/ns/mnt
# From inside the new user namespace, the processes outside are not ours to look at:
readlink -v /proc/1/ns/mnt
exit
# A new procfs shows the mounter's own PID namespace, owned here by the initial user
# namespace: as root of a new user namespace alone, mounting it is not allowed.
unshare -Urm --mount-proc
explain
# With a PID namespace of its own (--fork: its child is PID 1 there), it is.
unshare -Urpf --mount-proc
ps -ef
readlink /proc/$$/ns/pid /proc/$$/ns/mnt
exit
