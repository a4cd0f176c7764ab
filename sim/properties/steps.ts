// Steps several built-in properties share.

import type { MountAlphabetStep } from '../../src/explore/property.js';
import type { Step } from '../../src/trace/types.js';

/**
 * What `unshare -U -r` writes after its unshare, for the process `label` (by itself): setgroups
 * denied, then uid 0 and gid 0 mapped to the ids 0 of the parent user namespace.
 */
export function mapRootToRoot(label: string): Step[] {
  return [
    { by: label, op: 'write_map', target: label, file: 'setgroups', data: 'deny' },
    { by: label, op: 'write_map', target: label, file: 'uid_map', data: '0 0 1' },
    { by: label, op: 'write_map', target: label, file: 'gid_map', data: '0 0 1' },
  ];
}

/** The container-mount-leak properties' mount ops: mount on /a, make the tree shared again, unmount /a. */
export const CONTAINER_MOUNT_OPS: readonly MountAlphabetStep[] = [
  { op: 'mount', target: '/a', flags: [], fstype: 'tmpfs' },
  { op: 'mount', target: '/', flags: ['MS_REC', 'MS_SHARED'] },
  { op: 'umount', target: '/a', flags: ['MNT_DETACH'] },
];
