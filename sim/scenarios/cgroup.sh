# cgroup namespaces: the new one's root is the creator's cgroup.
unshare -C
readlink /proc/1/ns/cgroup /proc/$$/ns/cgroup
lsns -t cgroup
exit
