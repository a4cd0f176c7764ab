# Network namespaces: a new one has only a loopback device, down.
unshare -n
readlink /proc/1/ns/net /proc/$$/ns/net
lsns -t net
bash
lsns -t net
exit
exit
