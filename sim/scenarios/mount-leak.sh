# The seed series' mount namespace leak: a mount made in one mount namespace appears in
# another when the two share a peer group. unshare -m makes every mount of the new namespace
# private first (mount("none", "/", NULL, MS_REC|MS_PRIVATE)); with --propagation unchanged
# its copy of / stays a peer of the first namespace's /.
mkdir /data
unshare -m --propagation unchanged
# Another mount namespace, whose / is a peer of the first one's (the same shared:N):
readlink /proc/1/ns/mnt /proc/$$/ns/mnt
cat /proc/1/mountinfo /proc/$$/mountinfo
mount -t tmpfs tmpfs /data
# The new mount propagated to every peer of /: init's namespace has it too, the two copies
# peers of each other.
cat /proc/1/mountinfo /proc/$$/mountinfo
exit
# Back in the first mount namespace, the leaked mount stays after the other one is gone:
findmnt /data
umount /data
# unshare's default, --propagation private: the mount stays in its namespace.
unshare -m
findmnt -o TARGET,PROPAGATION
mount -t tmpfs tmpfs /data
exit
findmnt /data
echo $?
# A mount namespace made in a new user namespace is less privileged: its copies of shared
# mounts become slaves of the originals (copy_mnt_ns() with CL_SHARED_TO_SLAVE). What is
# mounted inside, even with --propagation unchanged, never reaches the outside.
unshare -Urm --propagation unchanged
findmnt -o TARGET,PROPAGATION
cat /proc/self/mountinfo
mount -t tmpfs tmpfs /data
# The copies came from a more privileged namespace, so they are locked together
# (lock_mnt_tree()): /proc cannot be unmounted to reveal what is beneath it.
umount /proc
explain
exit
findmnt /data
echo $?
