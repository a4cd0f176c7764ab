# nsmodel: --user unprivileged
# User namespaces: an unprivileged user cannot create other namespaces...
id
unshare -u
explain
# ...but may create a user namespace, in which it has every capability.
unshare -U
id
cat /proc/self/uid_map
hostname inside
explain
exit
# -r maps the user to root inside (uid_map "0 1000 1"; setgroups deny, then gid_map).
unshare -r
id
cat /proc/$$/uid_map /proc/$$/gid_map /proc/$$/setgroups
# The new user namespace owns what is created in it: now a UTS namespace is allowed.
unshare -u
hostname inner
hostname
lsns -p $$
explain
exit
exit
