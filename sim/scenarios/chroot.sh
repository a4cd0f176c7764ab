# chroot: a process's root directory. A directory with a /proc of its own becomes /:
mkdir -p /jail/proc /outside
mount -t proc proc /jail/proc
mount -t tmpfs tmpfs /outside
chroot /jail
pwd
ls /
ls /proc
# Only what the new root reaches is listed, mountpoints from it: not /outside, not the
# root's own mount (mountinfo still names it as the parent of /proc).
findmnt
cat /proc/self/mountinfo
# A working directory holds its mount busy.
mkdir /data
mount -t tmpfs tmpfs /data
cd /data
umount /data
explain
cd /
umount /data
# A chrooted process may not make a user namespace (root of one, it could chroot back out).
unshare -U
explain
exit
findmnt -o TARGET
# The classic escape: a root only stops a walk that passes through it. nsenter --root
# changes the root and leaves the working directory where it was: outside the new root.
chroot /jail
mkdir /cell
nsenter --root=/cell
ls
cd ..
ls
chroot .
findmnt -o TARGET
exit
exit
exit
