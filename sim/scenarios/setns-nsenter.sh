# The article's setns() section: nsenter -a -t 1 moves a shell back into the namespaces of
# PID 1, undoing the isolation: a hostname set there is the system's.
unshare -u
hostname isolated
readlink /proc/1/ns/uts /proc/$$/ns/uts
nsenter -a -t 1
readlink /proc/1/ns/uts /proc/$$/ns/uts
hostname
hostname changed
explain
exit
exit
hostname
