# nsmodel: --times-blind
# The tools a tutorial types, compared with the real ones (recorded with record-real.py):
# one getopt for every program, hostname's usage, the builtins that are programs too.
hostname a b
echo $?
hostname
lsns -nt uts
lsns -Jt uts
lsns -p 999
echo $?
nsenter -a -t 1 echo hi
which lsns
type echo lsns cd
echo a b c | wc
echo a | wc -l
echo $HOSTNAME
sh -c 'echo $$ $PPID'
kill -TERM 99999
kill -l 9
ps -o pid,comm
ps -eo pid,ppid,comm
pstree
