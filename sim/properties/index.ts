// The built-in isolation properties of `nsmodel explore` (issue 10), each with its answer on
// Linux 6.18 in `expect` (test/explore-*.test.ts hold the explorer and the kernel to it).

import type { Property } from '../../src/explore/property.js';
import seedNsenter from './seed-nsenter.js';
import seedNsenterUserns from './seed-nsenter-userns.js';
import unprivilegedHostname from './unprivileged-hostname.js';
import noAncestorPidns from './no-ancestor-pidns.js';
import orphanOutside from './orphan-outside.js';
import rootlessEnter from './rootless-enter.js';
import pidnsInitLifetime from './pidns-init-lifetime.js';
import procOutsidePidns from './proc-outside-pidns.js';
import rootlessMapOtherUid from './rootless-map-other-uid.js';
import killOutsidePidns from './kill-outside-pidns.js';
import dockerDefaultHostname from './docker-default-hostname.js';
import containerMountLeak from './container-mount-leak.js';
import containerMountLeakUserns from './container-mount-leak-userns.js';
import lockedMountReveal from './locked-mount-reveal.js';
import { chrootEscape, chrootJailUnprivileged } from './chroot-jail.js';

export const BUILTIN_PROPERTIES: readonly Property[] = [
  seedNsenter, seedNsenterUserns, unprivilegedHostname, noAncestorPidns, orphanOutside, rootlessEnter,
  // more, from the kernel's and the runtimes' known pitfalls
  pidnsInitLifetime, procOutsidePidns, rootlessMapOtherUid, killOutsidePidns,
  // with capabilities (issue 11)
  dockerDefaultHostname,
  // with mounts (issue 12)
  containerMountLeak, containerMountLeakUserns, lockedMountReveal,
  // chroot and chdir (issue 12)
  chrootEscape, chrootJailUnprivileged,
];
