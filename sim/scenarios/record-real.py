#!/usr/bin/env python3
# Record what the REAL tools print for a scenario script (sim/scenarios/NAME.sh), typed into a
# real bash on a terminal (80 columns) in a throwaway sandbox of new namespaces with the host
# name `box`, as root:
#
#   python3 sim/scenarios/record-real.py sim/scenarios/NAME.sh > sim/scenarios/NAME.transcript
#
# The sandbox: unshare --fork --pid --mount-proc --uts --ipc --net --mount --cgroup --time; in
# it a login bash (`-bash`, no start-up files, PS1 '\u@\h:\w\$ ') in /root. Each line is typed
# after the prompt appears; the terminal's echo is replaced by the line as typed, CRs and
# escape sequences are removed.
# Nothing outside the sandbox is changed.
import os, pty, re, select, struct, sys, fcntl, termios, time

script = open(sys.argv[1]).read().split('\n')
if script and script[-1] == '':
    script.pop()
if script and script[0].startswith('# nsmodel:'):
    script.pop(0)

# PID 1 plays the world's init: a perl that names itself /sbin/init (cmdline and comm), sets
# the host name, mounts a tmpfs of the sandbox's own on /root (its mount namespace is private)
# with Debian's root ~/.profile without the host's additions, starts the login shell `-bash`
# and reaps every child until it ends. /etc/profile and /etc/bash.bashrc are the machine's.
INIT = r"""
use POSIX ();
$0 = "/sbin/init";
my $comm = "init"; syscall(157, 15, $comm, 0, 0, 0);   # prctl(PR_SET_NAME): comm "init", as a real /sbin/init has
POSIX::setsid();   # init has no terminal (ps: TTY ?); the login shell takes it below
# sethostname(2) and mount(2) as system calls (x86-64 numbers): no fork, so that the login
# shell is PID 2 and the PIDs that follow are the teaching shell's
my $host = "box"; syscall(170, $host, 3) == 0 or die "sethostname";
my ($src, $dir, $fs) = ("tmpfs", "/root", "tmpfs"); syscall(165, $src, $dir, $fs, 0, 0) == 0 or die "mount";
open(my $f, ">", "/root/.profile") or die; print $f "mesg n 2> /dev/null || true\n"; close $f;
chdir "/root";
%ENV = (HOME => "/root", USER => "root", LOGNAME => "root", SHELL => "/bin/bash", TERM => "xterm",
        PATH => "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", INPUTRC => "/dev/null",
        LANG => "C.UTF-8");
my $pid = fork();
if ($pid == 0) {
  POSIX::setsid();
  open(my $tty, "+<", "/proc/self/fd/0") or die "tty";
  ioctl($tty, 0x540E, 1) or die "TIOCSCTTY";   # the terminal becomes the login's
  exec { "/bin/bash" } "-bash"; die "exec";
}
while ((my $w = waitpid(-1, 0)) > 0) { exit($? >> 8) if $w == $pid; }
"""
argv = ['unshare', '--fork', '--pid', '--mount-proc', '--uts', '--ipc', '--net', '--mount', '--cgroup',
        '--time', 'perl', '-e', INIT]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))

PROMPT = re.compile(r'(?:\S+@\S+:\S+[#$] |^[#$] )$')
ESC = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]')

def read_until_prompt(timeout=10.0):
    buf = b''
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            text = ESC.sub('', buf.decode('utf-8', 'replace')).replace('\r', '')
            if PROMPT.search(text.split('\n')[-1]):
                time.sleep(0.05)
                r2, _, _ = select.select([fd], [], [], 0.1)
                if not r2:
                    return text, True
    return ESC.sub('', buf.decode('utf-8', 'replace')).replace('\r', ''), False

out = []
text, ok = read_until_prompt()
out.append(text)
for line in script:
    os.write(fd, line.encode() + b'\n')
    text, ok = read_until_prompt()
    # the terminal's echo of the typed line (readline redraws a line longer than the
    # terminal's width): the line as typed instead
    out.append(line + '\n' + text.split('\n', 1)[1] if '\n' in text else text)
    if not ok:
        break
os.write(fd, b'\x04')
text, _ = read_until_prompt(3)
out.append(text)
os.waitpid(pid, 0)
# the end of the input: the teaching shell shows bash's "logout" after the last prompt
sys.stdout.write(re.sub(r'([#$] )\n(logout|exit)\n$', r'\1\2\n', ''.join(out)))
