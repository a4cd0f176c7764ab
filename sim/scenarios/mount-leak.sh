# The seed series' mount namespace leak: a mount made in one mount namespace appears in
# another when the two share a peer group. unshare -m makes every mount of the new namespace
# private first (mount("none", "/", NULL, MS_REC|MS_PRIVATE)); with --propagation unchanged
# its copy of / stays a peer of the first namespace's /.
mkdir /data
unshare -m --propagation unchanged
readlink /proc/$$/ns/mnt
mount -t tmpfs tmpfs /data
findmnt -o TARGET,SOURCE,PROPAGATION
exit
# Back in the first mount namespace: the tmpfs mounted in the other one is here too.
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
