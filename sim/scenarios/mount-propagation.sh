# Mount propagation, one type at a time. This world's / and /proc are shared, each in a
# peer group of its own (mountinfo's shared:N), as systemd leaves them:
findmnt -o TARGET,PROPAGATION
cat /proc/self/mountinfo
# shared: a bind mount of a shared mount joins its peer group; a mount made under one of
# the peers appears under every other.
mkdir /src /peer
mount -t tmpfs tmpfs /src
mount --bind /src /peer
mkdir /src/one
mount -t tmpfs tmpfs /src/one
findmnt -o TARGET,PROPAGATION
cat /proc/self/mountinfo
# slave: it receives what its master's peer group mounts, and sends nothing back
# (mountinfo: master:N).
mkdir /slave /src/two /src/three
mount --bind /src /slave
mount --make-slave /slave
mount -t tmpfs tmpfs /src/two
mount -t tmpfs tmpfs /slave/three
findmnt -o TARGET,PROPAGATION
# private: neither receives nor sends.
umount -l /peer
mount --make-private /src
mount -t tmpfs tmpfs /src/three
findmnt -o TARGET,PROPAGATION
# unbindable: private, and no bind mount may be made of it.
mkdir /copy
mount --make-unbindable /src
mount --bind /src /copy
explain
findmnt -o TARGET,PROPAGATION /src
