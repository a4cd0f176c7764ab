# IPC namespaces: System V IPC objects and POSIX message queues of one namespace are
# invisible from others. A new one, and the processes in it.
readlink /proc/$$/ns/ipc
unshare -i
readlink /proc/1/ns/ipc /proc/$$/ns/ipc
lsns -t ipc
exit
