# nsmodel: --times-blind
# /proc/<pid>/ns as the real tools show it on a terminal (recorded with record-real.py): a
# glob expands to the ten links, ls lays them out in columns and quotes the targets, cat of
# a namespace file opens it but cannot read it.
readlink /proc/$$/ns/*
readlink /proc/1/ns/u*
ls /proc/1/ns
ls -l /proc/1/ns/uts
ls -l /proc/$$/ns
cat /proc/self/ns/uts
echo /proc/1/ns/[pu]i*
echo /proc/1/ns/nothing*
