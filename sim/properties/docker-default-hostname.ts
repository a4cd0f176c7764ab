// A container with Docker's default capabilities: can it change the host's hostname, through
// any sequence of forks, new user and UTS namespaces, opens and setns? (Issue 11: the
// explorer's property that needs capabilities.)

import { defineProperty } from '../../src/explore/property.js';
import { hostHostnameStays } from './invariants.js';

/** Docker's default capability set (moby's oci/caps/defaults.go), 14 capabilities. */
const DOCKER_DEFAULT = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
] as const;

export default defineProperty({
  name: 'docker-default-hostname',
  title: "Can root in a container with Docker's default capabilities change the host's hostname?",
  explanation:
    "The world: the host's root (p0, with Docker's 14 default capabilities and CAP_SYS_ADMIN) made a container " +
    "process `c`: new mount, UTS, IPC, network, cgroup and PID namespaces, CAP_SYS_ADMIN dropped from its " +
    "bounding set, and its sets cut to Docker's 14 (uid 0 still). The invariant: the hostname of the initial " +
    "UTS namespace never changes. It holds: the seed article's `nsenter -a -t 1` fails at setns() (utsns_install() " +
    "wants CAP_SYS_ADMIN over the host's UTS namespace's owner, the initial user namespace), and a new user " +
    "namespace gives `c` every capability only over namespaces that user namespace owns — never the host's. " +
    "Capabilities, not namespaces, are what stop the escape.",
  setup: { user: 'root', hostname: 'host', caps: [...DOCKER_DEFAULT, 'CAP_SYS_ADMIN'] },
  prefix: [
    { by: 'p0', op: 'fork', as: 'c' },
    { by: 'c', op: 'unshare', flags: ['CLONE_NEWNS', 'CLONE_NEWUTS', 'CLONE_NEWIPC', 'CLONE_NEWNET', 'CLONE_NEWCGROUP', 'CLONE_NEWPID'] },
    { by: 'c', op: 'prctl', option: 'PR_CAPBSET_DROP', cap: 'CAP_SYS_ADMIN' },
    { by: 'c', op: 'capset', effective: [...DOCKER_DEFAULT], permitted: [...DOCKER_DEFAULT], inheritable: [] },
  ],
  actors: ['c'],
  alphabet: {
    fork: true,
    unshare: [['CLONE_NEWUSER'], ['CLONE_NEWUTS'], ['CLONE_NEWUSER', 'CLONE_NEWUTS']],
    open: ['uts', 'user'],
    setns: [0],
    close: true,
    sethostname: ['evil'],
  },
  invariant: hostHostnameStays('host'),
  depth: 5,
  expect: { verdict: 'holds' },
});
