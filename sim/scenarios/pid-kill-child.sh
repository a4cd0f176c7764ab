# --kill-child: the child asks for SIGKILL when its parent (unshare) dies.
unshare -f --kill-child
echo $$ $PPID
ps -f
kill -9 $PPID
echo back in the login shell: $?
ps -f
