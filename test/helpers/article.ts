// The seed article's UTS example (issue 4's "done when"): what is typed, and what the shell
// must print — the initial hostname, then anotherbox, then the initial hostname again.

export const UTS_EXAMPLE_INPUT = 'hostname\nunshare -u\nhostname anotherbox\nhostname\nexit\nhostname\n';

export const UTS_EXAMPLE_TRANSCRIPT = [
  'root@box:~# hostname', 'box',
  'root@box:~# unshare -u',
  'root@box:~# hostname anotherbox',
  'root@box:~# hostname', 'anotherbox',
  'root@box:~# exit', 'logout',
  'root@box:~# hostname', 'box',
  'root@box:~# logout', '',
].join('\n');
