# nsmodel: --hostname lab
# Namespaces nest: a shell in new UTS and PID namespaces, another in a new network one
# below it. tree shows each process with the namespaces it does not share with its parent.
unshare -u -pf --mount-proc
hostname lab2
unshare -n
tree
pstree -p
exit
exit
tree
