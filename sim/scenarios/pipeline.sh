# nsmodel: --times-blind
# Every command of a pipeline is a process while it runs (recorded with record-real.py):
# lsns counts grep; sh -c forks for its command; ps sees cat.
lsns -t uts | grep uts
sh -c 'lsns -t uts'
ps -o pid,ppid,comm | cat
unshare -u
lsns -t uts | grep uts
nsenter -a -t 1
pwd
lsns -t uts
exit
exit
