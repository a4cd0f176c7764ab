# Time namespaces are for children only: unshare(CLONE_NEWTIME) sets time_for_children,
# and the caller enters it by its next exec (here: unshare's exec of the shell).
ls -l /proc/$$/ns
unshare -T
ls -l /proc/$$/ns
explain
readlink /proc/1/ns/time_for_children /proc/$$/ns/time
exit
