# A Docker-like container: root in new UTS, IPC, network and mount namespaces, its
# capabilities cut to Docker's 14 default ones (the bounding set, and so the sets bash gets
# at exec). PID 1 is the host's init here (no PID namespace), as after a container escape
# to the host's /proc. The seed article's `nsenter -a -t 1` is refused: opening
# /proc/1/ns/* is a ptrace access check, and the container has neither CAP_SYS_PTRACE nor a
# permitted set containing init's.
unshare -u -i -n -m
hostname container
setpriv --bounding-set=-all,+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write --inh-caps=-all bash
cat /proc/self/status | grep Cap
nsenter -a -t 1
explain
exit
# CAP_SYS_ADMIN kept (setns needs it) is not enough: the ptrace check comes first.
setpriv --bounding-set=-all,+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write,+sys_admin --inh-caps=-all bash
nsenter -a -t 1
exit
# CAP_SYS_ADMIN and CAP_SYS_PTRACE kept: nsenter reaches the host's namespaces.
setpriv --bounding-set=-all,+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write,+sys_admin,+sys_ptrace --inh-caps=-all bash
hostname
nsenter -a -t 1
hostname
exit
exit
exit
