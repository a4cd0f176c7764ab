# nsmodel: --times-blind
# ps and pstree as procps and psmisc print them on a C.UTF-8 terminal (recorded with
# record-real.py), before and after a new PID namespace with its own /proc.
ps
ps -ef
ps -eo pid,ppid,user,comm
pstree
pstree -p
unshare --fork --pid --mount-proc
ps -ef
pstree -p
exit
kill -l
