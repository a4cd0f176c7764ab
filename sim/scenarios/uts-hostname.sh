# The article's first listing: a shell in a new UTS namespace has a hostname of its own.
hostname
unshare -u
hostname
hostname anotherbox
hostname
readlink /proc/1/ns/uts /proc/$$/ns/uts
exit
hostname
explain
